"""Documents touching the same rows in opposite line order queue; they never deadlock.

Each document locks all its balances in one statement, in primary-key order, so
line order cannot matter. Before the pipeline, the same rounds deadlocked in 14 of
20 (shipments) and 28 of 30 (direct purchases). PostgreSQL only: SQLite runs
writers one at a time.
"""

from decimal import Decimal

import pytest
from django.db import connection

from inventory.models import LedgerEntry, SalesOrder
from inventory.selectors.stock import stock_totals_for_item
from inventory.services.purchasing import purchase_direct
from inventory.services.sales import sales_order_confirm, sales_order_create, sales_order_ship
from inventory.services.stock import stock_receive, stock_transfer, stock_transfer_lines
from inventory.tests.concurrency import run_together
from inventory.tests.factories import ItemFactory

ROUNDS = 20

pytestmark = [
    pytest.mark.pg,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks and deadlocks need PostgreSQL"
    ),
]


def _errors(outcomes) -> list:
    return [o for o in outcomes if isinstance(o, Exception)]


def test_two_shipments_of_the_same_items_in_opposite_order(staff_user, store):
    x, y = ItemFactory(sku="DL-X"), ItemFactory(sku="DL-Y")
    for item in (x, y):
        stock_receive(actor=staff_user, item=item, store=store, quantity=4 * ROUNDS)
    errors = []
    for n in range(ROUNDS):
        orders = [
            sales_order_create(actor=staff_user, store=store, customer=None, lines=[(a, 2), (b, 2)])
            for a, b in ((x, y), (y, x))
        ]
        for order in orders:
            sales_order_confirm(actor=staff_user, order=order, idempotency_key=f"c{n}-{order.pk}")
        calls = [
            lambda order=order, n=n: sales_order_ship(
                actor=staff_user,
                order=order,
                shipments={line.pk: line.quantity for line in order.lines.all()},
                idempotency_key=f"s{n}-{order.pk}",
            )
            for order in orders
        ]
        errors += _errors(run_together(calls, timeout=60))

    assert errors == []
    assert SalesOrder.objects.filter(status="SHIPPED").count() == 2 * ROUNDS
    for item in (x, y):
        totals = stock_totals_for_item(item=item, store=store)
        assert (totals["on_hand"], totals["reserved"]) == (Decimal(0), Decimal(0))


def test_two_direct_purchases_extending_the_same_lots_in_opposite_order(staff_user, store):
    x, y = ItemFactory(sku="DL-X"), ItemFactory(sku="DL-Y")
    supplier = x.supplier
    for item, code in ((x, "LX"), (y, "LY")):
        stock_receive(actor=staff_user, item=item, store=store, quantity=1, lot_code=code)
    errors = []
    for n in range(ROUNDS):
        lines = [
            [
                {"item": a, "quantity": 1, "lot_code": ca},
                {"item": b, "quantity": 1, "lot_code": cb},
            ]
            for a, ca, b, cb in ((x, "LX", y, "LY"), (y, "LY", x, "LX"))
        ]
        calls = [
            lambda lines=lines, k=k, n=n: purchase_direct(
                actor=staff_user,
                supplier=supplier,
                store=store,
                lines=lines,
                idempotency_key=f"p{n}-{k}",
            )
            for k, lines in enumerate(lines)
        ]
        errors += _errors(run_together(calls, timeout=60))

    assert errors == []
    for item in (x, y):
        assert item.lots.count() == 1
        totals = stock_totals_for_item(item=item, store=store)
        assert totals["on_hand"] == Decimal(1 + 2 * ROUNDS)


def _stocked_in_both(user, prefix, count, stores) -> list:
    """`count` items, each with two lots of ROUNDS in every store, so a transfer draws
    from both lots."""
    items = [ItemFactory(sku=f"{prefix}-{n}") for n in range(count)]
    for item in items:
        for where in stores:
            for code in ("A", "B"):
                stock_receive(
                    actor=user,
                    item=item,
                    store=where,
                    quantity=ROUNDS,
                    lot_code=f"{code}-{where.code}",
                )
    return items


def test_transfers_both_ways_of_several_items(manager_user, store, other_store):
    items = _stocked_in_both(manager_user, "DL", 3, (store, other_store))
    errors = []
    for n in range(ROUNDS):
        calls = []
        for k, (source, target, order) in enumerate(
            ((store, other_store, items), (other_store, store, items[::-1]))
        ):
            calls.append(
                lambda source=source, target=target, order=order, k=k, n=n: [
                    stock_transfer(
                        actor=manager_user,
                        item=item,
                        from_store=source,
                        to_store=target,
                        quantity=1,
                        idempotency_key=f"t{n}-{k}-{item.pk}",
                    )
                    for item in order
                ]
            )
        errors += _errors(run_together(calls, timeout=60))

    assert errors == []
    assert LedgerEntry.objects.filter(kind="TRANSFER_OUT").count() >= 2 * 3 * ROUNDS
    for item in items:
        for where in (store, other_store):
            assert stock_totals_for_item(item=item, store=where)["on_hand"] == Decimal(2 * ROUNDS)


def test_transfers_of_several_lines_both_ways_in_opposite_line_order(
    manager_user, store, other_store
):
    items = _stocked_in_both(manager_user, "DLL", 4, (store, other_store))
    errors = []
    for n in range(ROUNDS):
        calls = [
            lambda source=source, target=target, order=order, k=k, n=n: stock_transfer_lines(
                actor=manager_user,
                from_store=source,
                to_store=target,
                lines=[(item, 1) for item in order],
                idempotency_key=f"tl{n}-{k}",
            )
            for k, (source, target, order) in enumerate(
                ((store, other_store, items), (other_store, store, items[::-1]))
            )
        ]
        errors += _errors(run_together(calls, timeout=60))

    assert errors == []
    assert (
        LedgerEntry.objects.filter(kind="TRANSFER_OUT").values("operation").distinct().count()
        == 2 * ROUNDS
    )
    for item in items:
        for where in (store, other_store):
            assert stock_totals_for_item(item=item, store=where)["on_hand"] == Decimal(2 * ROUNDS)
