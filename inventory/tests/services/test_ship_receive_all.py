"""Shipping or receiving everything left (rules.ALL): the service reads what is left after
it has locked the order, so a partial shipment or receipt that came first is not shipped
or received twice, and the rest is not refused. Two at once: one does it, the other is
told nothing is left (real threads; SQLite queues the writers, PostgreSQL locks rows)."""

from decimal import Decimal

import pytest

from inventory import rules
from inventory.exceptions import NothingLeft
from inventory.models import LedgerEntry, PurchaseOrder, SalesOrder
from inventory.services.purchasing import purchase_order_receive
from inventory.services.sales import sales_order_ship
from inventory.tests.concurrency import run_together
from inventory.tests.factories import ItemFactory

from .purchasing_helpers import make_order
from .purchasing_helpers import snapshot as po_snapshot
from .sales_helpers import confirmed, figures, receive, snapshot
from .test_document_queries import assert_flat

D = Decimal
ALL = rules.ALL


def _two_line_order(user, store):
    """A confirmed order of 5 BOLT and 3 NUT, 10 of each on hand."""
    bolt, nut = ItemFactory(sku="BOLT-1"), ItemFactory(sku="NUT-1")
    for item in (bolt, nut):
        receive(user, item, store, "10")
    return confirmed(user, store, (bolt, "5", None), (nut, "3", None)), bolt, nut


def _ship_all(user, order, key):
    return sales_order_ship(actor=user, order=order, shipments=ALL, idempotency_key=key)


def _receive_all(user, order, key):
    return purchase_order_receive(actor=user, order=order, receipts=ALL, idempotency_key=key)


def _issued(result):
    return sorted((e.item.sku, e.quantity) for e in result.stock.entries)


@pytest.mark.django_db
def test_shipping_all_after_a_partial_shipment_ships_what_is_reserved_now(staff_user, store):
    # given an order of which another user shipped 2 BOLT first
    order, bolt, nut = _two_line_order(staff_user, store)
    first = order.lines.order_by("pk").first()
    sales_order_ship(actor=staff_user, order=order, shipments={first: "2"}, idempotency_key="p")

    # when everything left is shipped, and the same key is sent again
    result = _ship_all(staff_user, order, "all-1")
    again = _ship_all(staff_user, order, "all-1")

    # then 3 BOLT and 3 NUT go, the order is shipped; the repeat is the first answer
    assert _issued(result) == [("BOLT-1", D("3")), ("NUT-1", D("3"))]
    assert (result.order.status, again.replayed) == (SalesOrder.Status.SHIPPED, True)
    assert again.stock.operation == result.stock.operation
    assert LedgerEntry.objects.filter(kind="ISSUE").count() == 3
    for item, left in ((bolt, "5"), (nut, "7")):
        assert (figures(item, store)["on_hand"], figures(item, store)["reserved"]) == (
            D(left),
            D("0"),
        )


@pytest.mark.django_db
def test_shipping_all_of_an_order_shipped_in_full_says_nothing_is_left(staff_user, store):
    order, _, _ = _two_line_order(staff_user, store)
    _ship_all(staff_user, order, "first")
    before = snapshot(order)

    with pytest.raises(NothingLeft) as refused:
        _ship_all(staff_user, order, "second")

    assert refused.value.message == (
        f"{order.number} has nothing left to ship: it was shipped in full "
        "(by another user or window); nothing was changed."
    )
    assert snapshot(order) == before


@pytest.mark.django_db
def test_receiving_all_after_a_partial_receipt_receives_what_is_outstanding_now(
    manager_user, supplier, store
):
    # given an order of 10 BOLT and 6 NUT, of which another user received 4 BOLT
    bolt, nut = ItemFactory(sku="BOLT-1"), ItemFactory(sku="NUT-1")
    order = make_order(manager_user, supplier, store, (bolt, "10", "1.00"), (nut, "6", "1.00"))
    first = order.lines.order_by("pk").first()
    purchase_order_receive(
        actor=manager_user, order=order, receipts=[{"line": first, "quantity": "4"}]
    )

    # when everything outstanding is received, and the same key is sent again
    result = _receive_all(manager_user, order, "all-1")
    again = _receive_all(manager_user, order, "all-1")

    # then 6 BOLT and 6 NUT arrive and the order is received; the repeat is the first answer
    assert _issued(result) == [("BOLT-1", D("6")), ("NUT-1", D("6"))]
    assert (result.order.status, again.replayed) == (PurchaseOrder.Status.RECEIVED, True)
    assert again.stock.operation == result.stock.operation
    assert [figures(item, store)["on_hand"] for item in (bolt, nut)] == [D("10"), D("6")]


