"""Purchase order life cycle, receipts into lots, direct purchases, and what they refuse."""

from datetime import date
from decimal import Decimal

import pytest

from inventory.exceptions import (
    InactiveRecord,
    InsufficientStock,
    InvalidQuantity,
    InvalidTransition,
    InventoryError,
    LotNotApproved,
)
from inventory.models import (
    AuditEvent,
    LedgerEntry,
    Lot,
    Operation,
    PurchaseOrder,
    QCStatus,
    StockBalance,
)
from inventory.selectors.stock import stock_totals_for_item
from inventory.services.purchasing import (
    TRANSITIONS,
    purchase_direct,
    purchase_order_cancel,
    purchase_order_create,
    purchase_order_place,
    purchase_order_receive,
    purchase_order_update,
)
from inventory.services.qc import lot_approve, lot_reject
from inventory.services.stock import stock_issue, stock_reserve
from inventory.tests.factories import ItemFactory, SupplierFactory

pytestmark = pytest.mark.django_db
Status = PurchaseOrder.Status


@pytest.fixture
def supplier(db):
    return SupplierFactory(name="Acme Fasteners")


def make_order(actor, supplier, store, *lines, place=True):
    order = purchase_order_create(
        actor=actor, supplier=supplier, store=store, expected_on=date(2030, 1, 15), lines=lines
    )
    if place:
        order = purchase_order_place(actor=actor, order=order)
    return order


def order_in(status, actor, supplier, store, item):
    """Build an order of 10 x item at 2.00 that has reached `status` through the services."""
    order = make_order(actor, supplier, store, (item, "10", "2.00"), place=status != Status.DRAFT)
    line = order.lines.get()
    if status == Status.PARTIALLY_RECEIVED:
        purchase_order_receive(actor=actor, order=order, receipts=[{"line": line, "quantity": "4"}])
    elif status == Status.RECEIVED:
        purchase_order_receive(
            actor=actor, order=order, receipts=[{"line": line, "quantity": "10"}]
        )
    elif status == Status.CANCELLED:
        purchase_order_cancel(actor=actor, order=order)
    order.refresh_from_db()
    assert order.status == status
    return order


def snapshot(order):
    """Everything a refused operation must leave alone."""
    order.refresh_from_db()
    return {
        "status": order.status,
        "received": [line.quantity_received for line in order.lines.order_by("pk")],
        "ordered": [line.quantity_ordered for line in order.lines.order_by("pk")],
        "ledger": LedgerEntry.objects.count(),
        "operations": Operation.objects.count(),
        "lots": Lot.objects.count(),
        "balances": sorted(StockBalance.objects.values_list("pk", "on_hand", "reserved")),
        "audit": AuditEvent.objects.count(),
    }


# --- drafts -----------------------------------------------------------------------------


def test_create_draft_with_lines_and_item_cost_default(manager_user, supplier, store, item):
    item.unit = "kg"  # a fractional quantity below
    item.save(update_fields=["unit"])
    order = purchase_order_create(
        actor=manager_user,
        supplier=supplier,
        store=store,
        expected_on=date(2030, 1, 15),
        note="Spring stock",
        lines=[(item, "12", "1.75"), (item, "3.5", None)],
    )

    assert order.status == Status.DRAFT
    assert order.number == f"PO-{order.pk:06d}"
    assert [(ln.quantity_ordered, ln.unit_cost) for ln in order.lines.all()] == [
        (Decimal("12.000"), Decimal("1.75")),
        (Decimal("3.500"), Decimal("2.50")),
    ]
    event = AuditEvent.objects.get(action="purchase_order.create")
    assert event.object_type == "PurchaseOrder" and event.object_id == str(order.pk)
    assert [ln["quantity"] for ln in event.details["lines"]] == ["12.000", "3.500"]


