"""Dashboard figures: purchases, sales net of returns, cost of goods, stock value, chart."""

import contextlib
from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from inventory.models import (
    Alert,
    Lot,
    SalesOrder,
)
from inventory.selectors.dashboard import Period, dashboard_figures
from inventory.services.purchasing import (
    purchase_direct,
    purchase_order_create,
    purchase_order_place,
)
from inventory.services.sales import sales_order_create, sales_order_return, sales_quick_sale
from inventory.services.stock import stock_issue, stock_receive
from inventory.tests.factories import ItemFactory

pytestmark = pytest.mark.django_db
D = Decimal


@contextlib.contextmanager
def moved_at(when):
    """Record what happens inside at `when` (auto_now_add reads timezone.now)."""
    with mock.patch("django.utils.timezone.now", return_value=when):
        yield


def purchase(user, item, store, quantity, cost):
    result = purchase_direct(
        actor=user,
        supplier=item.supplier,
        store=store,
        lines=[{"item": item, "quantity": quantity, "unit_cost": cost}],
    )
    return result.order.lines.get()


def sale(user, item, store, quantity, price):
    result = sales_quick_sale(
        actor=user,
        store=store,
        customer=None,
        lines=[(item, quantity, price)],
        idempotency_key=None,
    )
    return result.order.lines.get()


def give_back(user, line, quantity):
    sales_order_return(actor=user, line=line, quantity=quantity, idempotency_key=None)


@pytest.fixture
def trading(manager_user, store, other_store, item):
    """MAIN buys 10 at 3.00 on a PO and sells 4 at 7.50, 1 comes back; WH receives 5 at 2.00."""
    purchase(manager_user, item, store, D("10"), D("3.00"))
    line = sale(manager_user, item, store, D("4"), D("7.50"))
    give_back(manager_user, line, D("1"))
    stock_receive(
        actor=manager_user, item=item, store=other_store, quantity=D("5"), unit_cost=D("2.00")
    )
    return line


def test_totals_count_po_receipts_and_sales_net_of_returns(trading):
    # when
    figures = dashboard_figures()

    # then
    assert figures["totals"] == {
        "purchased_lines": 1,
        "purchased_items": 1,
        "purchased_value": D("30.00"),
        "sold_lines": 1,
        "sold_items": 1,
        "returned_lines": 1,
        "sold_value": D("22.50"),
        "cost_of_goods": D("9.00"),
        "gross_margin": D("13.50"),
        "gross_margin_percent": D("60.0"),
    }


def test_stock_value_per_store_is_on_hand_at_lot_cost(trading, store, other_store):
    figures = dashboard_figures()

    assert [
        (r["store__code"], r["items"], r["value"]) for r in figures["stock_value_by_store"]
    ] == [
        ("MAIN", 1, D("21.00")),
        ("WH", 1, D("10.00")),
    ]
    assert figures["stock_value"] == D("31.00")


def test_chart_has_one_point_per_day_with_todays_sales_and_receipts(trading):
    figures = dashboard_figures()

    chart = figures["chart"]
    today = timezone.localdate()
    assert len(chart["labels"]) == 30
    assert chart["labels"][-1] == today.isoformat()
    assert chart["labels"][0] == (today - timedelta(days=29)).isoformat()
    assert chart["sales"][-1] == 22.5
    assert chart["receipts"][-1] == 40.0
    assert chart["sales"][:-1] == [0.0] * 29
    assert chart["receipts"][:-1] == [0.0] * 29


def test_store_filter_keeps_only_that_stores_figures(trading, other_store):
    figures = dashboard_figures(store=other_store)

    assert figures["totals"]["purchased_value"] == D("0.00")
    assert figures["totals"]["sold_value"] == D("0.00")
    assert figures["chart"]["receipts"][-1] == 10.0
    assert [r["store__code"] for r in figures["stock_value_by_store"]] == ["WH"]
    assert figures["stock_value"] == D("10.00")
    assert [e.store.code for e in figures["recent_movements"]] == ["WH"]
    assert figures["counts"]["purchases"] == 0
    assert figures["counts"]["sales"] == 0