@pytest.mark.django_db
def test_receiving_all_of_an_order_received_in_full_says_nothing_is_left(
    manager_user, supplier, store, item
):
    order = make_order(manager_user, supplier, store, (item, "10", "1.00"))
    _receive_all(manager_user, order, "first")
    before = po_snapshot(order)

    with pytest.raises(NothingLeft) as refused:
        _receive_all(manager_user, order, "second")

    assert refused.value.message == (
        f"{order.number} has nothing left to receive: it was received in full "
        "(by another user or window); nothing was changed."
    )
    assert po_snapshot(order) == before


@pytest.mark.django_db
def test_shipping_and_receiving_all_cost_the_same_statements_at_1_and_10_lines(
    staff_user, manager_user, supplier, store, django_assert_num_queries
):
    def shipment(lines, tag):
        items = [ItemFactory(sku=f"S{tag}-{n}") for n in range(lines)]
        for item in items:
            receive(staff_user, item, store, "5")
        order = confirmed(staff_user, store, *[(item, "2", None) for item in items])
        return lambda: _ship_all(staff_user, order, f"s-{tag}")

    def receipt(lines, tag):
        items = [ItemFactory(sku=f"R{tag}-{n}") for n in range(lines)]
        order = make_order(manager_user, supplier, store, *[(i, "5", None) for i in items])
        return lambda: _receive_all(manager_user, order, f"r-{tag}")

    assert_flat(shipment, django_assert_num_queries)
    assert_flat(receipt, django_assert_num_queries)


@pytest.mark.django_db(transaction=True)
def test_two_ship_all_at_once_ship_the_order_once(staff_user, manager_user, store):
    # given an order of which 2 BOLT were shipped already
    order, bolt, nut = _two_line_order(staff_user, store)
    first = order.lines.order_by("pk").first()
    sales_order_ship(actor=staff_user, order=order, shipments={first: "2"}, idempotency_key="p")

    # when two users ship everything left at the same moment
    outcomes = run_together(
        [lambda: _ship_all(staff_user, order, "a"), lambda: _ship_all(manager_user, order, "b")]
    )

    # then one ships the rest and the other is told nothing is left: no double shipment
    shipped = [o for o in outcomes if not isinstance(o, Exception)]
    refused = [o for o in outcomes if isinstance(o, Exception)]
    assert len(shipped) == 1 and len(refused) == 1, outcomes
    assert isinstance(refused[0], NothingLeft), refused
    assert _issued(shipped[0]) == [("BOLT-1", D("3")), ("NUT-1", D("3"))]
    order.refresh_from_db()
    assert order.status == SalesOrder.Status.SHIPPED
    assert [figures(item, store)["on_hand"] for item in (bolt, nut)] == [D("5"), D("7")]
    assert LedgerEntry.objects.filter(kind="ISSUE").count() == 3


@pytest.mark.django_db(transaction=True)
def test_two_receive_all_at_once_receive_the_order_once(manager_user, staff_user, supplier, store):
    # given an order of 10 BOLT of which 4 arrived already
    bolt = ItemFactory(sku="BOLT-1")
    order = make_order(manager_user, supplier, store, (bolt, "10", "1.00"))
    line = order.lines.get()
    purchase_order_receive(
        actor=manager_user, order=order, receipts=[{"line": line, "quantity": 4}]
    )

    # when two users receive everything outstanding at the same moment
    outcomes = run_together(
        [
            lambda: _receive_all(manager_user, order, "a"),
            lambda: _receive_all(staff_user, order, "b"),
        ]
    )

    # then one receives the 6 left and the other is told nothing is left
    received = [o for o in outcomes if not isinstance(o, Exception)]
    refused = [o for o in outcomes if isinstance(o, Exception)]
    assert len(received) == 1 and len(refused) == 1, outcomes
    assert isinstance(refused[0], NothingLeft), refused
    assert _issued(received[0]) == [("BOLT-1", D("6"))]
    order.refresh_from_db()
    assert order.status == PurchaseOrder.Status.RECEIVED
    assert figures(bolt, store)["on_hand"] == D("10")
    assert LedgerEntry.objects.filter(kind="RECEIVE").count() == 2
