"""A sales order's page on a desktop (1280x800): once shipped lines carry their Return
form, the table still has room for item names and figures on one line each."""

import pytest
from django.contrib.auth import get_user_model

from inventory.services.sales import sales_quick_sale
from inventory.services.stock import stock_receive
from inventory.tests.factories import ItemFactory, StoreFactory

from .conftest import login
from .test_phone_lists import DESKTOP

# Cells and headings of the Lines table that take more than one line of text.
WRAPPED = """table => [...table.querySelectorAll('th, tbody td:not(:last-child)')]
  .filter(cell => {
    const range = document.createRange();
    range.selectNodeContents(cell);
    const rects = [...range.getClientRects()].filter(r => r.width);
    const tops = new Set(rects.map(r => Math.round(r.bottom)));
    return tops.size > 1;
  })
  .map(cell => cell.textContent.trim())"""


@pytest.fixture
def shipped_sale(demo_users):
    """A counter sale of two items with long names: both lines can be returned."""
    manager = get_user_model().objects.get(username=demo_users["Manager"][0])
    store = StoreFactory(code="MAIN", name="Main Store")
    lines = []
    for sku, name in (("TAPE-50", "Duct tape 50 m"), ("BOLT-M8", "Hex bolt M8 x 40, zinc")):
        item = ItemFactory(sku=sku, name=name, unit="m")
        stock_receive(actor=manager, item=item, store=store, quantity="1200", lot_code="L")
        lines.append((item, "1000", "1234.50"))
    return sales_quick_sale(
        actor=manager, store=store, customer=None, lines=lines, idempotency_key="qa-wide"
    ).order


def test_sales_lines_keep_names_and_figures_on_one_line_beside_the_return_form(
    new_page, demo_users, shipped_sale
):
    # given a desktop and a shipped order, each line with its Return form
    page = new_page(viewport=DESKTOP)
    login(page, *demo_users["Manager"])

    # when its page is shown
    page.goto(shipped_sale.get_absolute_url())
    table = page.get_by_role("table", name="Lines", exact=True)
    assert table.get_by_role("button", name="Record return").count() == 2

    # then no heading, item name or figure wraps, and the form stays in the window
    assert table.evaluate(WRAPPED) == []
    button = table.get_by_role("button", name="Record return").first.bounding_box()
    assert button["x"] + button["width"] <= DESKTOP["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    assert page.js_errors == []