@pytest.mark.parametrize(
    ("quantity", "cost", "error"),
    [
        ("0", "1.00", InvalidQuantity),
        ("-2", "1.00", InvalidQuantity),
        ("abc", "1.00", InvalidQuantity),
        ("1", "-1", InventoryError),
        ("1", "0.001", InventoryError),
    ],
)
def test_create_refuses_bad_lines_and_creates_nothing(
    manager_user, supplier, store, item, quantity, cost, error
):
    with pytest.raises(error):
        purchase_order_create(
            actor=manager_user, supplier=supplier, store=store, lines=[(item, quantity, cost)]
        )

    assert PurchaseOrder.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_create_refuses_deactivated_item_or_supplier(manager_user, supplier, store, item):
    item.is_active = False
    item.save()
    with pytest.raises(InactiveRecord, match="SKU-0042"):
        purchase_order_create(
            actor=manager_user, supplier=supplier, store=store, lines=[(item, "1", None)]
        )
    retired = SupplierFactory(name="Gone Ltd", is_active=False)
    with pytest.raises(InactiveRecord, match="Gone Ltd"):
        purchase_order_create(actor=manager_user, supplier=retired, store=store, lines=[])

    assert PurchaseOrder.objects.count() == 0


def test_update_replaces_header_and_lines_of_a_draft(
    manager_user, supplier, store, other_store, item
):
    order = make_order(manager_user, supplier, store, (item, "5", "1.00"), place=False)
    other_item = ItemFactory(sku="SKU-0099")

    purchase_order_update(
        actor=manager_user,
        order=order,
        supplier=supplier,
        store=other_store,
        expected_on=None,
        note="changed",
        lines=[(other_item, "7", "3.00")],
    )

    order.refresh_from_db()
    assert (order.store, order.note, order.expected_on) == (other_store, "changed", None)
    assert [(ln.item, ln.quantity_ordered) for ln in order.lines.all()] == [
        (other_item, Decimal("7.000"))
    ]
    event = AuditEvent.objects.get(action="purchase_order.update")
    assert event.details["changes"]["store"] == ["MAIN", "WH"]
    assert event.details["lines_before"][0]["item"] == "SKU-0042"


def test_update_of_a_placed_order_is_refused(manager_user, supplier, store, other_store, item):
    order = make_order(manager_user, supplier, store, (item, "5", "1.00"))
    before = snapshot(order)

    with pytest.raises(InventoryError, match="only draft orders can be edited"):
        purchase_order_update(
            actor=manager_user, order=order, supplier=supplier, store=other_store, lines=[]
        )

    assert snapshot(order) == before
    order.refresh_from_db()
    assert order.store == store


# --- life cycle ---------------------------------------------------------------------------


def test_place_moves_draft_to_ordered_and_is_audited(manager_user, supplier, store, item):
    order = make_order(manager_user, supplier, store, (item, "5", "1.00"), place=False)

    purchase_order_place(actor=manager_user, order=order)

    order.refresh_from_db()
    assert order.status == Status.ORDERED
    event = AuditEvent.objects.get(action="purchase_order.place")
    assert (event.details["from"], event.details["to"]) == ("DRAFT", "ORDERED")


def test_place_without_lines_is_refused(manager_user, supplier, store):
    order = make_order(manager_user, supplier, store, place=False)
    before = snapshot(order)

    with pytest.raises(InventoryError, match="has no lines"):
        purchase_order_place(actor=manager_user, order=order)

    assert snapshot(order) == before


def test_place_with_a_deactivated_item_is_refused(manager_user, supplier, store, item):
    order = make_order(manager_user, supplier, store, (item, "5", "1.00"), place=False)
    item.is_active = False
    item.save()
    before = snapshot(order)

    with pytest.raises(InactiveRecord):
        purchase_order_place(actor=manager_user, order=order)

    assert snapshot(order) == before


@pytest.mark.parametrize("status", [Status.DRAFT, Status.ORDERED])
def test_cancel_from_draft_or_ordered(manager_user, supplier, store, item, status):
    order = order_in(status, manager_user, supplier, store, item)

    purchase_order_cancel(actor=manager_user, order=order)

    order.refresh_from_db()
    assert order.status == Status.CANCELLED
    assert AuditEvent.objects.filter(action="purchase_order.cancel").count() == 1