def test_movements_outside_the_period_are_left_out(manager_user, store, item):
    # given a purchase 40 days ago and one today
    long_ago = timezone.now() - timedelta(days=40)
    with moved_at(long_ago):
        purchase(manager_user, item, store, D("2"), D("1.00"))
    purchase(manager_user, item, store, D("3"), D("1.00"))

    # when
    recent = dashboard_figures()
    both = dashboard_figures(period=Period(date_from=long_ago.date(), date_to=timezone.localdate()))

    # then
    assert recent["totals"]["purchased_value"] == D("3.00")
    assert recent["counts"]["purchases"] == 1
    assert len(recent["recent_movements"]) == 1
    assert both["totals"]["purchased_value"] == D("5.00")
    assert both["totals"]["purchased_lines"] == 2
    assert both["counts"]["purchases"] == 2
    assert both["chart"]["receipts"][0] == 2.0
    assert len(both["chart"]["labels"]) == 41


def test_counts_queues_and_low_stock(manager_user, store, other_store, item, qc_item):
    # given an item below its reorder level, a lot in quarantine and an open alert
    low = ItemFactory(sku="LOW-1", reorder_level=D("10"))
    stock_receive(actor=manager_user, item=low, store=store, quantity=D("5"))
    stock_issue(actor=manager_user, item=low, store=store, quantity=D("1"))  # the drop
    stock_receive(actor=manager_user, item=qc_item, store=other_store, quantity=D("2"))
    purchase(manager_user, item, store, D("1"), D("1.00"))
    sale(manager_user, item, store, D("1"), D("2.00"))
    # and one order of each kind still open: a placed PO and a confirmed sales order
    placed = purchase_order_create(
        actor=manager_user, supplier=item.supplier, store=store, lines=[(item, D("5"), None)]
    )
    purchase_order_place(actor=manager_user, order=placed)
    confirmed = sales_order_create(
        actor=manager_user, store=other_store, customer=None, lines=[(qc_item, D("1"))]
    )
    SalesOrder.objects.filter(pk=confirmed.pk).update(status=SalesOrder.Status.CONFIRMED)

    # when
    figures = dashboard_figures()
    at_main = dashboard_figures(store=store)

    # then
    assert figures["counts"] == {
        "stores": 2,
        "categories": 3,
        "items": 3,
        "customers": 0,
        "suppliers": 3,
        "purchases": 2,
        "sales": 2,
    }
    assert figures["qc_queue"] == 1
    assert at_main["qc_queue"] == 0
    assert figures["open_purchases"] == 1
    assert figures["open_sales"] == 1
    assert figures["open_alerts"] == Alert.objects.filter(status="OPEN").count() == 1
    assert [(r["item__sku"], r["store__code"], r["shortfall"]) for r in figures["low_stock"]] == [
        ("LOW-1", "MAIN", D("6.000"))
    ]
    assert Lot.objects.filter(qc_status="QUARANTINE").count() == 1


def test_query_count_does_not_grow_with_movements(
    manager_user, store, item, django_assert_num_queries
):
    # given one movement, the number of queries the dashboard needs
    purchase(manager_user, item, store, D("1"), D("1.00"))
    with django_assert_num_queries(18):  # 16 + the expiring lots + items never stocked
        dashboard_figures(store=store)

    # when there are many more movements, items and orders
    for _ in range(15):
        other = ItemFactory()
        purchase(manager_user, other, store, D("2"), D("1.00"))
        sale(manager_user, other, store, D("1"), D("3.00"))

    # then the dashboard still needs the same number
    with django_assert_num_queries(18):  # 16 + the expiring lots + items never stocked
        dashboard_figures(store=store)


def test_a_user_without_activity_sees_zeros():
    UserFactory(role="Manager")

    figures = dashboard_figures()

    assert figures["totals"]["sold_value"] == D("0.00")
    assert figures["totals"]["gross_margin_percent"] is None
    assert figures["stock_value"] == D("0")
    assert figures["recent_movements"] == []
