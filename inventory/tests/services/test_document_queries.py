"""A document costs the same number of statements whatever its number of lines.

Each runs the pipeline: claim, lock (one statement per table), decide in Python,
write in bulk. Measured at 1 line, then required exactly at 10.
"""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inventory.models import Lot
from inventory.services.purchasing import (
    purchase_direct,
    purchase_order_create,
    purchase_order_place,
    purchase_order_receive,
)
from inventory.services.sales import (
    sales_order_confirm,
    sales_order_create,
    sales_order_ship,
    sales_quick_sale,
)
from inventory.services.stock import (
    stock_adjust,
    stock_receive,
    stock_transfer,
    stock_transfer_lines,
)
from inventory.tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


def _statements(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        call()
    return len(queries)


def assert_flat(build, assert_num_queries) -> None:
    """The same statements for a document of 1 as of 10 (lines, lots, history):
    `build(n, tag)` sets one up and returns the call that posts it."""
    one, ten = build(1, "one"), build(10, "ten")
    with assert_num_queries(_statements(one)):
        ten()


def _stocked_items(user, store, count, tag):
    items = [ItemFactory(sku=f"{tag}-{n}", reorder_level=Decimal("3")) for n in range(count)]
    for item in items:
        stock_receive(actor=user, item=item, store=store, quantity=20)
    return items


def test_quick_sale(staff_user, store, django_assert_num_queries):
    def sale(lines, tag):
        items = _stocked_items(staff_user, store, lines, tag)
        return lambda: sales_quick_sale(
            actor=staff_user,
            store=store,
            customer=None,
            lines=[(item, 2) for item in items],
            idempotency_key=f"qs-{tag}",
        )

    assert_flat(sale, django_assert_num_queries)


def test_confirm_and_ship(staff_user, store, django_assert_num_queries):
    def order(lines, tag):
        items = _stocked_items(staff_user, store, lines, tag)
        return sales_order_create(
            actor=staff_user, store=store, customer=None, lines=[(i, 2) for i in items]
        )

    one, ten = order(1, "one"), order(10, "ten")
    confirm = _statements(
        lambda: sales_order_confirm(actor=staff_user, order=one, idempotency_key="c1")
    )
    with django_assert_num_queries(confirm):
        sales_order_confirm(actor=staff_user, order=ten, idempotency_key="c10")

    def ship(order, key):
        shipments = {line.pk: 2 for line in order.lines.all()}
        return sales_order_ship(
            actor=staff_user, order=order, shipments=shipments, idempotency_key=key
        )

    shipped = _statements(lambda: ship(one, "s1"))
    with django_assert_num_queries(shipped):
        ship(ten, "s10")


def test_purchase_receipt_and_direct_purchase(manager_user, store, django_assert_num_queries):
    def placed(lines, tag):
        items = [ItemFactory(sku=f"{tag}-{n}") for n in range(lines)]
        order = purchase_order_create(
            actor=manager_user,
            supplier=items[0].supplier,
            store=store,
            lines=[(i, 5, None) for i in items],
        )
        return purchase_order_place(actor=manager_user, order=order)

    one, ten = placed(1, "one"), placed(10, "ten")
    lines_one, lines_ten = list(one.lines.all()), list(ten.lines.all())

    def receive(order, lines, key):
        receipts = [{"line": line, "quantity": 5, "lot_code": f"{key}-{line.pk}"} for line in lines]
        return purchase_order_receive(
            actor=manager_user, order=order, receipts=receipts, idempotency_key=key
        )

    received = _statements(lambda: receive(one, lines_one, "r1"))
    with django_assert_num_queries(received):
        receive(ten, lines_ten, "r10")

    def direct(lines, tag):
        items = [ItemFactory(sku=f"D{tag}-{n}") for n in range(lines)]
        return lambda: purchase_direct(
            actor=manager_user,
            supplier=items[0].supplier,
            store=store,
            lines=[{"item": i, "quantity": 3} for i in items],
            idempotency_key=f"d{tag}",
        )

    first, tenth = direct(1, "one"), direct(10, "ten")
    count = _statements(first)
    with django_assert_num_queries(count):
        tenth()


def test_transfer_across_1_and_10_lots(manager_user, store, other_store, django_assert_num_queries):
    def stocked(lots, tag):
        item = ItemFactory(sku=tag)
        for n in range(lots):
            stock_receive(actor=manager_user, item=item, store=store, quantity=1, lot_code=f"L{n}")
        return lambda: stock_transfer(
            actor=manager_user,
            item=item,
            from_store=store,
            to_store=other_store,
            quantity=lots,
            idempotency_key=f"t-{tag}",
        )

    assert_flat(stocked, django_assert_num_queries)


@pytest.mark.parametrize("named", [False, True], ids=["drawn", "lot named"])
def test_transfer_of_1_and_10_lines(
    manager_user, store, other_store, django_assert_num_queries, named
):
    def lines(count, tag):
        items = _stocked_items(manager_user, store, count, tag)
        lots = {lot.item_id: lot for lot in Lot.objects.filter(item__in=items)}
        return lambda: stock_transfer_lines(
            actor=manager_user,
            from_store=store,
            to_store=other_store,
            lines=[(i, 2, lots[i.pk] if named else None) for i in items],
            idempotency_key=f"tl-{tag}",
        )

    assert_flat(lines, django_assert_num_queries)


def test_adjustment_does_not_grow_with_the_items_lot_history(
    manager_user, store, django_assert_num_queries
):
    def with_history(lots, tag):
        item = ItemFactory(sku=tag)
        for n in range(lots):
            stock_receive(actor=manager_user, item=item, store=store, quantity=1, lot_code=f"L{n}")
        lot = Lot.objects.get(item=item, code="L0")
        return lambda: stock_adjust(
            actor=manager_user,
            lot=lot,
            store=store,
            quantity=-1,
            reason="DAMAGE",
            idempotency_key=f"a-{tag}",
        )

    assert_flat(with_history, django_assert_num_queries)
