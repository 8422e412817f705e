"""Purchase order receipts into lots: partial, several lines, replays, and what they refuse."""

from datetime import date
from decimal import Decimal

import pytest

from inventory.exceptions import InactiveRecord, InvalidQuantity, InventoryError
from inventory.models import AuditEvent, LedgerEntry, Operation, PurchaseOrder
from inventory.selectors.stock import stock_totals_for_item
from inventory.services.purchasing import purchase_direct, purchase_order_receive
from inventory.tests.factories import ItemFactory

from .purchasing_helpers import (
    make_order,
    order_in,
    snapshot,
)

pytestmark = pytest.mark.django_db
Status = PurchaseOrder.Status


# --- receipts -----------------------------------------------------------------------------


def test_partial_receipts_accumulate_until_received(
    manager_user, staff_user, supplier, store, item
):
    order = make_order(manager_user, supplier, store, (item, "10", "2.00"))
    line = order.lines.get()

    first = purchase_order_receive(
        actor=staff_user,
        order=order,
        receipts=[{"line": line, "quantity": "4", "lot_code": "A-1", "expires_on": None}],
    )
    order.refresh_from_db()
    line.refresh_from_db()
    assert order.status == Status.PARTIALLY_RECEIVED
    assert line.quantity_received == Decimal("4.000")

    purchase_order_receive(
        actor=staff_user,
        order=order,
        receipts=[{"line": line, "quantity": "6", "lot_code": "", "expires_on": date(2031, 5, 1)}],
    )

    order.refresh_from_db()
    line.refresh_from_db()
    assert order.status == Status.RECEIVED
    assert line.quantity_received == Decimal("10.000")
    entries = LedgerEntry.objects.filter(po_line=line).order_by("pk")
    assert [(e.kind, e.quantity, e.unit_cost) for e in entries] == [
        ("RECEIVE", Decimal("4.000"), Decimal("2.00")),
        ("RECEIVE", Decimal("6.000"), Decimal("2.00")),
    ]
    first_lot, second_lot = (e.lot for e in entries)
    assert first_lot.code == "A-1" and first_lot.supplier == supplier
    assert second_lot.code.startswith("L") and second_lot.expires_on == date(2031, 5, 1)
    assert first.stock.entries[0].lot == first_lot
    assert stock_totals_for_item(item=item, store=store)["available"] == Decimal("10.000")
    event = AuditEvent.objects.filter(action="purchase_order.receive").first()
    assert event.object_id == str(order.pk)
    assert event.details["receipts"][0]["quantity"] == "6.000"
    assert (event.details["from"], event.details["to"]) == ("PARTIALLY_RECEIVED", "RECEIVED")


def test_one_submission_receives_several_lines_in_one_operation(
    manager_user, staff_user, supplier, store, item
):
    other = ItemFactory(sku="SKU-0007")
    order = make_order(manager_user, supplier, store, (item, "10", "2.00"), (other, "3", "1.00"))
    line_a, line_b = order.lines.order_by("pk")

    result = purchase_order_receive(
        actor=staff_user,
        order=order,
        receipts=[
            {"line": line_a, "quantity": "10"},
            {"line": line_b, "quantity": ""},
        ],
        idempotency_key="k-several",
    )

    order.refresh_from_db()
    assert order.status == Status.PARTIALLY_RECEIVED
    assert len(result.stock.entries) == 1
    assert Operation.objects.get(idempotency_key="k-several").kind == "PO_RECEIVE"
    assert LedgerEntry.objects.filter(operation=result.stock.operation).count() == 1


def test_over_receipt_is_refused_and_nothing_changes(
    manager_user, staff_user, supplier, store, item
):
    order = order_in(Status.PARTIALLY_RECEIVED, manager_user, supplier, store, item)
    line = order.lines.get()
    before = snapshot(order)

    with pytest.raises(InventoryError, match="Only 6 pcs of SKU-0042 are outstanding"):
        purchase_order_receive(
            actor=staff_user, order=order, receipts=[{"line": line, "quantity": "7"}]
        )

    assert snapshot(order) == before


def test_twice_the_same_line_in_one_submission_counts_together(
    manager_user, staff_user, supplier, store, item
):
    order = make_order(manager_user, supplier, store, (item, "10", "2.00"))
    line = order.lines.get()
    before = snapshot(order)

    with pytest.raises(InventoryError, match="outstanding"):
        purchase_order_receive(
            actor=staff_user,
            order=order,
            receipts=[{"line": line, "quantity": "6"}, {"line": line, "quantity": "5"}],
        )

    assert snapshot(order) == before


