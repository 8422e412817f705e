"""The stock screen as CSV (a stock take, a valuation): the screen's rows and filters,
valued at lot cost. Asked for by two QA passes (a manager, a new owner): only movements
and the audit log could be exported."""

import csv
import io

import pytest
from django.urls import reverse

from inventory.services.qc import lot_reject
from inventory.services.sales import sales_order_confirm, sales_order_create
from inventory.services.stock import stock_receive
from inventory.tests.factories import ItemFactory, StoreFactory

pytestmark = pytest.mark.django_db
EXPORT = reverse("inventory:stock_export")


@pytest.fixture
def stocked(manager_user, store):
    bolt = ItemFactory(sku="BOLT-M8", name="Bolt =M8", reorder_level=20)
    sand = ItemFactory(sku="SAND-25", name="Sand", unit="kg")
    yard = StoreFactory(code="YARD", name="Yard")
    for item, where, qty, cost in ((bolt, store, "12", "0.25"), (bolt, store, "3", "0.30"),
                                   (sand, yard, "2.5", "4.40")):  # fmt: skip
        stock_receive(actor=manager_user, item=item, store=where, quantity=qty, unit_cost=cost)
    bad = stock_receive(actor=manager_user, item=bolt, store=store, quantity="1", unit_cost="9")
    lot_reject(actor=manager_user, lot=bad.entries[0].lot, note="rusty")
    order = sales_order_create(actor=manager_user, store=store, customer=None,
                               lines=[(bolt, "4", "1.00")])  # fmt: skip
    sales_order_confirm(actor=manager_user, order=order, idempotency_key="c")
    return bolt, sand, yard


def rows_of(response):
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="stock-')
    text = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(text)))


def test_the_export_gives_every_figure_of_the_screen_and_the_value_at_cost(
    manager_client, stocked, store
):
    rows = rows_of(manager_client.get(EXPORT))

    assert rows[0][:8] == ["sku", "name", "unit", "store", "store_name", "on_hand", "reserved",
                           "available"]  # fmt: skip
    assert rows[1:] == [
        # 16 on hand (1 rejected), 4 reserved; 12 x 0.25 + 3 x 0.30 + 1 x 9.00; 20 - 11 short
        ["BOLT-M8", "Bolt =M8", "pcs", store.code, store.name, "16.000", "4.000", "11.000",
         "0.000", "0.000", "0.000", "1.000", "20.000", "9.000", "12.90"],
        ["SAND-25", "Sand", "kg", "YARD", "Yard", "2.500", "0.000", "2.500",
         "0.000", "0.000", "0.000", "0.000", "0.000", "0.000", "11.00"],
    ]  # fmt: skip


def test_the_export_keeps_the_screens_filters(manager_client, stocked):
    bolt, sand, yard = stocked

    assert [r[0] for r in rows_of(manager_client.get(EXPORT, {"store": yard.pk}))[1:]] == [
        "SAND-25"
    ]
    assert [r[0] for r in rows_of(manager_client.get(EXPORT, {"q": "bolt"}))[1:]] == ["BOLT-M8"]
    assert [r[0] for r in rows_of(manager_client.get(EXPORT, {"low": "1"}))[1:]] == ["BOLT-M8"]


def test_an_unknown_store_exports_nothing_and_says_why(manager_client, stocked):
    response = manager_client.get(EXPORT, {"store": "99999"})

    assert response.status_code == 400
    assert "text/html" in response["Content-Type"]


def test_the_screen_links_the_export_with_its_filters_for_managers_only(
    manager_client, staff_client, stocked
):
    page = manager_client.get(reverse("inventory:stock_levels"), {"q": "bolt"}).content.decode()
    assert f"{EXPORT}?q=bolt" in page
    assert EXPORT not in staff_client.get(reverse("inventory:stock_levels")).content.decode()
    assert staff_client.get(EXPORT).status_code == 403


def test_a_text_cell_that_starts_like_a_formula_is_neutralised(manager_client, manager_user, store):
    evil = ItemFactory(sku="=CMD", name="@evil")
    stock_receive(actor=manager_user, item=evil, store=store, quantity="1")

    rows = rows_of(manager_client.get(EXPORT))

    assert rows[1][:2] == ["'=CMD", "'@evil"]
