"""Keys faster than the search, in a real browser: a scanner, or a hand that types the
rest of the SKU and Enter before the list has caught up. Enter chooses from the answer to
what the box holds, never from the list left on screen by the letters before."""

from decimal import Decimal
from urllib.parse import urlsplit

import pytest

from inventory.models import SalesOrder
from inventory.selectors.stock import stock_totals_for_item
from inventory.services.stock import stock_receive
from inventory.tests.factories import ItemFactory, StoreFactory

from .test_picker import VIEWPORTS, _staff
from .test_picker_states import _quick_sale

D = Decimal


def _bolts(demo_users):
    """BOLT-M10 and BOLT-M8, 10 of each in Main Store: "bolt" lists BOLT-M10 first."""
    staff = _staff(demo_users)
    store = StoreFactory(code="MAIN", name="Main Store")
    m10 = ItemFactory(sku="BOLT-M10", name="Bolt M10")
    m8 = ItemFactory(sku="BOLT-M8", name="Bolt M8")
    for item in (m10, m8):
        stock_receive(actor=staff, item=item, store=store, quantity="10", unit_cost="1.00")
    return store, m10, m8


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_enter_before_the_list_catches_up_chooses_what_was_typed(new_page, demo_users, viewport):
    # given the list showing the answer to "bolt", BOLT-M10 first and active
    store, m10, m8 = _bolts(demo_users)
    page = _quick_sale(new_page, demo_users, viewport)
    box = page.get_by_role("combobox", name="Item")
    box.click()
    box.press_sequentially("bolt", delay=30)
    options = page.get_by_role("listbox").get_by_role("option")
    options.nth(1).wait_for()
    assert options.all_inner_texts()[0].startswith("BOLT-M10")

    # when the rest of the SKU and Enter come at once, before the next search is sent
    box.press_sequentially("-m8")
    box.press("Enter")

    # then BOLT-M8 is chosen, with its own caption, and the form was not submitted
    caption = page.locator("[data-picker=item] .picker-picked").first
    caption.filter(has_text="Bolt M8").wait_for()
    assert box.input_value() == "BOLT-M8"
    assert urlsplit(page.url).path == "/sales/quick/"

    # when the sale is recorded
    page.get_by_label("Quantity").first.fill("2")
    page.get_by_role("button", name="Record sale").click()
    page.wait_for_load_state("load")

    # then 2 of BOLT-M8 were sold, and BOLT-M10 is untouched
    line = SalesOrder.objects.get().lines.get()
    assert (line.item_id, line.quantity) == (m8.pk, D("2"))
    assert stock_totals_for_item(item=m8, store=store)["on_hand"] == D("8")
    assert stock_totals_for_item(item=m10, store=store)["on_hand"] == D("10")
    assert page.js_errors == []


def test_a_scanned_sku_and_enter_choose_the_item_without_submitting(new_page, demo_users):
    # given the empty quick-sale form, no list shown yet
    store, m10, m8 = _bolts(demo_users)
    page = _quick_sale(new_page, demo_users, "desktop")
    box = page.get_by_role("combobox", name="Item")
    box.click()
    page.evaluate("window.samePage = true")  # gone if the form is posted

    # when a scanner types the whole SKU and Enter at once
    box.press_sequentially("BOLT-M8")
    box.press("Enter")

    # then that item is chosen, and nothing was recorded
    page.locator("[data-picker=item] .picker-picked").first.filter(has_text="Bolt M8").wait_for()
    assert box.input_value() == "BOLT-M8"
    assert box.get_attribute("aria-expanded") == "false"
    assert page.evaluate("window.samePage === true")
    assert SalesOrder.objects.count() == 0
    assert page.js_errors == []