def test_a_refused_line_rolls_back_the_whole_submission(
    manager_user, staff_user, supplier, store, item
):
    other = ItemFactory(sku="SKU-0007")
    order = make_order(manager_user, supplier, store, (item, "10", "2.00"), (other, "3", "1.00"))
    line_a, line_b = order.lines.order_by("pk")
    # A lot code already used for this item at another cost is refused by stock_receive,
    # after the first line has been written: the whole submission must roll back.
    purchase_direct(
        actor=staff_user,
        supplier=supplier,
        store=store,
        lines=[{"item": other, "quantity": "1", "unit_cost": "9.99", "lot_code": "DUP"}],
    )
    before = snapshot(order)

    with pytest.raises(InventoryError, match="Lot DUP was received at 9.99"):
        purchase_order_receive(
            actor=staff_user,
            order=order,
            receipts=[
                {"line": line_a, "quantity": "4"},
                {"line": line_b, "quantity": "1", "lot_code": "DUP"},
            ],
            idempotency_key="k-rollback",
        )

    assert snapshot(order) == before
    assert not Operation.objects.filter(idempotency_key="k-rollback").exists()


@pytest.mark.parametrize(
    ("quantity", "error"), [("0", InvalidQuantity), ("-3", InvalidQuantity), ("x", InvalidQuantity)]
)
def test_zero_or_negative_receipt_is_refused(
    manager_user, staff_user, supplier, store, item, quantity, error
):
    order = make_order(manager_user, supplier, store, (item, "10", "2.00"))
    line = order.lines.get()
    before = snapshot(order)

    with pytest.raises(error):
        purchase_order_receive(
            actor=staff_user, order=order, receipts=[{"line": line, "quantity": quantity}]
        )

    assert snapshot(order) == before


def test_all_lines_blank_is_refused(manager_user, staff_user, supplier, store, item):
    order = make_order(manager_user, supplier, store, (item, "10", "2.00"))
    line = order.lines.get()
    before = snapshot(order)

    with pytest.raises(InventoryError, match="at least one line"):
        purchase_order_receive(
            actor=staff_user, order=order, receipts=[{"line": line, "quantity": None}]
        )

    assert snapshot(order) == before


def test_receiving_a_deactivated_item_is_refused(manager_user, staff_user, supplier, store, item):
    order = make_order(manager_user, supplier, store, (item, "10", "2.00"))
    line = order.lines.get()
    item.is_active = False
    item.save()
    before = snapshot(order)

    with pytest.raises(InactiveRecord, match="deactivated"):
        purchase_order_receive(
            actor=staff_user, order=order, receipts=[{"line": line, "quantity": "2"}]
        )

    assert snapshot(order) == before


def test_a_line_of_another_order_is_refused(manager_user, staff_user, supplier, store, item):
    order = make_order(manager_user, supplier, store, (item, "10", "2.00"))
    other_order = make_order(manager_user, supplier, store, (item, "10", "2.00"))
    foreign_line = other_order.lines.get()
    before = snapshot(order)

    with pytest.raises(InventoryError, match="does not belong"):
        purchase_order_receive(
            actor=staff_user, order=order, receipts=[{"line": foreign_line, "quantity": "1"}]
        )

    assert snapshot(order) == before
    assert snapshot(other_order) == before | {"received": [Decimal("0.000")]}


def test_the_same_token_twice_records_one_receipt(manager_user, staff_user, supplier, store, item):
    order = make_order(manager_user, supplier, store, (item, "10", "2.00"))
    line = order.lines.get()
    receipts = [{"line": line, "quantity": "4", "lot_code": "", "expires_on": None}]

    first = purchase_order_receive(
        actor=staff_user, order=order, receipts=receipts, idempotency_key="same-token"
    )
    after_first = snapshot(order)
    second = purchase_order_receive(
        actor=staff_user, order=order, receipts=receipts, idempotency_key="same-token"
    )

    assert (first.replayed, second.replayed) == (False, True)
    assert second.order == order
    assert [e.pk for e in second.stock.entries] == [e.pk for e in first.stock.entries]
    assert snapshot(order) == after_first
    line.refresh_from_db()
    assert line.quantity_received == Decimal("4.000")
