"""A manager reads the dashboard, filters it, exports movements and records an adjustment."""

import csv
import io
from decimal import Decimal

import pytest

from inventory.models import Item, LedgerEntry, Lot, Store
from inventory.services.stock import stock_receive
from inventory.tests.factories import ItemFactory

from .conftest import login

D = Decimal


@pytest.fixture
def shop(demo_users):
    """Two stores with one item received in each, by the demo manager."""
    from django.contrib.auth import get_user_model

    manager = get_user_model().objects.get(username=demo_users["Manager"][0])
    main = Store.objects.create(code="MAIN", name="Main Store")
    warehouse = Store.objects.create(code="WH", name="Central Warehouse")
    item = ItemFactory(sku="BOLT-M8", name="Hex bolt M8", reorder_level=D("0"))
    stock_receive(
        actor=manager, item=item, store=main, quantity=10, unit_cost="2.00", lot_code="A1"
    )
    stock_receive(
        actor=manager, item=item, store=warehouse, quantity=4, unit_cost="5.00", lot_code="W1"
    )
    return {"main": main, "warehouse": warehouse, "item": item}


def test_manager_dashboard_export_and_adjustment(page, demo_users, shop, tmp_path):
    # given a manager who signs in: the home page is the dashboard
    login(page, *demo_users["Manager"])
    assert page.url.endswith("/dashboard/")

    # then the figures and the chart are there
    assert page.get_by_test_id("count-items").inner_text() == "1"
    assert page.get_by_test_id("count-stores").inner_text() == "2"
    assert page.get_by_test_id("stock-value-total").inner_text() == "40.00"
    assert "BOLT-M8" in page.get_by_test_id("recent-movements").inner_text()
    canvas = page.locator("canvas#sales-receipts-chart")
    assert canvas.get_attribute("data-chart-rendered") == "true"
    assert page.evaluate(
        "() => Chart.getChart(document.getElementById('sales-receipts-chart')).data"
        ".datasets.map(d => d.data.at(-1))"
    ) == [0, 40]
    assert canvas.bounding_box()["height"] > 100

    # when the manager filters by the warehouse
    page.get_by_label("Store").select_option(label="Central Warehouse")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_load_state("networkidle")

    # then only the warehouse counts
    assert "Central Warehouse" in page.get_by_test_id("dashboard-scope").inner_text()
    assert page.get_by_test_id("stock-value-total").inner_text() == "20.00"
    assert (
        page.evaluate(
            "() => Chart.getChart(document.getElementById('sales-receipts-chart')).data"
            ".datasets[1].data.at(-1)"
        )
        == 20
    )

    # when the manager exports the warehouse's movements
    page.goto(f"/ledger/?store={shop['warehouse'].pk}")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export CSV").click()
    path = tmp_path / "movements.csv"
    download_info.value.save_as(path)

    # then the file holds the header and the one warehouse receipt
    rows = list(csv.reader(io.StringIO(path.read_text())))
    assert rows[0][:8] == ["id", "created_at", "kind", "sku", "item", "store", "lot", "quantity"]
    assert [(r[2], r[3], r[5], r[6], r[7], r[10]) for r in rows[1:]] == [
        ("RECEIVE", "BOLT-M8", "WH", "W1", "4.000", "5.00")
    ]

    # when the manager writes off 2 damaged bolts from lot A1 in the main store
    page.goto("/")
    page.get_by_test_id("main-nav").get_by_role("button", name="Manage", exact=True).click()
    page.get_by_role("link", name="Adjustment").click()
    page.get_by_label("Item").fill("BOLT-M8")
    page.get_by_label("Store").select_option(label="Main Store")
    # The lot picker lists the lots of that item in that store; ArrowDown opens it.
    lot = page.get_by_role("combobox", name="Lot")
    lot.press("ArrowDown")
    page.get_by_role("option", name="A1").wait_for()
    lot.press("Enter")
    assert lot.input_value() == "A1"
    page.get_by_label("Quantity").fill("-2")
    page.get_by_label("Reason").select_option(label="Damage")
    page.get_by_label("Note").fill("Dropped a box")
    page.get_by_role("button", name="Record adjustment").click()
    page.wait_for_load_state("networkidle")

    # then the movement is in the list, with the success message
    assert "/ledger/?item=" in page.url
    assert page.get_by_text("Adjusted BOLT-M8 lot A1 in Main Store by -2 pcs.").is_visible()
    first_row = page.get_by_test_id("movements").locator("tbody tr").first
    assert "Adjust" in first_row.inner_text()
    assert "-2" in first_row.inner_text()
    entry = LedgerEntry.objects.get(kind="ADJUST")
    assert (entry.on_hand_delta, entry.reason, entry.note) == (D("-2"), "DAMAGE", "Dropped a box")
    assert Lot.objects.get(code="A1").balances.get().on_hand == D("8")
    assert Item.objects.count() == 1
    assert page.js_errors == []
