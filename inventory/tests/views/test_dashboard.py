"""The dashboard screen: who may open it, its filters, its figures and its query count."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inventory.services.stock import stock_receive
from inventory.tests.factories import ItemFactory

pytestmark = pytest.mark.django_db
URL = reverse("inventory:dashboard")


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url.startswith("/login/")


def test_staff_is_refused(staff_client):
    assert staff_client.get(URL).status_code == 403


def test_roleless_user_waits_for_approval(client, roleless_user):
    client.force_login(roleless_user)

    response = client.get(URL)

    assert response.status_code == 302
    assert response.url == reverse("awaiting_approval")


@pytest.mark.parametrize("who", ["manager_client", "admin_role_client"])
def test_managers_and_admins_see_it(request, who):
    response = request.getfixturevalue(who).get(URL)

    assert response.status_code == 200
    assert b'id="sales-receipts-chart"' in response.content
    assert b'id="chart-data"' in response.content


def test_home_sends_a_manager_to_the_dashboard(manager_client):
    response = manager_client.get("/")

    assert response.status_code == 302
    assert response.url == URL


def test_figures_follow_the_store_filter(manager_client, manager_user, store, other_store, item):
    # given receipts in two stores
    stock_receive(actor=manager_user, item=item, store=store, quantity=3, unit_cost="2.00")
    stock_receive(actor=manager_user, item=item, store=other_store, quantity=4, unit_cost="5.00")

    # when
    everything = manager_client.get(URL)
    warehouse = manager_client.get(URL, {"store": other_store.pk})

    # then
    assert everything.context["stock_value"] == Decimal("26.00")
    assert everything.context["chart"]["receipts"][-1] == 26.0
    assert warehouse.context["stock_value"] == Decimal("20.00")
    assert warehouse.context["chart"]["receipts"][-1] == 20.0
    assert warehouse.context["store"] == other_store
    assert b"Warehouse" in warehouse.content


def test_date_range_filter_sets_the_chart_days(manager_client):
    response = manager_client.get(URL, {"date_from": "2026-01-01", "date_to": "2026-01-07"})

    assert response.status_code == 200
    assert response.context["chart"]["labels"] == [f"2026-01-0{d}" for d in range(1, 8)]


@pytest.mark.parametrize(
    "params",
    [
        {"date_from": "2026-02-10", "date_to": "2026-02-01"},
        {"date_from": "not-a-date"},
        {"store": "999999"},
        {"store": "abc"},
        {"date_from": "2000-01-01", "date_to": "2026-01-01"},
    ],
)
def test_bad_filters_show_their_errors_and_no_figures(manager_client, params):
    response = manager_client.get(URL, params)

    assert response.status_code == 200
    assert "chart" not in response.context and "period" not in response.context
    assert b'data-testid="filter-refusal"' in response.content


def test_query_count_is_constant(manager_client, manager_user, store, django_assert_num_queries):
    def receipts(n):
        for _ in range(n):
            stock_receive(actor=manager_user, item=ItemFactory(), store=store, quantity=1)

    # given 1 movement, then 21
    receipts(1)
    with CaptureQueriesContext(connection) as few:
        manager_client.get(URL)
    receipts(20)

    # then the dashboard runs the same queries: 17 of its own, the rest are the page's
    with django_assert_num_queries(len(few.captured_queries)):
        response = manager_client.get(URL)
    assert len(few.captured_queries) <= 25
    assert len(response.context["recent_movements"]) == 10


def test_waiting_orders_are_named_and_linked_as_what_they_count(
    manager_client, manager_user, store, item
):
    # Found by an auditor QA pass: "Open sales orders" left out drafts, which the customer
    # page's "open" counted; the card now says what it counts and lists exactly those.
    from inventory.services.sales import sales_order_confirm, sales_order_create
    from inventory.services.stock import stock_receive

    stock_receive(actor=manager_user, item=item, store=store, quantity="10")
    draft = sales_order_create(
        actor=manager_user, store=store, customer=None, lines=[(item, 1, None)]
    )
    confirmed = sales_order_create(
        actor=manager_user, store=store, customer=None, lines=[(item, 2, None)]
    )
    sales_order_confirm(actor=manager_user, order=confirmed, idempotency_key="c")

    page = manager_client.get("/dashboard/", {"store": store.pk}).content.decode()
    listed = manager_client.get("/sales/", {"status": "TO_SHIP", "store": store.pk})

    assert f'href="/sales/?status=TO_SHIP&amp;store={store.pk}">Sales orders to ship</a>' in page
    assert f'href="/purchases/?status=TO_RECEIVE&amp;store={store.pk}"' in page
    assert [o.pk for o in listed.context["page"]] == [confirmed.pk]
    assert draft.pk not in [o.pk for o in listed.context["page"]]


def test_items_with_a_reorder_level_never_stocked_are_listed_until_first_stocked(
    manager_client, manager_user, store
):
    # found by a first-week QA pass: on a first day every item was at 0 with a reorder
    # level, and the dashboard said "Nothing is below its reorder level"
    from inventory.services.stock import stock_receive
    from inventory.tests.factories import ItemFactory

    bulb = ItemFactory(sku="BULB", reorder_level=5)
    ItemFactory(sku="NOLEVEL", reorder_level=0)
    ItemFactory(sku="GONE", reorder_level=5, is_active=False)

    page = manager_client.get("/dashboard/").content.decode()

    assert page.count('data-testid="never-stocked"') == 1
    assert f'<a href="/items/{bulb.pk}/">BULB</a>' in page
    assert "Nothing is below its reorder level." not in page
    assert "record their first stock with a" in page

    stock_receive(actor=manager_user, item=bulb, store=store, quantity=6)
    page = manager_client.get("/dashboard/").content.decode()
    assert 'data-testid="never-stocked"' not in page
    assert "Nothing is below its reorder level." in page
