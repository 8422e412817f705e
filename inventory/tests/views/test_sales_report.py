"""Sales by item: each item's shipped, returned and net quantity in its unit, value sold
net of returns, cost of goods and margin for a store and a range of days; rows that add
up to the dashboard's figures; one page of queries whatever the number of items; a CSV
of the same rows."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from inventory.selectors.dashboard import Period, dashboard_totals
from inventory.services.sales import sales_order_confirm, sales_order_create, sales_quick_sale
from inventory.services.sales_shipping import sales_order_return, sales_order_ship
from inventory.services.stock import stock_receive
from inventory.tests.factories import ItemFactory

pytestmark = pytest.mark.django_db
URL, CSV_URL = "/reports/sales-by-item/", "/reports/sales-by-item.csv"


def _sell(actor, store, *lines):
    sales_quick_sale(
        actor=actor, store=store, customer=None, lines=list(lines), idempotency_key=None
    )


@pytest.fixture
def sold(manager_user, store, other_store):
    """Bolts (pcs at 2.00): 3 sold at 5.00, 2 on an order at 6.00 of which 1 came back.
    Flour (kg at 1.50): 1.5 kg at 4.00 here, 1 kg in the other store. A drill (pcs at
    28.00): 1 at 30.00, the largest sale with the smallest margin."""
    bolts = ItemFactory(sku="BOLT", name="Bolt")
    flour = ItemFactory(sku="FLOUR", name="Flour", unit="kg")
    drill = ItemFactory(sku="DRILL", name="Drill")
    for item, where, quantity, cost in (
        (bolts, store, 10, "2.00"),
        (flour, store, 5, "1.50"),
        (flour, other_store, 5, "1.50"),
        (drill, store, 1, "28.00"),
    ):
        stock_receive(actor=manager_user, item=item, store=where, quantity=quantity, unit_cost=cost)
    _sell(manager_user, store, (bolts, "3", "5.00"), (flour, "1.5", "4.00"), (drill, "1", "30.00"))
    _sell(manager_user, other_store, (flour, "1", "4.00"))
    order = sales_order_create(
        actor=manager_user, store=store, customer=None, lines=[(bolts, "2", "6.00")]
    )
    sales_order_confirm(actor=manager_user, order=order, idempotency_key=None)
    line = order.lines.get()
    sales_order_ship(actor=manager_user, order=order, shipments={line: "2"}, idempotency_key=None)
    sales_order_return(actor=manager_user, line=line, quantity="1", idempotency_key="back")
    return {"bolts": bolts, "flour": flour, "drill": drill}


def _rows(response) -> dict:
    return {
        row["item__sku"]: (
            str(row["shipped"].normalize()),
            str(row["returned"].normalize()),
            str(row["net"].normalize()),
            str(row["value"]),
            str(row["cost"]),
            str(row["margin"]),
            str(row["margin_percent"]),
        )
        for row in response.context["page"].object_list
    }


def test_each_item_sold_in_a_store_with_its_value_cost_and_margin(manager_client, store, sold):
    response = manager_client.get(URL, {"store": store.pk})

    assert response.status_code == 200
    # bolts: 3 x 5.00 + 2 x 6.00 - 1 x 6.00 = 21.00 for 4 at 2.00 = 8.00
    assert _rows(response) == {
        "DRILL": ("1", "0", "1", "30.00", "28.00", "2.00", "6.7"),
        "BOLT": ("5", "1", "4", "21.00", "8.00", "13.00", "61.9"),
        "FLOUR": ("1.5", "0", "1.5", "6.00", "2.25", "3.75", "62.5"),
    }
    assert list(_rows(response)) == ["DRILL", "BOLT", "FLOUR"]  # largest sales first
    html = response.content.decode()
    assert 'data-testid="row-BOLT"' in html and ">1 pc<" in html  # returned, in its unit
    assert 'data-testid="total-value">57.00<' in html


def test_all_stores_and_the_largest_margin_first(manager_client, sold):
    response = manager_client.get(URL, {"order": "margin"})

    assert _rows(response)["FLOUR"] == ("2.5", "0", "2.5", "10.00", "3.75", "6.25", "62.5")
    assert list(_rows(response)) == ["BOLT", "FLOUR", "DRILL"]


@pytest.mark.parametrize("where", ["store", "all"])
def test_the_rows_add_up_to_the_dashboards_figures(manager_client, store, sold, where):
    params = {"store": store.pk} if where == "store" else {}
    response = manager_client.get(URL, params)

    rows = response.context["page"].object_list
    totals = dashboard_totals(period=Period.last_days(), store=store if params else None)
    assert sum(row["value"] for row in rows) == totals["sold_value"]
    assert sum(row["cost"] for row in rows) == totals["cost_of_goods"]
    assert sum(row["margin"] for row in rows) == totals["gross_margin"]
    assert response.context["totals"] == totals


def test_days_without_sales_say_so(manager_client, store, sold):
    tomorrow = timezone.localdate() + timedelta(days=1)

    response = manager_client.get(
        URL, {"store": store.pk, "date_from": tomorrow, "date_to": tomorrow}
    )

    html = response.content.decode()
    assert response.context["page"].object_list == []
    assert "Nothing was shipped or returned in Main Store in these days." in html
    assert 'data-testid="totals"' not in html


def test_the_csv_gives_the_rows_in_the_screens_order(manager_client, store, sold):
    response = manager_client.get(CSV_URL, {"store": store.pk, "order": "margin"})

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="sales-by-item-')
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:4] == ["sku", "name", "unit", "shipped"]
    assert [row[0] for row in rows[1:]] == ["BOLT", "FLOUR", "DRILL"]
    assert rows[1][3:] == ["5.000", "1.000", "4.000", "21.00", "8.00", "13.00", "61.9"]


@pytest.mark.parametrize("url", [URL, CSV_URL])
def test_unreadable_filters_are_refused_with_no_figures(manager_client, sold, url):
    response = manager_client.get(url, {"date_from": "2026-02-30", "store": "abc"})

    assert response.status_code == (400 if url == CSV_URL else 200)
    assert "page" not in response.context
    assert response.context["form"].errors["date_from"]


def test_staff_may_not_open_the_report(staff_client):
    assert staff_client.get(URL).status_code == 403
    assert staff_client.get(CSV_URL).status_code == 403


def test_the_dashboard_links_to_the_report_for_its_days_and_store(manager_client, store):
    html = manager_client.get("/dashboard/", {"store": store.pk}).content.decode()

    period = Period.last_days()
    link = f"{URL}?date_from={period.date_from}&amp;date_to={period.date_to}&amp;store={store.pk}"
    assert f'href="{link}" data-testid="sales-by-item-link"' in html


@pytest.mark.parametrize("items", [2, 12])
def test_the_report_reads_the_same_queries_whatever_its_items(
    manager_client, manager_user, store, items, django_assert_num_queries
):
    made = [ItemFactory() for _ in range(items)]
    for item in made:
        stock_receive(actor=manager_user, item=item, store=store, quantity=5)
    _sell(manager_user, store, *[(item, "1", "4.00") for item in made])

    # session, user, the store, the rows with their count, the totals, the menu's badges
    # and stores, the filter's stores
    with django_assert_num_queries(8):
        response = manager_client.get(URL, {"store": store.pk})

    assert len(response.context["page"].object_list) == items
