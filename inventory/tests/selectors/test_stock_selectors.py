import datetime
from decimal import Decimal

import pytest

from inventory.models import Item
from inventory.selectors.stock import (
    item_page_figures,
    items_with_stock,
    low_stock,
    stock_available,
    stock_by_lot_for_item,
    stock_by_store_for_item,
    stock_totals_for_item,
    stock_value,
    stock_value_by_store,
)
from inventory.services.qc import lot_approve, lot_reject
from inventory.services.stock import stock_issue, stock_receive, stock_reserve, stock_transfer
from inventory.tests.factories import ItemFactory, StoreFactory

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def stocked(manager_user, qc_item, store, other_store):
    """SKU-QC01: MAIN has an approved lot (10 @ 2.00, 3 reserved), a quarantined lot
    (4 @ 3.00) and a rejected lot (2 @ 1.00); WH has 5 of the approved lot."""

    def receive(store, quantity, code, cost, **kw):
        stock_receive(
            actor=manager_user,
            item=qc_item,
            store=store,
            quantity=quantity,
            lot_code=code,
            unit_cost=cost,
            **kw,
        )
        return qc_item.lots.get(code=code)

    good = receive(store, 15, "GOOD", "2.00", expires_on=datetime.date(2031, 1, 1))
    stock_transfer(
        actor=manager_user,
        item=qc_item,
        from_store=store,
        to_store=other_store,
        quantity=5,
        lot=good,
    )
    lot_approve(actor=manager_user, lot=good)
    receive(store, 4, "HELD", "3.00")
    bad = receive(store, 2, "BAD", "1.00")
    lot_reject(actor=manager_user, lot=bad, note="Damaged")
    stock_reserve(actor=manager_user, item=qc_item, store=store, quantity=3)
    return qc_item


def test_totals_per_item_count_only_approved_stock_as_available(stocked, store):
    assert stock_totals_for_item(item=stocked) == {
        "on_hand": D(21),
        "reserved": D(3),
        "available": D(12),
        "quarantined": D(4),
        "rejected": D(2),
        "expired": D(0),
        "near_expiry": D(0),
    }
    assert stock_totals_for_item(item=stocked, store=store) == {
        "on_hand": D(16),
        "reserved": D(3),
        "available": D(7),
        "quarantined": D(4),
        "rejected": D(2),
        "expired": D(0),
        "near_expiry": D(0),
    }
    assert stock_available(item=stocked, store=store) == D(7)


def test_totals_of_an_item_without_stock_are_zero(item):
    assert stock_totals_for_item(item=item) == {
        "on_hand": D(0),
        "reserved": D(0),
        "available": D(0),
        "quarantined": D(0),
        "rejected": D(0),
        "expired": D(0),
        "near_expiry": D(0),
    }


def test_figures_per_store(stocked):
    rows = stock_by_store_for_item(item=stocked)

    assert [
        (r["store__code"], r["on_hand"], r["reserved"], r["available"], r["quarantined"])
        for r in rows
    ] == [("MAIN", D(16), D(3), D(7), D(4)), ("WH", D(5), D(0), D(5), D(0))]


def test_figures_per_lot(stocked):
    rows = stock_by_lot_for_item(item=stocked)

    assert [
        (b.lot.code, b.store.code, b.lot.qc_status, b.on_hand, b.reserved, b.available)
        for b in rows
    ] == [
        ("GOOD", "MAIN", "APPROVED", D(10), D(3), D(7)),
        ("GOOD", "WH", "APPROVED", D(5), D(0), D(5)),
        ("HELD", "MAIN", "QUARANTINE", D(4), D(0), D(4)),
        ("BAD", "MAIN", "REJECTED", D(2), D(0), D(2)),
    ]


def test_stock_value_is_on_hand_at_each_lot_cost(stocked, store, other_store):
    # MAIN: 10 x 2.00 + 4 x 3.00 + 2 x 1.00 = 34.00; WH: 5 x 2.00 = 10.00
    assert stock_value() == D("44.00")
    assert stock_value(store=store) == D("34.00")
    assert [(r["store__code"], r["value"]) for r in stock_value_by_store()] == [
        ("MAIN", D("34.00")),
        ("WH", D("10.00")),
    ]


