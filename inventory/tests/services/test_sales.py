"""Sales order services: life cycle, reservations, shipping by FEFO, cancel, returns."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from inventory.exceptions import (
    InactiveRecord,
    InvalidQuantity,
    InvalidTransition,
    InventoryError,
    ShortLines,
)
from inventory.models import (
    AuditEvent,
    LedgerEntry,
    Lot,
    QCStatus,
    SalesOrder,
    SalesOrderLine,
    StockBalance,
)
from inventory.selectors.sales import sales_order_figures
from inventory.selectors.stock import stock_totals_for_item
from inventory.services.sales import (
    TRANSITIONS,
    allowed_actions,
    sales_order_cancel,
    sales_order_confirm,
    sales_order_create,
    sales_order_return,
    sales_order_ship,
    sales_order_update,
    sales_quick_sale,
)
from inventory.services.stock import stock_receive
from inventory.tests.factories import CustomerFactory, ItemFactory

pytestmark = pytest.mark.django_db
Status = SalesOrder.Status
D = Decimal


def receive(user, item, store, quantity, cost="2.50", expires_in=None, code=""):
    expires = timezone.localdate() + timedelta(days=expires_in) if expires_in else None
    result = stock_receive(
        actor=user,
        item=item,
        store=store,
        quantity=quantity,
        unit_cost=cost,
        expires_on=expires,
        lot_code=code,
    )
    return result.entries[0].lot


def figures(item, store):
    return stock_totals_for_item(item=item, store=store)


def snapshot(order):
    """Everything a refused operation must leave alone."""
    order.refresh_from_db()
    return {
        "status": order.status,
        "ledger": LedgerEntry.objects.count(),
        "balances": sorted(StockBalance.objects.values_list("pk", "on_hand", "reserved")),
        "lines": list(
            order.lines.order_by("pk").values_list(
                "quantity", "quantity_reserved", "quantity_shipped", "quantity_returned"
            )
        ),
        "lots": Lot.objects.count(),
    }


def draft(user, store, *lines, customer=None):
    return sales_order_create(actor=user, store=store, customer=customer, note="", lines=lines)


def confirmed(user, store, *lines):
    order = draft(user, store, *lines)
    sales_order_confirm(actor=user, order=order, idempotency_key=None)
    order.refresh_from_db()
    return order


def key(name):
    return f"test-{name}"


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

    # then both short lines are named with requested and available, and nothing changed
    shortages = caught.value.shortages
    assert [(s.item.sku, s.requested, s.available) for s in shortages] == [
        ("SCARCE-1", D("5"), D("3")),
        (item.sku, D("7"), D("5")),
    ]
    assert "Only 3 pcs of SCARCE-1 available in Main Store; 5 requested." in str(caught.value)
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


# --- the state machine ----------------------------------------------------------------


def _order_in(status, user, store, item):
    receive(user, item, store, "10")
    order = draft(user, store, (item, "4", None))
    if status == Status.DRAFT:
        return order
    if status == Status.CANCELLED:
        sales_order_cancel(actor=user, order=order, idempotency_key=None)
        return order
    sales_order_confirm(actor=user, order=order, idempotency_key=None)
    line = order.lines.get()
    if status == Status.PARTIALLY_SHIPPED:
        sales_order_ship(actor=user, order=order, shipments={line: "1"}, idempotency_key=None)
    elif status == Status.SHIPPED:
        sales_order_ship(actor=user, order=order, shipments={line: "4"}, idempotency_key=None)
    order.refresh_from_db()
    assert order.status == status
    return order


ACTIONS = {
    Status.CONFIRMED: lambda u, o: sales_order_confirm(actor=u, order=o, idempotency_key=None),
    Status.SHIPPED: lambda u, o: sales_order_ship(
        actor=u, order=o, shipments={o.lines.get(): "1"}, idempotency_key=None
    ),
    Status.CANCELLED: lambda u, o: sales_order_cancel(actor=u, order=o, idempotency_key=None),
}
ILLEGAL = [
    (source, target) for source in Status for target in ACTIONS if target not in TRANSITIONS[source]
]


def test_the_illegal_moves_are_the_expected_ones():
    assert sorted(ILLEGAL) == sorted(
        [
            (Status.DRAFT, Status.SHIPPED),
            (Status.CONFIRMED, Status.CONFIRMED),
            (Status.PARTIALLY_SHIPPED, Status.CONFIRMED),
            (Status.SHIPPED, Status.CONFIRMED),
            (Status.SHIPPED, Status.SHIPPED),
            (Status.SHIPPED, Status.CANCELLED),
            (Status.CANCELLED, Status.CONFIRMED),
            (Status.CANCELLED, Status.SHIPPED),
            (Status.CANCELLED, Status.CANCELLED),
        ]
    )


@pytest.mark.parametrize(("source", "target"), ILLEGAL)
def test_every_illegal_transition_is_refused_and_changes_nothing(
    staff_user, store, item, source, target
):
    order = _order_in(source, staff_user, store, item)
    before = snapshot(order)
    events = AuditEvent.objects.count()

    with pytest.raises(InvalidTransition):
        ACTIONS[target](staff_user, order)

    assert snapshot(order) == before
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    ("status", "actions"),
    [
        (Status.DRAFT, {"edit", "confirm", "cancel"}),
        (Status.CONFIRMED, {"ship", "cancel"}),
        (Status.PARTIALLY_SHIPPED, {"ship", "cancel"}),
        (Status.SHIPPED, set()),
        (Status.CANCELLED, set()),
    ],
)
def test_allowed_actions_follow_the_status(status, actions):
    assert allowed_actions(SalesOrder(status=status)) == actions


# --- quick sale -------------------------------------------------------------------------


def test_quick_sale_records_and_issues_at_once(staff_user, store, item):
    receive(staff_user, item, store, "10", cost="2.00")

    result = sales_quick_sale(
        actor=staff_user,
        store=store,
        customer=None,
        lines=[(item, "3", None)],
        idempotency_key=key("q1"),
    )

    order = result.order
    line = order.lines.get()
    assert order.status == Status.SHIPPED and order.customer is None
    assert (line.quantity_reserved, line.quantity_shipped) == (D("0"), D("3.000"))
    assert figures(item, store)["on_hand"] == D("7.000")
    assert figures(item, store)["reserved"] == D("0")
    assert sales_order_figures(order=order)["cost_of_goods"] == D("6.00")
    assert AuditEvent.objects.filter(action="sales_order.quick_sale").count() == 1


@pytest.mark.parametrize("quantities", [("1", "1", "1"), ("1", "2", "4")])
def test_a_sale_of_several_balances_moves_each_by_its_own_quantity(staff_user, store, quantities):
    # Alike quantities update the balances by one constant, different ones by a CASE.
    items = [ItemFactory() for _ in quantities]
    for item in items:
        receive(staff_user, item, store, "10")

    sales_quick_sale(
        actor=staff_user,
        store=store,
        customer=None,
        lines=[(item, q, None) for item, q in zip(items, quantities, strict=True)],
        idempotency_key=key("q-many"),
    )

    assert [figures(item, store)["on_hand"] for item in items] == [10 - D(q) for q in quantities]
    assert [figures(item, store)["reserved"] for item in items] == [D("0")] * len(items)


def test_quick_sale_replayed_returns_the_first_order(staff_user, store, item):
    receive(staff_user, item, store, "10")
    args = {"actor": staff_user, "store": store, "customer": None, "lines": [(item, "3", None)]}

    first = sales_quick_sale(**args, idempotency_key=key("q2"))
    second = sales_quick_sale(**args, idempotency_key=key("q2"))

    assert second.replayed is True and second.order.pk == first.order.pk
    assert SalesOrder.objects.count() == 1
    assert figures(item, store)["on_hand"] == D("7.000")


def test_quick_sale_short_records_nothing(staff_user, store, item):
    # given 2 in stock of one item and plenty of another
    plenty = ItemFactory(sku="PLENTY")
    receive(staff_user, item, store, "2")
    receive(staff_user, plenty, store, "50")
    ledger, balances = LedgerEntry.objects.count(), figures(item, store)

    # when selling 5 of the first
    with pytest.raises(ShortLines) as caught:
        sales_quick_sale(
            actor=staff_user,
            store=store,
            customer=None,
            lines=[(plenty, "1", None), (item, "5", None)],
            idempotency_key=key("q3"),
        )

    # then the short line is named by its position, and nothing was recorded
    (shortage,) = caught.value.shortages
    assert (shortage.index, shortage.requested, shortage.available) == (1, D("5"), D("2"))
    assert SalesOrder.objects.count() == 0
    assert LedgerEntry.objects.count() == ledger
    assert figures(item, store) == balances
    # and the same token can be used again once the form is corrected
    result = sales_quick_sale(
        actor=staff_user,
        store=store,
        customer=None,
        lines=[(item, "2", None)],
        idempotency_key=key("q3"),
    )
    assert result.replayed is False and result.order.status == Status.SHIPPED


# --- returns ----------------------------------------------------------------------------


def _shipped(user, store, item, quantity="5"):
    receive(user, item, store, "10", cost="2.00", code="SRC")
    order = confirmed(user, store, (item, quantity, None))
    line = order.lines.get()
    sales_order_ship(actor=user, order=order, shipments={line: quantity}, idempotency_key=None)
    line.refresh_from_db()
    return order, line


def test_return_goes_back_into_the_lot_it_left(staff_user, store, item):
    order, line = _shipped(staff_user, store, item)

    sales_order_return(
        actor=staff_user, line=line, quantity="2", note="Wrong size", idempotency_key=key("r1")
    )

    line.refresh_from_db()
    assert line.quantity_returned == D("2.000")
    entry = LedgerEntry.objects.get(kind="RETURN")
    assert (entry.lot.code, entry.quantity, entry.so_line_id) == ("SRC", D("2.000"), line.pk)
    assert figures(item, store)["available"] == D("7.000")
    assert sales_order_figures(order=order)["cost_of_goods"] == D("6.00")
    assert sales_order_figures(order=order)["shipped_value"] == D("12.00")
    order.refresh_from_db()
    assert order.status == Status.SHIPPED


def test_return_of_a_qc_item_waits_in_quarantine(staff_user, manager_user, store, qc_item):
    from inventory.services.qc import lot_approve

    lot = receive(staff_user, qc_item, store, "10", cost="2.00", code="QSRC")
    lot_approve(actor=manager_user, lot=lot)
    order = confirmed(staff_user, store, (qc_item, "4", None))
    line = order.lines.get()
    sales_order_ship(actor=staff_user, order=order, shipments={line: "4"}, idempotency_key=None)

    sales_order_return(actor=staff_user, line=line, quantity="1", idempotency_key=key("rq"))

    entry = LedgerEntry.objects.get(kind="RETURN")
    assert entry.lot.qc_status == QCStatus.QUARANTINE
    assert entry.lot.origin_lot_id == lot.pk
    totals = figures(qc_item, store)
    assert (totals["available"], totals["quarantined"]) == (D("6.000"), D("1.000"))
    line.refresh_from_db()
    assert line.quantity_returned == D("1.000")


def test_return_refuses_more_than_shipped_minus_returned(staff_user, store, item):
    order, line = _shipped(staff_user, store, item, quantity="3")
    sales_order_return(actor=staff_user, line=line, quantity="2", idempotency_key=None)
    before = snapshot(order)

    with pytest.raises(InventoryError) as caught:
        sales_order_return(actor=staff_user, line=line, quantity="2", idempotency_key=None)

    assert "Only 1 pcs" in str(caught.value)
    assert snapshot(order) == before


def test_return_refuses_an_unshipped_line(staff_user, store, item):
    receive(staff_user, item, store, "10")
    order = confirmed(staff_user, store, (item, "3", None))
    before = snapshot(order)

    with pytest.raises(InventoryError):
        sales_order_return(
            actor=staff_user, line=order.lines.get(), quantity="1", idempotency_key=None
        )

    assert snapshot(order) == before


def test_replayed_return_takes_back_once(staff_user, store, item):
    order, line = _shipped(staff_user, store, item)

    sales_order_return(actor=staff_user, line=line, quantity="1", idempotency_key=key("rr"))
    second = sales_order_return(
        actor=staff_user, line=line, quantity="1", idempotency_key=key("rr")
    )

    assert second.replayed is True
    line.refresh_from_db()
    assert line.quantity_returned == D("1.000")
    assert LedgerEntry.objects.filter(kind="RETURN").count() == 1
