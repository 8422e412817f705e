"""Sales order services: shipping from the reserved lots, and cancelling what is not shipped."""

import pytest

from inventory.exceptions import InventoryError, ShortLines
from inventory.models import LedgerEntry, SalesOrder
from inventory.selectors.sales import sales_order_figures
from inventory.services.sales import sales_order_cancel, sales_order_ship

from .sales_helpers import D, confirmed, draft, figures, key, receive, snapshot

pytestmark = pytest.mark.django_db
Status = SalesOrder.Status


# --- ship -------------------------------------------------------------------------------


def test_ship_in_two_parts_moves_reserved_to_shipped(staff_user, store, item):
    receive(staff_user, item, store, "10", cost="2.00")
    order = confirmed(staff_user, store, (item, "6", "5.00"))
    line = order.lines.get()

    # when 4 are shipped, then the remaining 2
    first = sales_order_ship(
        actor=staff_user, order=order, shipments={line: "4"}, idempotency_key=key("s1")
    )
    line.refresh_from_db()
    assert first.order.status == Status.PARTIALLY_SHIPPED
    assert (line.quantity_reserved, line.quantity_shipped) == (D("2.000"), D("4.000"))
    assert figures(item, store)["on_hand"] == D("6.000")
    assert figures(item, store)["reserved"] == D("2.000")

    second = sales_order_ship(
        actor=staff_user, order=order, shipments={line.pk: "2"}, idempotency_key=key("s2")
    )

    # then the order is shipped and the stock has left
    line.refresh_from_db()
    assert second.order.status == Status.SHIPPED
    assert (line.quantity_reserved, line.quantity_shipped) == (D("0.000"), D("6.000"))
    assert figures(item, store) == {
        "on_hand": D("4.000"),
        "reserved": D("0.000"),
        "available": D("4.000"),
        "quarantined": D("0"),
        "rejected": D("0"),
        "expired": D(0),
        "near_expiry": D(0),
    }
    assert sales_order_figures(order=order) == {
        "value": D("30.00"),
        "shipped_value": D("30.00"),
        "cost_of_goods": D("12.00"),
        "margin": D("18.00"),
    }


def test_ship_issues_from_the_reserved_lots(staff_user, store, item):
    early = receive(staff_user, item, store, "3", expires_in=5, code="E")
    late = receive(staff_user, item, store, "3", expires_in=50, code="L")
    order = confirmed(staff_user, store, (item, "4", None))

    sales_order_ship(
        actor=staff_user,
        order=order,
        shipments={order.lines.get(): "4"},
        idempotency_key=key("lots"),
    )

    issued = LedgerEntry.objects.filter(kind="ISSUE").order_by("pk")
    assert [(e.lot_id, e.quantity, e.reserved_delta) for e in issued] == [
        (early.pk, D("3.000"), D("-3.000")),
        (late.pk, D("1.000"), D("-1.000")),
    ]


def test_ship_refuses_more_than_reserved_and_changes_nothing(staff_user, store, item):
    receive(staff_user, item, store, "10")
    order = confirmed(staff_user, store, (item, "3", None))
    line = order.lines.get()
    before = snapshot(order)

    with pytest.raises(ShortLines) as caught:
        sales_order_ship(
            actor=staff_user, order=order, shipments={line: "4"}, idempotency_key=key("over")
        )

    assert caught.value.shortages[0].available == D("3")
    assert caught.value.shortages[0].line.pk == line.pk
    assert snapshot(order) == before


def test_ship_refuses_bad_quantities_and_changes_nothing(staff_user, store, item):
    receive(staff_user, item, store, "10")
    order = confirmed(staff_user, store, (item, "3", None))
    line = order.lines.get()
    before = snapshot(order)

    for bad in ({line: "0"}, {line: "-1"}, {line: "abc"}, {line: "1.0001"}, {}):
        with pytest.raises(InventoryError):
            sales_order_ship(actor=staff_user, order=order, shipments=bad, idempotency_key=None)

    foreign = draft(staff_user, store, (item, "1", None)).lines.get()
    with pytest.raises(InventoryError):
        sales_order_ship(
            actor=staff_user, order=order, shipments={foreign: "1"}, idempotency_key=None
        )
    assert snapshot(order) == before


# --- cancel -----------------------------------------------------------------------------


def test_cancel_a_draft(staff_user, store, item):
    order = draft(staff_user, store, (item, "3", None))

    result = sales_order_cancel(actor=staff_user, order=order, idempotency_key=key("cd"))

    assert result.order.status == Status.CANCELLED
    assert LedgerEntry.objects.count() == 0


def test_cancel_a_confirmed_order_releases_its_reservation(staff_user, store, item):
    receive(staff_user, item, store, "10")
    order = confirmed(staff_user, store, (item, "4", None))

    sales_order_cancel(actor=staff_user, order=order, idempotency_key=key("cc"))

    order.refresh_from_db()
    assert order.status == Status.CANCELLED
    assert order.lines.get().quantity_reserved == D("0")
    assert LedgerEntry.objects.filter(kind="UNRESERVE").get().quantity == D("4.000")
    assert figures(item, store)["reserved"] == D("0")
    assert figures(item, store)["available"] == D("10.000")


def test_cancel_after_a_partial_shipment_releases_only_the_rest(staff_user, store, item):
    # given 6 confirmed of which 4 shipped
    receive(staff_user, item, store, "10")
    order = confirmed(staff_user, store, (item, "6", None))
    line = order.lines.get()
    sales_order_ship(actor=staff_user, order=order, shipments={line: "4"}, idempotency_key=None)

    # when cancelled
    sales_order_cancel(actor=staff_user, order=order, idempotency_key=key("cp"))

    # then 2 are released and the 4 shipped stay issued
    order.refresh_from_db()
    line.refresh_from_db()
    assert order.status == Status.CANCELLED
    assert (line.quantity_reserved, line.quantity_shipped) == (D("0"), D("4.000"))
    assert LedgerEntry.objects.filter(kind="UNRESERVE").get().quantity == D("2.000")
    assert figures(item, store)["on_hand"] == D("6.000")
    assert figures(item, store)["reserved"] == D("0")
