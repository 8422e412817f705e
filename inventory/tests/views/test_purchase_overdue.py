"""Overdue deliveries: a placed purchase order not all received and expected before today
(in TIME_ZONE) is marked Overdue on the list and its page, found by the list's Overdue
filter and counted on the dashboard; one expected today, a draft, a received or a
cancelled order is not."""

from datetime import date, datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from inventory.services.purchasing import (
    purchase_order_cancel,
    purchase_order_create,
    purchase_order_place,
    purchase_order_receive,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def orders(manager_user, supplier, store, item):
    """Each order expected on its day, for 10 of the item, in the state its name says."""
    today = timezone.localdate()
    yesterday, week_ago = today - timedelta(days=1), today - timedelta(days=7)

    def order(expected_on, *, place=True):
        made = purchase_order_create(
            actor=manager_user, supplier=supplier, store=store, expected_on=expected_on,
            lines=[(item, "10", "1.00")],
        )  # fmt: skip
        return purchase_order_place(actor=manager_user, order=made) if place else made

    made = {
        "late": order(yesterday),
        "late, part received": order(week_ago),
        "due today": order(today),
        "no date": order(None),
        "draft": order(yesterday, place=False),
        "received": order(week_ago),
        "cancelled": order(week_ago),
    }
    line = made["late, part received"].lines.get()
    purchase_order_receive(actor=manager_user, order=made["late, part received"],
                           receipts=[{"line": line, "quantity": "4"}])  # fmt: skip
    line = made["received"].lines.get()
    purchase_order_receive(actor=manager_user, order=made["received"],
                           receipts=[{"line": line, "quantity": "10"}])  # fmt: skip
    purchase_order_cancel(actor=manager_user, order=made["cancelled"])
    return made


def test_the_overdue_filter_lists_late_orders_only(manager_client, orders):
    response = manager_client.get("/purchases/", {"status": "OVERDUE"})

    listed = {order.number for order in response.context["page"]}
    assert listed == {orders["late"].number, orders["late, part received"].number}
    assert response.content.decode().count('data-testid="overdue"') == 2


def test_the_list_and_the_order_page_mark_a_late_order(manager_client, orders):
    html = manager_client.get("/purchases/").content.decode()
    marked = [
        name
        for name, order in orders.items()
        if 'data-testid="overdue"' in html.split(f">{order.number}<")[1].split("</tr>")[0]
    ]
    assert sorted(marked) == ["late", "late, part received"]
    for name, shown in (("late", True), ("due today", False), ("received", False)):
        page = manager_client.get(orders[name].get_absolute_url()).content.decode()
        assert ('data-testid="overdue"' in page) is shown, name


def test_the_dashboard_counts_overdue_deliveries(manager_client, orders, store):
    html = manager_client.get("/dashboard/", {"store": store.pk}).content.decode()

    assert 'data-testid="overdue-purchases">2<' in html
    assert f'href="/purchases/?status=OVERDUE&amp;store={store.pk}"' in html


@pytest.mark.parametrize(("utc_hour", "late"), [(10, False), (11, True)])
def test_a_day_is_late_once_it_has_passed_where_the_shop_is(
    manager_client, manager_user, supplier, store, item, settings, utc_hour, late
):
    # Auckland is 13 hours ahead: 10:59 UTC on 30 Nov is 23:59 there, still 30 Nov;
    # 11:00 UTC is 1 Dec there, and an order expected on 30 Nov is late.
    settings.TIME_ZONE = "Pacific/Auckland"
    order = purchase_order_create(
        actor=manager_user, supplier=supplier, store=store, expected_on=date(2026, 11, 30),
        lines=[(item, "1", "1.00")],
    )  # fmt: skip
    purchase_order_place(actor=manager_user, order=order)
    now = datetime(2026, 11, 30, utc_hour, 59 if utc_hour == 10 else 0, tzinfo=ZoneInfo("UTC"))

    with mock.patch("django.utils.timezone.now", return_value=now):
        response = manager_client.get("/purchases/", {"status": "OVERDUE"})

    assert [o.number for o in response.context["page"]] == ([order.number] if late else [])
