"""Each line's boxes say their line to a screen reader ("Quantity, line 2"), lines added with
the Add line button too, on a desktop and a phone; a line removed keeps its number, so no
two lines on screen share one."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from inventory.tests.factories import ItemFactory, StoreFactory

from .conftest import login

VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
SALE_LINE = (
    ("combobox", "Item"),
    ("textbox", "Quantity"),
    ("textbox", "Unit price"),
    ("checkbox", "Remove"),
)


def _one(page, role, name):
    """The one box of this role named exactly `name`."""
    return page.get_by_role(role, name=name, exact=True)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_quick_sale_line_added_with_the_button_is_line_2(new_page, demo_users, viewport):
    # given the quick sale, its one line named line 1
    StoreFactory(code="MAIN", name="Main Store")
    ItemFactory(sku="BOLT-M8", name="Hex bolt M8 x 40", unit_price=Decimal("0.40"))
    page = new_page(viewport=VIEWPORTS[viewport])
    login(page, *demo_users["Staff"])
    page.goto("/sales/quick/")
    page.get_by_label("Store").select_option(label="Main Store")
    expect(_one(page, "textbox", "Quantity, line 1")).to_have_count(1)

    # when a line is added with the Add line button
    page.get_by_role("button", name="Add line").click()

    # then each of its boxes says line 2, once, and its item box has the focus
    for role, caption in SALE_LINE:
        expect(_one(page, role, f"{caption}, line 2")).to_have_count(1)
    expect(_one(page, "textbox", "Quantity, line 1")).to_have_count(1)
    added = _one(page, "combobox", "Item, line 2")
    expect(added).to_be_focused()

    # and the item picker keeps its combobox wiring, its list of matches saying the line
    added.press_sequentially("BOLT", delay=30)
    listbox = _one(page, "listbox", "Matches, line 2")
    expect(listbox.get_by_role("option")).to_have_count(1)
    expect(added).to_have_attribute("aria-expanded", "true")
    expect(added).to_have_attribute("aria-controls", listbox.get_attribute("id"))
    added.press("Enter")
    expect(added).to_have_value("BOLT-M8")

    # when line 1 is ticked Remove and another line added
    _one(page, "checkbox", "Remove, line 1").check()
    page.get_by_role("button", name="Add line").click()

    # then the new line is line 3 and every number is on one line only
    for number in (1, 2, 3):
        expect(_one(page, "textbox", f"Quantity, line {number}")).to_have_count(1)
    assert page.js_errors == []


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_purchase_line_removed_keeps_the_others_numbers(new_page, demo_users, viewport):
    # given a direct purchase with three lines (two added with the button)
    page = new_page(viewport=VIEWPORTS[viewport])
    login(page, *demo_users["Staff"])
    page.goto("/purchases/new/")
    page.get_by_role("button", name="Add line").click()
    page.get_by_role("button", name="Add line").click()
    expect(_one(page, "textbox", "Quantity, line 3")).to_have_count(1)

    # when line 2 is removed and one more line added
    _one(page, "button", "Remove, line 2").click()
    page.get_by_role("button", name="Add line").click()

    # then line 2 is gone from the screen, the others keep their numbers, the new one is 4
    expect(_one(page, "textbox", "Quantity, line 2")).to_have_count(0)
    for number in (1, 3, 4):
        expect(_one(page, "combobox", f"Item, line {number}")).to_have_count(1)
        expect(_one(page, "textbox", f"Quantity, line {number}")).to_have_count(1)
        expect(_one(page, "textbox", f"Lot code, line {number}")).to_have_count(1)
    expect(_one(page, "combobox", "Item, line 4")).to_be_focused()
    assert page.js_errors == []