def test_transition_table_is_the_documented_life_cycle():
    expected = {
        "DRAFT": {"ORDERED", "CANCELLED"},
        "ORDERED": {"PARTIALLY_RECEIVED", "RECEIVED", "CANCELLED"},
        "PARTIALLY_RECEIVED": {"PARTIALLY_RECEIVED", "RECEIVED"},
        "RECEIVED": set(),
        "CANCELLED": set(),
    }
    assert expected == TRANSITIONS


@pytest.mark.parametrize(
    "status", [Status.ORDERED, Status.PARTIALLY_RECEIVED, Status.RECEIVED, Status.CANCELLED]
)
def test_place_from_any_state_but_draft_is_refused(manager_user, supplier, store, item, status):
    order = order_in(status, manager_user, supplier, store, item)
    before = snapshot(order)

    with pytest.raises(InvalidTransition) as exc:
        purchase_order_place(actor=manager_user, order=order)

    assert exc.value.to_status == Status.ORDERED
    assert snapshot(order) == before


@pytest.mark.parametrize("status", [Status.PARTIALLY_RECEIVED, Status.RECEIVED, Status.CANCELLED])
def test_cancel_from_a_late_state_is_refused(manager_user, supplier, store, item, status):
    order = order_in(status, manager_user, supplier, store, item)
    before = snapshot(order)

    with pytest.raises(InvalidTransition, match="to cancelled"):
        purchase_order_cancel(actor=manager_user, order=order)

    assert snapshot(order) == before


@pytest.mark.parametrize("status", [Status.DRAFT, Status.RECEIVED, Status.CANCELLED])
def test_receive_against_a_closed_or_draft_order_is_refused(
    manager_user, staff_user, supplier, store, item, status
):
    order = order_in(status, manager_user, supplier, store, item)
    line = order.lines.get()
    before = snapshot(order)

    with pytest.raises(InvalidTransition):
        purchase_order_receive(
            actor=staff_user, order=order, receipts=[{"line": line, "quantity": "1"}]
        )

    assert snapshot(order) == before


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


# --- QC -----------------------------------------------------------------------------------


def test_a_qc_item_is_received_into_quarantine_and_cannot_be_reserved_or_issued(
    manager_user, staff_user, supplier, store, qc_item
):
    order = make_order(manager_user, supplier, store, (qc_item, "8", "3.00"))
    line = order.lines.get()
    purchase_order_receive(
        actor=staff_user, order=order, receipts=[{"line": line, "quantity": "8"}]
    )
    lot = Lot.objects.get(item=qc_item)
    assert lot.qc_status == QCStatus.QUARANTINE
    ledger_before = LedgerEntry.objects.count()

    with pytest.raises(InsufficientStock, match="Only 0 pcs of SKU-QC01 available"):
        stock_reserve(actor=staff_user, item=qc_item, store=store, quantity="1")
    with pytest.raises(InsufficientStock):
        stock_issue(actor=staff_user, item=qc_item, store=store, quantity="1")
    with pytest.raises(LotNotApproved):
        stock_issue(actor=staff_user, item=qc_item, store=store, quantity="1", lot=lot)

    assert LedgerEntry.objects.count() == ledger_before
    assert StockBalance.objects.get(lot=lot).on_hand == Decimal("8.000")
    assert stock_totals_for_item(item=qc_item, store=store)["available"] == Decimal("0")


def test_a_rejected_lot_stays_blocked_and_an_approved_one_becomes_available(
    manager_user, staff_user, supplier, store, qc_item
):
    order = make_order(manager_user, supplier, store, (qc_item, "8", "3.00"))
    line = order.lines.get()
    purchase_order_receive(
        actor=staff_user,
        order=order,
        receipts=[{"line": line, "quantity": "3", "lot_code": "BAD"}],
    )
    purchase_order_receive(
        actor=staff_user,
        order=order,
        receipts=[{"line": line, "quantity": "5", "lot_code": "GOOD"}],
    )
    bad, good = Lot.objects.get(code="BAD"), Lot.objects.get(code="GOOD")

    lot_reject(actor=manager_user, lot=bad, note="Leaking")
    with pytest.raises(LotNotApproved):
        stock_issue(actor=staff_user, item=qc_item, store=store, quantity="1", lot=bad)
    lot_approve(actor=manager_user, lot=good, note="OK")

    assert stock_totals_for_item(item=qc_item, store=store)["available"] == Decimal("5.000")
    with pytest.raises(InsufficientStock):
        stock_reserve(actor=staff_user, item=qc_item, store=store, quantity="6")
    stock_reserve(actor=staff_user, item=qc_item, store=store, quantity="5")
    assert StockBalance.objects.get(lot=bad).reserved == Decimal("0")


