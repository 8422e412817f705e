"""Enter in the lines of a purchase order's and a sales order's draft, in a real browser.
Left by a QA pass: Enter after a line's quantity saved the draft at once with the lines
typed so far, and the rest had to be added through Edit. A purchase order's draft now
goes on through its boxes as a direct purchase does (purchasing.js, data-line-keys); a
sales order's keeps the till's keys (quick-keys.js): Enter goes to the next line, and
Enter on an empty line or Ctrl+Enter saves."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from inventory.models import PurchaseOrder, SalesOrder
from inventory.tests.factories import ItemFactory, StoreFactory

from .conftest import login
from .test_enter_in_lines import _scan, fits, purchase_form
from .test_picker import VIEWPORTS

D = Decimal


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_enter_in_a_purchase_draft_goes_on_and_ctrl_enter_saves(new_page, demo_users, viewport):
    # given a new purchase order with its supplier and store chosen, and a scan on line 1
    page = new_page(viewport=VIEWPORTS[viewport])
    lamp, tape = purchase_form(page, demo_users["Manager"], "/purchases/order/new/")

    # when a quantity and Enter, twice: on to the cost, then to a new line; nothing saved
    page.keyboard.type("5")
    page.keyboard.press("Enter")
    expect(page.locator("#id_lines-0-unit_cost")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#id_lines-1-item")).to_be_focused()
    assert not PurchaseOrder.objects.exists()

    # then the second line, and Ctrl+Enter saves the draft with both
    _scan(page.locator("#id_lines-1-item"), "TAPE-1")
    expect(page.locator("#id_lines-1-quantity")).to_be_focused()
    page.keyboard.type("2")
    page.keyboard.press("Control+Enter")
    page.wait_for_url("**/purchases/*/")
    order = PurchaseOrder.objects.get()
    assert order.status == PurchaseOrder.Status.DRAFT
    lines = order.lines.order_by("pk")
    assert [(ln.item_id, ln.quantity_ordered) for ln in lines] == [
        (lamp.pk, D("5")),
        (tape.pk, D("2")),
    ]
    assert page.js_errors == []
    assert fits(page)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_enter_in_a_sales_draft_goes_to_the_next_line_and_saves_from_an_empty_one(
    new_page, demo_users, viewport
):
    # given a new sales order with its store chosen, and a scan on line 1
    StoreFactory(code="MAIN", name="Main Store")
    lamp, tape = ItemFactory(sku="LAMP-1"), ItemFactory(sku="TAPE-1")
    page = new_page(viewport=VIEWPORTS[viewport])
    login(page, *demo_users["Staff"])
    page.goto("/sales/new/")
    page.get_by_label("Store").select_option(label="Main Store")
    _scan(page.locator("#id_lines-0-item"), "LAMP-1")
    expect(page.locator("#id_lines-0-quantity")).to_be_focused()
    assert fits(page)

    # when a quantity and Enter: on to the next line's item box, nothing saved
    page.keyboard.type("3")
    page.keyboard.press("Enter")
    expect(page.locator("#id_lines-1-item")).to_be_focused()
    assert not SalesOrder.objects.exists()

    # then a second line, and Enter on the empty line below saves the draft with both
    _scan(page.locator("#id_lines-1-item"), "TAPE-1")
    expect(page.locator("#id_lines-1-quantity")).to_be_focused()
    page.keyboard.type("4")
    page.keyboard.press("Enter")
    expect(page.locator("#id_lines-2-item")).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url("**/sales/*/")
    order = SalesOrder.objects.get()
    assert order.status == SalesOrder.Status.DRAFT
    lines = order.lines.order_by("pk")
    assert [(ln.item_id, ln.quantity) for ln in lines] == [(lamp.pk, D("3")), (tape.pk, D("4"))]
    assert page.js_errors == []
    assert fits(page)
