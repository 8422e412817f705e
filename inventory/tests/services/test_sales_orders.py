"""Sales order services: creating and editing drafts, and confirming them into reservations."""

import pytest

from inventory.exceptions import (
    InactiveRecord,
    InvalidQuantity,
    InvalidTransition,
    InventoryError,
    ShortLines,
)
from inventory.models import AuditEvent, LedgerEntry, SalesOrder, SalesOrderLine
from inventory.services.sales import sales_order_confirm, sales_order_update
from inventory.tests.factories import CustomerFactory, ItemFactory

from .sales_helpers import D, confirmed, draft, figures, key, receive, snapshot

pytestmark = pytest.mark.django_db
Status = SalesOrder.Status


# --- create and update ------------------------------------------------------------------


def test_create_records_a_draft_with_the_item_price_by_default(staff_user, store, item):
    # given a customer
    customer = CustomerFactory()

    # when an order is created with one line priced and one not
    order = draft(staff_user, store, (item, "3", None), (item, "2", "5.50"), customer=customer)

    # then it is a draft numbered from its pk and reserves nothing
    assert order.status == Status.DRAFT
    assert order.number == f"SO-{order.pk:06d}"
    assert list(order.lines.values_list("quantity", "unit_price", "quantity_reserved")) == [
        (D("3.000"), D("4.00"), D("0.000")),
        (D("2.000"), D("5.50"), D("0.000")),
    ]
    assert LedgerEntry.objects.count() == 0
    event = AuditEvent.objects.get(action="sales_order.create")
    assert event.object_type == "SalesOrder" and event.object_id == str(order.pk)


def test_create_refuses_bad_lines_and_records_nothing(staff_user, store, item):
    inactive = ItemFactory(is_active=False)

    with pytest.raises(InventoryError):
        draft(staff_user, store)
    with pytest.raises(InvalidQuantity):
        draft(staff_user, store, (item, "0", None))
    with pytest.raises(InvalidQuantity):
        draft(staff_user, store, (item, "-1", None))
    with pytest.raises(InventoryError):
        draft(staff_user, store, (item, "1", "-2"))
    with pytest.raises(InactiveRecord):
        draft(staff_user, store, (inactive, "1", None))

    assert SalesOrder.objects.count() == 0
    assert SalesOrderLine.objects.count() == 0


def test_update_replaces_the_lines_of_a_draft(staff_user, store, other_store, item):
    order = draft(staff_user, store, (item, "3", None))
    other = ItemFactory(unit_price=D("9.00"))

    order = sales_order_update(
        actor=staff_user,
        order=order,
        store=other_store,
        customer=None,
        note="changed",
        lines=[(other, "1", None)],
    )

    assert order.store == other_store and order.note == "changed"
    assert list(order.lines.values_list("item_id", "quantity", "unit_price")) == [
        (other.pk, D("1.000"), D("9.00"))
    ]


def test_update_refuses_a_confirmed_order(staff_user, store, item):
    receive(staff_user, item, store, "5")
    order = confirmed(staff_user, store, (item, "2", None))
    before = snapshot(order)

    with pytest.raises(InvalidTransition):
        sales_order_update(
            actor=staff_user, order=order, store=store, customer=None, lines=[(item, "5", None)]
        )

    assert snapshot(order) == before


# --- confirm ------------------------------------------------------------------------------


def test_confirm_reserves_every_line_earliest_expiry_first(staff_user, store, item):
    # given two lots, the later-received one expiring first
    late = receive(staff_user, item, store, "10", expires_in=90, code="LATE")
    early = receive(staff_user, item, store, "4", expires_in=10, code="EARLY")
    order = draft(staff_user, store, (item, "6", None))

    # when confirmed
    result = sales_order_confirm(actor=staff_user, order=order, idempotency_key=key("c1"))

    # then 4 come from the early lot and 2 from the late one, and the line holds 6
    assert result.order.status == Status.CONFIRMED
    rows = LedgerEntry.objects.filter(kind="RESERVE").order_by("pk")
    assert [(e.lot_id, e.quantity, e.so_line_id) for e in rows] == [
        (early.pk, D("4.000"), order.lines.get().pk),
        (late.pk, D("2.000"), order.lines.get().pk),
    ]
    assert order.lines.get().quantity_reserved == D("6.000")
    assert figures(item, store)["reserved"] == D("6.000")
    assert figures(item, store)["available"] == D("8.000")
    assert AuditEvent.objects.filter(action="sales_order.confirm", object_id=str(order.pk)).exists()


def test_confirm_refuses_when_any_line_is_short_and_reserves_nothing(staff_user, store, item):
    # given enough of one item but not of the other
    scarce = ItemFactory(sku="SCARCE-1")
    receive(staff_user, item, store, "10")
    receive(staff_user, scarce, store, "3")
    order = draft(staff_user, store, (item, "5", None), (scarce, "5", None), (item, "7", None))
    before = snapshot(order)

    # when confirming
    with pytest.raises(ShortLines) as caught:
        sales_order_confirm(actor=staff_user, order=order, idempotency_key=key("short"))

    # then both short items are named, the one on two lines with what they ask for in
    # all (5 + 7 of 10), and nothing changed
    shortages = caught.value.shortages
    assert [(s.item.sku, s.requested, s.available, s.indexes) for s in shortages] == [
        (item.sku, D("12"), D("10"), [0, 2]),
        ("SCARCE-1", D("5"), D("3"), [1]),
    ]
    assert str(caught.value) == (
        "Only 10 pcs of SKU-0042 available in Main Store; 2 lines ask for 12 in all (5 + 7). "
        "Only 3 pcs of SCARCE-1 available in Main Store; 5 requested."
    )
    assert snapshot(order) == before
    assert figures(item, store)["reserved"] == D("0")


def test_confirm_ignores_quarantined_and_other_store_stock(staff_user, store, other_store, qc_item):
    receive(staff_user, qc_item, store, "10")  # QUARANTINE
    item_elsewhere = ItemFactory()
    receive(staff_user, item_elsewhere, other_store, "10")
    order = draft(staff_user, store, (qc_item, "1", None), (item_elsewhere, "1", None))
    before = snapshot(order)

    with pytest.raises(ShortLines) as caught:
        sales_order_confirm(actor=staff_user, order=order, idempotency_key=None)

    assert [s.available for s in caught.value.shortages] == [D("0"), D("0")]
    assert snapshot(order) == before


def test_double_clicked_confirm_reserves_once(staff_user, store, item):
    receive(staff_user, item, store, "10")
    order = draft(staff_user, store, (item, "4", None))

    first = sales_order_confirm(actor=staff_user, order=order, idempotency_key=key("twice"))
    second = sales_order_confirm(actor=staff_user, order=order, idempotency_key=key("twice"))

    assert first.replayed is False and second.replayed is True
    assert second.order.status == Status.CONFIRMED
    assert LedgerEntry.objects.filter(kind="RESERVE").count() == 1
    assert order.lines.get().quantity_reserved == D("4.000")
    assert figures(item, store)["reserved"] == D("4.000")
