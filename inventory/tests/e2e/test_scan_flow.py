"""The counter's keys, in a real browser. Found by a QA pass: a second scan ran on into
the box of the first ("LAMP-LED95012345000048", "No match"); Tab left "hex nut" in the
box with its match highlighted, which the server could not resolve; Enter in a count
sheet's Found box recorded the half-filled sheet."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from inventory.models import LedgerEntry, SalesOrder

from .conftest import login
from .test_picker import VIEWPORTS
from .test_picker_fast_keys import _bolts
from .test_picker_states import _quick_sale

D = Decimal


def _scan(box, code):
    """A scanner: the code and Enter at once, typed into `box`."""
    box.press_sequentially(code)
    box.press("Enter")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_scan_and_enter_go_on_to_the_quantity_so_two_scans_make_two_lines(
    new_page, demo_users, viewport
):
    store, m10, m8 = _bolts(demo_users)
    page = _quick_sale(new_page, demo_users, viewport)
    box = page.get_by_role("combobox", name="Item")
    box.click()

    # a scan (the SKU and Enter at once): the item is chosen, focus is on its quantity
    _scan(box, "BOLT-M8")
    quantity = page.locator("#id_lines-0-quantity")
    expect(quantity).to_be_focused()
    assert box.input_value() == "BOLT-M8"
    page.keyboard.type("3")

    # a second line, and a second scan into its own box
    page.get_by_role("button", name="Add line").click()
    second = page.locator("#id_lines-1-item")
    expect(second).to_be_focused()
    _scan(second, "BOLT-M10")
    expect(page.locator("#id_lines-1-quantity")).to_be_focused()
    page.keyboard.type("2")
    page.keyboard.press("Enter")  # in the quantity: on to the next line (quick-keys.js)
    expect(page.locator("#id_lines-2-item")).to_be_focused()
    page.keyboard.press("Enter")  # in its empty item box: records the sale
    page.wait_for_url("**/sales/*/")

    lines = SalesOrder.objects.get().lines.order_by("pk")
    assert [(ln.item_id, ln.quantity) for ln in lines] == [(m8.pk, D("3")), (m10.pk, D("2"))]
    assert page.js_errors == []


def test_tab_takes_the_highlighted_match(new_page, demo_users):
    store, m10, m8 = _bolts(demo_users)
    page = _quick_sale(new_page, demo_users, "desktop")
    box = page.get_by_role("combobox", name="Item")
    box.click()
    box.press_sequentially("bolt m8", delay=30)  # by name: the SKU is not what was typed
    option = page.get_by_role("listbox").get_by_role("option").first
    expect(option).to_have_attribute("aria-selected", "true")
    expect(option).to_contain_text("BOLT-M8")

    box.press("Tab")

    assert box.input_value() == "BOLT-M8"
    expect(page.locator("#id_lines-0-item-picked")).to_contain_text("Bolt M8")
    assert page.js_errors == []


def test_enter_in_a_found_box_moves_to_the_next_lot(new_page, demo_users):
    store, m10, m8 = _bolts(demo_users)
    page = new_page(viewport=VIEWPORTS["desktop"])
    login(page, *demo_users["Manager"])
    page.goto(f"/stock/count/?store={store.pk}")
    entries = LedgerEntry.objects.count()
    first = page.get_by_label("Found of BOLT-M10", exact=False)
    first.fill("9")
    first.press("Enter")

    expect(page.get_by_label("Found of BOLT-M8", exact=False)).to_be_focused()
    assert LedgerEntry.objects.count() == entries  # nothing recorded yet
    # Enter in the last Found box records the sheet (found by a QA pass: it went on to
    # the Note box instead)
    page.keyboard.type("10")
    page.keyboard.press("Enter")
    page.wait_for_url("**/stock/?store=*")
    assert LedgerEntry.objects.count() == entries + 1  # BOLT-M10's difference only
    assert page.js_errors == []


def test_removing_a_purchase_line_moves_focus_on_not_to_the_page(new_page, demo_users):
    page = new_page(viewport=VIEWPORTS["desktop"])
    login(page, *demo_users["Staff"])
    page.goto("/purchases/new/")
    page.get_by_role("button", name="Add line").click()
    page.get_by_role("button", name="Add line").click()
    removes = page.get_by_role("button", name="Remove")

    removes.nth(1).focus()
    page.keyboard.press("Enter")  # the middle line: focus goes to the next line's item
    expect(page.locator("#id_lines-2-item")).to_be_focused()
    removes.last.focus()  # the hidden row's button is no longer listed
    page.keyboard.press("Enter")  # the last line: focus goes to Add line
    expect(page.get_by_role("button", name="Add line")).to_be_focused()
    assert page.js_errors == []


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_quantity_typed_before_the_search_answers_goes_into_the_quantity(
    new_page, demo_users, viewport
):
    # Left by stop 24: a scan, Enter and the quantity with no pause ran the quantity into
    # the item box ("BOLT-M83", no match) while the search was still on its way.
    import time

    store, m10, m8 = _bolts(demo_users)
    page = _quick_sale(new_page, demo_users, viewport)

    def slow(route):
        time.sleep(0.6)  # a slow network: the answer comes after every key below
        route.continue_()

    page.route("**/pickers/items/**", slow)
    box = page.get_by_role("combobox", name="Item")
    box.click()

    _scan(box, "BOLT-M8")
    page.keyboard.type("3")

    quantity = page.locator("#id_lines-0-quantity")
    expect(quantity).to_have_value("3")
    expect(quantity).to_be_focused()
    assert box.input_value() == "BOLT-M8"
    page.keyboard.press("Enter")  # in the quantity: on to line 2
    expect(page.locator("#id_lines-1-item")).to_be_focused()
    page.keyboard.press("Enter")  # in its empty item box: records the sale
    page.wait_for_url("**/sales/*/")

    line = SalesOrder.objects.get().lines.get()
    assert (line.item_id, line.quantity) == (m8.pk, D("3"))
    assert page.js_errors == []


def test_an_unknown_code_is_replaced_by_the_next_scan(new_page, demo_users):
    # Found by a shop-floor QA pass: after "No match." the next scan was typed onto the
    # end of the unknown code ("40063813339315012345000031").
    store, m10, m8 = _bolts(demo_users)
    page = _quick_sale(new_page, demo_users, "desktop")
    box = page.get_by_role("combobox", name="Item")
    box.click()

    _scan(box, "4006381333931")
    expect(page.get_by_role("listbox")).to_contain_text("No match.")
    _scan(box, "BOLT-M8")

    expect(page.locator("#id_lines-0-quantity")).to_be_focused()
    assert box.input_value() == "BOLT-M8"
    assert page.js_errors == []


def test_a_refused_quantity_is_selected_so_the_correction_replaces_it(new_page, demo_users):
    store, m10, m8 = _bolts(demo_users)
    page = _quick_sale(new_page, demo_users, "desktop")
    box = page.get_by_role("combobox", name="Item")
    box.click()
    _scan(box, "BOLT-M8")
    quantity = page.locator("#id_lines-0-quantity")
    expect(quantity).to_be_focused()
    page.keyboard.type("9999")
    page.keyboard.press("Control+Enter")  # records from the quantity; only 10 in stock: refused
    expect(page.get_by_text("Nothing was recorded").first).to_be_visible()

    expect(quantity).to_be_focused()
    assert page.title() == "Error: Quick sale · Inventory"
    page.keyboard.type("6")

    expect(quantity).to_have_value("6")
    assert page.js_errors == []


def test_the_sale_shows_its_running_total_as_lines_are_typed(new_page, demo_users):
    # Found by a shop-floor QA pass: the counter saw no price or total before recording.
    store, m10, m8 = _bolts(demo_users)  # both at the factory's price, 4.00
    page = _quick_sale(new_page, demo_users, "desktop")
    total = page.get_by_test_id("sale-total")
    box = page.get_by_role("combobox", name="Item")
    box.click()
    _scan(box, "BOLT-M8")
    page.keyboard.type("3")
    expect(total).to_have_text("12.00")

    page.get_by_role("button", name="Add line").click()
    second = page.locator("#id_lines-1-item")
    _scan(second, "BOLT-M10")
    page.keyboard.type("2")
    expect(page.locator("#id_lines-1-quantity")).to_have_value("2")  # before moving on
    page.locator("#id_lines-1-unit_price").fill(".25")  # read as the server reads it
    expect(total).to_have_text("12.50")

    page.locator("#id_lines-0-DELETE").check()
    expect(total).to_have_text("0.50")
    page.get_by_role("button", name="Record sale").click()
    page.wait_for_url("**/sales/*/")
    expect(page.get_by_test_id("value")).to_have_text("0.50")  # the server's figure
    assert page.js_errors == []


def _slow_search(page):
    import time

    def slow(route):
        time.sleep(0.6)  # the answer comes after every key below
        route.continue_()

    page.route("**/pickers/items/**", slow)


def test_a_tab_typed_before_the_search_answers_still_chooses_the_item(new_page, demo_users):
    # Found by a regression pass: code, Enter, 2 and Tab with a slow search left
    # "BOLT-M82" in the item box and nothing chosen.
    store, m10, m8 = _bolts(demo_users)
    page = _quick_sale(new_page, demo_users, "desktop")
    _slow_search(page)
    box = page.get_by_role("combobox", name="Item")
    box.click()

    _scan(box, "BOLT-M8")
    page.keyboard.type("2")
    page.keyboard.press("Tab")

    expect(page.locator("#id_lines-0-quantity")).to_have_value("2")
    expect(page.locator("#id_lines-0-item-picked")).to_contain_text("Bolt M8")
    assert box.input_value() == "BOLT-M8"
    assert page.js_errors == []


def test_keys_typed_after_an_unknown_code_do_not_replace_it(new_page, demo_users):
    # Found by a regression pass: "9999999999", Enter, "4" left "4" in the item box, which
    # then offered BOLT-M8: one more Enter would have sold the wrong item.
    store, m10, m8 = _bolts(demo_users)
    page = _quick_sale(new_page, demo_users, "desktop")
    _slow_search(page)
    box = page.get_by_role("combobox", name="Item")
    box.click()

    _scan(box, "9999999999")
    page.keyboard.type("4")

    expect(page.get_by_role("listbox")).to_contain_text("No match.")
    assert box.input_value() == "9999999999"
    assert page.evaluate(
        "[document.activeElement.selectionStart, document.activeElement.selectionEnd]"
    ) == [0, 10]
    assert page.locator("#id_lines-0-quantity").input_value() == ""


def test_a_refused_order_without_a_store_keeps_its_total(new_page, demo_users):
    # Found by a regression pass: the total read "not priced yet" for lines with a blank
    # price, as the item prices were re-read only when a store was chosen.
    _bolts(demo_users)
    page = new_page(viewport=VIEWPORTS["desktop"])
    login(page, *demo_users["Staff"])
    page.goto("/sales/new/")
    box = page.get_by_role("combobox", name="Item")
    box.click()
    _scan(box, "BOLT-M8")
    # The total after a refusal is what this tests, not typing ahead of the scan's focus
    # move: under load in CI, "3" once went into the item box (BOLT-M83).
    expect(page.locator("#id_lines-0-quantity")).to_be_focused()
    page.keyboard.type("3")

    page.get_by_role("button", name="Save draft").click()

    expect(page.get_by_text("This field is required.").first).to_be_visible()
    expect(page.get_by_test_id("sale-total")).to_have_text("12.00")