# --- direct purchases -----------------------------------------------------------------------


def test_direct_purchase_creates_a_received_order_with_its_lots(
    staff_user, supplier, store, item, qc_item
):
    result = purchase_direct(
        actor=staff_user,
        supplier=supplier,
        store=store,
        note="Cash and carry",
        lines=[
            {"item": item, "quantity": "5", "unit_cost": "1.20", "lot_code": "D-1"},
            {
                "item": qc_item,
                "quantity": "2",
                "unit_cost": None,
                "lot_code": "",
                "expires_on": date(2031, 1, 1),
            },
        ],
        idempotency_key="direct-1",
    )

    order = result.order
    order.refresh_from_db()
    assert order.status == Status.RECEIVED and order.created_by == staff_user
    assert [
        (ln.quantity_ordered, ln.quantity_received, ln.unit_cost) for ln in order.lines.all()
    ] == [
        (Decimal("5.000"), Decimal("5.000"), Decimal("1.20")),
        (Decimal("2.000"), Decimal("2.000"), Decimal("2.50")),
    ]
    lots = [e.lot for e in result.stock.entries]
    assert [(lot.code, lot.qc_status) for lot in lots][0] == ("D-1", "APPROVED")
    assert lots[1].qc_status == "QUARANTINE" and lots[1].expires_on == date(2031, 1, 1)
    assert stock_totals_for_item(item=item, store=store)["on_hand"] == Decimal("5.000")
    assert Operation.objects.get(idempotency_key="direct-1").kind == "PO_DIRECT"
    assert AuditEvent.objects.filter(
        action="purchase_order.direct", object_id=str(order.pk)
    ).exists()


def test_direct_purchase_replay_records_one_purchase(staff_user, supplier, store, item):
    lines = [{"item": item, "quantity": "5", "unit_cost": "1.20"}]

    first = purchase_direct(
        actor=staff_user, supplier=supplier, store=store, lines=lines, idempotency_key="dup"
    )
    second = purchase_direct(
        actor=staff_user, supplier=supplier, store=store, lines=lines, idempotency_key="dup"
    )

    assert second.replayed and second.order == first.order
    assert PurchaseOrder.objects.count() == 1
    assert LedgerEntry.objects.count() == 1


@pytest.mark.parametrize(
    "lines",
    [
        [],
        [{"item": "ITEM", "quantity": "", "unit_cost": None}],
        [{"item": "ITEM", "quantity": "0", "unit_cost": None}],
        [{"item": "ITEM", "quantity": "2", "unit_cost": "-1"}],
    ],
)
def test_direct_purchase_refuses_bad_lines_and_records_nothing(
    staff_user, supplier, store, item, lines
):
    lines = [{**ln, "item": item} for ln in lines]

    with pytest.raises(InventoryError):
        purchase_direct(actor=staff_user, supplier=supplier, store=store, lines=lines)

    assert PurchaseOrder.objects.count() == 0
    assert LedgerEntry.objects.count() == 0
    assert Operation.objects.count() == 0


def test_direct_purchase_of_a_deactivated_item_is_refused(staff_user, supplier, store, item):
    item.is_active = False
    item.save()

    with pytest.raises(InactiveRecord):
        purchase_direct(
            actor=staff_user,
            supplier=supplier,
            store=store,
            lines=[{"item": item, "quantity": "1", "unit_cost": None}],
        )

    assert PurchaseOrder.objects.count() == 0
    assert LedgerEntry.objects.count() == 0
