"""Where the cursor is when a form page opens, and after a sale. Found by a shop-floor QA
pass: receiving took 11 Tabs to the first box, a count 14, and after a sale 11 Tabs to
reach "Next sale"."""

import pytest
from playwright.sync_api import expect

from .conftest import login
from .test_picker import VIEWPORTS
from .test_picker_fast_keys import _bolts
from .test_picker_states import _quick_sale


@pytest.mark.parametrize(
    ("url", "box"),
    [
        ("/purchases/new/", "#id_supplier"),
        ("/transfers/new/", "#id_from_store"),
        ("/adjustments/new/", "#id_item"),
        ("/stock/count/", "#count-store"),
    ],
)
def test_a_fresh_form_starts_in_its_first_box(new_page, demo_users, url, box):
    _bolts(demo_users)
    page = new_page(viewport=VIEWPORTS["desktop"])
    login(page, *demo_users["Manager"])

    page.goto(url)

    expect(page.locator(box)).to_be_focused()
    assert page.evaluate("window.scrollY") == 0  # the heading stays in view
    assert page.js_errors == []


def test_a_count_sheet_starts_in_its_first_found_box(new_page, demo_users):
    store, m10, m8 = _bolts(demo_users)
    page = new_page(viewport=VIEWPORTS["desktop"])
    login(page, *demo_users["Manager"])

    page.goto(f"/stock/count/?store={store.pk}")

    expect(page.get_by_label("Found of BOLT-M10", exact=False)).to_be_focused()


def test_after_a_sale_enter_starts_the_next_one(new_page, demo_users):
    _bolts(demo_users)
    page = _quick_sale(new_page, demo_users, "desktop")
    box = page.get_by_role("combobox", name="Item")
    box.click()
    box.press_sequentially("BOLT-M8")
    box.press("Enter")
    expect(page.locator("#id_lines-0-quantity")).to_be_focused()
    page.keyboard.type("1")
    page.keyboard.press("Enter")  # on to line 2 (quick-keys.js)
    expect(page.locator("#id_lines-1-item")).to_be_focused()
    page.keyboard.press("Enter")  # an empty line: records the sale
    page.wait_for_url("**/sales/*/")

    expect(page.get_by_role("link", name="Next sale")).to_be_focused()
    page.keyboard.press("Enter")

    page.wait_for_url("**/sales/quick/")
    expect(page.get_by_role("combobox", name="Item")).to_be_focused()  # the store is known
    assert page.js_errors == []
