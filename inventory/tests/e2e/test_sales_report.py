"""A manager reads what sold, item by item: from the dashboard's Sold card to Sales by
item for the same days, sorted by margin, and its CSV; on a desktop and on a phone."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from inventory.services.sales import sales_quick_sale
from inventory.services.stock import stock_receive
from inventory.tests.factories import ItemFactory, StoreFactory

from .conftest import login
from .test_picker import VIEWPORTS, _staff


def _sold(demo_users):
    """Bolts: 3 sold at 5.00 (cost 2.00); a drill: 1 at 30.00 (cost 28.00)."""
    staff = _staff(demo_users)
    main = StoreFactory(code="MAIN", name="Main Store")
    bolts = ItemFactory(sku="BOLT-M8", name="Bolts")
    drill = ItemFactory(sku="DRILL-1", name="Drill")
    for item, cost in ((bolts, "2.00"), (drill, "28.00")):
        stock_receive(actor=staff, item=item, store=main, quantity=5, unit_cost=cost)
    sales_quick_sale(
        actor=staff,
        store=main,
        customer=None,
        lines=[(bolts, "3", "5.00"), (drill, "1", "30.00")],
        idempotency_key=None,
    )


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_a_manager_reads_sales_by_item_from_the_dashboard(new_page, demo_users, viewport):
    _sold(demo_users)
    page = new_page(viewport=VIEWPORTS[viewport])
    login(page, *demo_users["Manager"])

    # when the manager follows the dashboard's Sold card to its items
    page.goto("/dashboard/")
    page.get_by_test_id("sales-by-item-link").click()
    expect(page.get_by_role("heading", name="Sales by item")).to_be_visible()

    # then the largest sale leads, and by margin the bolts do
    rows = page.get_by_test_id("sales-by-item").locator("tbody tr[data-testid^=row-]")
    expect(rows.first).to_contain_text("DRILL-1")
    expect(page.get_by_test_id("total-value")).to_have_text("45.00")
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[viewport]["width"]
    page.get_by_role("link", name="Largest margin first").click()
    expect(rows.first).to_contain_text("BOLT-M8")
    expect(rows.first.get_by_test_id("margin")).to_have_text("9.00")
    with page.expect_download() as download:
        page.get_by_role("link", name="Export CSV").click()
    lines = Path(download.value.path()).read_text(encoding="utf-8").splitlines()
    assert [line.split(",")[0] for line in lines] == ["sku", "BOLT-M8", "DRILL-1"]
    assert page.js_errors == []