def test_items_with_stock_annotates_each_item(stocked, item, store):
    rows = {i.sku: i for i in items_with_stock(Item.objects.all())}

    assert (rows["SKU-QC01"].on_hand, rows["SKU-QC01"].reserved, rows["SKU-QC01"].available) == (
        D(21),
        D(3),
        D(12),
    )
    assert (rows["SKU-0042"].on_hand, rows["SKU-0042"].available) == (D(0), D(0))
    in_main = items_with_stock(Item.objects.filter(pk=stocked.pk), store=store).get()
    assert (in_main.on_hand, in_main.reserved, in_main.available) == (D(16), D(3), D(7))


@pytest.mark.parametrize("in_main", [False, True])
def test_a_pages_figures_in_one_query_equal_the_annotated_ones(
    stocked, item, store, other_store, manager_user, django_assert_num_queries, in_main
):
    low = ItemFactory(sku="LOW-2", reorder_level=D(5))
    stock_receive(actor=manager_user, item=low, store=other_store, quantity=3)
    stock_receive(actor=manager_user, item=low, store=store, quantity=9)
    gone = ItemFactory(sku="GONE", reorder_level=D(5))
    stock_receive(actor=manager_user, item=gone, store=store, quantity=1)
    Item.objects.filter(pk=gone.pk).update(is_active=False)
    where = store if in_main else None
    expected = {
        i.pk: (i.on_hand, i.reserved, i.available)
        for i in items_with_stock(Item.objects.all(), store=where)
    }
    page = list(Item.objects.order_by("sku"))

    with django_assert_num_queries(1):
        flagged = item_page_figures(page, store=where)

    assert {i.pk: (i.on_hand, i.reserved, i.available) for i in page} == expected
    # Low where it is stocked below its level: LOW-2 in WH only; deactivated items never.
    assert flagged == (set() if in_main else {low.pk})
    assert flagged == {r["item_id"] for r in low_stock(store=where, item_ids=list(expected))}


def test_low_stock_lists_stocked_pairs_below_the_reorder_level(manager_user, store, other_store):
    short = ItemFactory(sku="LOW-1", reorder_level=D(5))
    stock_receive(actor=manager_user, item=short, store=store, quantity=10)
    stock_receive(actor=manager_user, item=short, store=other_store, quantity=3)
    ItemFactory(sku="NEVER-STOCKED", reorder_level=D(5))

    rows = low_stock()

    assert [(r["item__sku"], r["store__code"], r["shortfall"]) for r in rows] == [
        ("LOW-1", "WH", D(2))
    ]


def test_a_deactivated_store_is_never_low(manager_user, store, other_store):
    # found by QA: a closed store kept showing in the dashboard's low-stock list
    short = ItemFactory(sku="LOW-1", reorder_level=D(5))
    stock_receive(actor=manager_user, item=short, store=store, quantity=3)
    stock_receive(actor=manager_user, item=short, store=other_store, quantity=3)
    other_store.is_active = False
    other_store.save(update_fields=["is_active"])

    rows = low_stock()

    assert [(r["item__sku"], r["store__code"]) for r in rows] == [("LOW-1", "MAIN")]
    # nor on the stock levels screen, nor in the item list's "Low stock in ..."
    from inventory.selectors.levels import stock_level_rows
    from inventory.selectors.stock import item_page_figures

    shortfalls = {r["store__code"]: r["shortfall"] for r in stock_level_rows(item=short)}
    assert shortfalls == {"MAIN": D(2), "WH": D(0)}
    item = Item.objects.get(pk=short.pk)
    assert item_page_figures([item]) == {short.pk}
    assert item.low_store_ids == [store.pk]


def _make_stock(manager_user, count):
    stores = [StoreFactory(code="Q-A"), StoreFactory(code="Q-B")]
    for n in range(count):
        item = ItemFactory(sku=f"Q-{count}-{n:03d}")
        for store in stores:
            stock_receive(actor=manager_user, item=item, store=store, quantity=5)
        stock_issue(actor=manager_user, item=item, store=stores[0], quantity=1)
    return stores


@pytest.mark.parametrize("count", [2, 20])
def test_selectors_use_a_constant_number_of_queries(manager_user, django_assert_num_queries, count):
    stores = _make_stock(manager_user, count)
    item = Item.objects.filter(sku__startswith="Q-").first()

    with django_assert_num_queries(1):
        list(items_with_stock(Item.objects.all()))
    with django_assert_num_queries(1):
        stock_totals_for_item(item=item)
    with django_assert_num_queries(1):
        stock_by_store_for_item(item=item)
    with django_assert_num_queries(1):
        list(stock_by_lot_for_item(item=item))
    with django_assert_num_queries(1):
        stock_value()
    with django_assert_num_queries(1):
        low_stock(store=stores[0])
