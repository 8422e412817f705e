"""The item picker in a real browser: search by part of a SKU, choose with the keyboard,
record the sale; and the same sale without JavaScript, by typing the SKU."""

from decimal import Decimal
from urllib.parse import urlsplit

import pytest

from inventory.models import SalesOrder
from inventory.selectors.stock import stock_totals_for_item
from inventory.services.stock import stock_receive
from inventory.tests.factories import ItemFactory, StoreFactory

from .conftest import login

D = Decimal
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


def _staff(demo_users):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=demo_users["Staff"][0])


def _stock(demo_users):
    staff = _staff(demo_users)
    store = StoreFactory(code="MAIN", name="Main Store")
    lamp = ItemFactory(sku="LAMP-E2E", name="Desk lamp", unit_price=D("5.00"))
    ItemFactory(sku="LAMB-1", name="Lamb chops")  # also matches "LAM"
    ItemFactory(sku="OLD-LAMP", name="Old lamp", is_active=False)
    stock_receive(actor=staff, item=lamp, store=store, quantity="10", unit_cost="2.00")
    return store, lamp


def _assert_sold(lamp, store, quantity):
    order = SalesOrder.objects.get()
    assert order.status == SalesOrder.Status.SHIPPED
    assert [(line.item_id, line.quantity) for line in order.lines.all()] == [(lamp.pk, quantity)]
    assert stock_totals_for_item(item=lamp, store=store)["on_hand"] == D("10") - quantity


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_quick_sale_with_the_keyboard(new_page, demo_users, viewport):
    # given two items whose SKUs start with LAM and a deactivated one that does too
    store, lamp = _stock(demo_users)
    page = new_page(viewport=VIEWPORTS[viewport])
    login(page, *demo_users["Staff"])
    page.goto("/sales/quick/")
    page.get_by_label("Store").select_option(label="Main Store")

    # when part of the SKU is typed into the picker
    box = page.get_by_role("combobox", name="Item")
    box.click()
    box.press_sequentially("lam", delay=30)

    # then the active items matching it are offered, with the stock of the chosen store
    listbox = page.get_by_role("listbox")
    options = listbox.get_by_role("option")
    options.first.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    assert options.count() == 2
    texts = options.all_inner_texts()
    assert texts[0].startswith("LAMB-1 Lamb chops")
    assert texts[1].startswith("LAMP-E2E Desk lamp")
    assert "10 pcs available" in texts[1]
    assert "OLD-LAMP" not in listbox.inner_text()

    # when the second option is chosen with the arrow key and Enter
    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == options.nth(1).get_attribute("id")
    box.press("Enter")

    # then the box holds its SKU, the list is closed and the form was not submitted
    assert box.input_value() == "LAMP-E2E"
    assert box.get_attribute("aria-expanded") == "false"
    assert urlsplit(page.url).path == "/sales/quick/"
    assert "Desk lamp" in page.locator("[data-picker=item] .picker-picked").first.inner_text()

    # when Escape is pressed in a reopened list, it closes and keeps the choice
    box.press("ArrowDown")
    options.first.wait_for()
    box.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    assert box.input_value() == "LAMP-E2E"

    # when the quantity is given and the sale recorded
    page.get_by_label("Quantity").first.fill("3")
    page.get_by_role("button", name="Record sale").click()

    # then the sale of 3 lamps is recorded and issued
    assert "recorded and issued" in page.get_by_role("alert").first.inner_text()
    _assert_sold(lamp, store, D("3"))
    assert page.js_errors == []


def test_picker_in_a_formset_row_added_later(page, demo_users):
    # given lamps and lamb chops in stock
    store, lamp = _stock(demo_users)
    lamb = lamp.__class__.objects.get(sku="LAMB-1")
    stock_receive(actor=_staff(demo_users), item=lamb, store=store, quantity="5")
    login(page, *demo_users["Staff"])
    page.goto("/sales/quick/")
    page.get_by_label("Store").select_option(label="Main Store")

    # when the first line gets lamb chops and a line added later gets lamps
    first = page.get_by_role("combobox", name="Item").first
    first.press_sequentially("chops", delay=30)  # by name
    page.get_by_role("option", name="LAMB-1 Lamb chops").wait_for()
    first.press("Enter")
    page.get_by_label("Quantity").first.fill("1")
    page.get_by_role("button", name="Add line").click()
    added = page.get_by_role("combobox", name="Item").nth(1)
    # the new line's item box has the focus, ready for the next scan
    assert added.evaluate("el => el === document.activeElement")
    added.press_sequentially("LAMP-E", delay=30)
    page.get_by_role("option", name="LAMP-E2E Desk lamp").wait_for()
    added.press("Enter")
    page.get_by_label("Quantity").nth(1).fill("2")
    page.get_by_role("button", name="Record sale").click()

    # then both lines are sold
    assert "recorded and issued" in page.get_by_role("alert").first.inner_text()
    order = SalesOrder.objects.get()
    lines = [(line.item.sku, line.quantity) for line in order.lines.order_by("pk")]
    assert lines == [("LAMB-1", D("1")), ("LAMP-E2E", D("2"))]
    assert page.js_errors == []


def test_quick_sale_without_javascript(new_page, demo_users):
    # given a browser with JavaScript off
    store, lamp = _stock(demo_users)
    page = new_page(java_script_enabled=False)
    login(page, *demo_users["Staff"])
    page.goto("/sales/quick/")
    page.get_by_label("Store").select_option(label="Main Store")

    # then the picker is a plain text box with a way to find an item
    box = page.get_by_label("Item")
    assert box.get_attribute("role") is None
    assert page.get_by_role("link", name="Find an item").first.get_attribute("href") == "/items/"

    # when a wrong SKU is typed, the form says so and records nothing
    box.fill("LAMP-NOPE")
    page.get_by_label("Quantity").first.fill("3")
    page.get_by_role("button", name="Record sale").click()
    assert "No item has the SKU or barcode “LAMP-NOPE”." in page.locator("body").inner_text()
    assert SalesOrder.objects.count() == 0

    # when the SKU is typed (in any case) and the sale recorded
    page.get_by_label("Item").fill("lamp-e2e")
    page.get_by_role("button", name="Record sale").click()

    # then the sale of 3 lamps is recorded and issued
    assert "recorded and issued" in page.get_by_role("alert").first.inner_text()
    _assert_sold(lamp, store, D("3"))
