"""The quick sale's keys at the till, in a real browser (static/js/quick-keys.js): scan,
quantity, Enter, scan, quantity, Enter, ..., Enter on the empty line records the sale. A
counter clerk asked for it: Enter in a quantity box recorded a half-rung sale, and a second
scan made while the cursor was still in a quantity box was refused as a bad quantity."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from inventory.models import Item, LedgerEntry, SalesOrder
from inventory.selectors.stock import stock_totals_for_item
from inventory.services.stock import stock_receive
from inventory.tests.factories import ItemFactory

from .conftest import login
from .test_picker import VIEWPORTS, _staff
from .test_picker_fast_keys import _bolts
from .test_picker_states import _quick_sale
from .test_scan_flow import _scan, _slow_search

D = Decimal
M10_CODE = "5012345000048"  # BOLT-M10's barcode: digits, as most scanners read


def _till(demo_users):
    """BOLT-M10 (with a barcode), BOLT-M8 and TAPE-50 (with one), 10 of each in Main Store."""
    store, m10, m8 = _bolts(demo_users)
    Item.objects.filter(pk=m10.pk).update(barcode=M10_CODE)
    tape = ItemFactory(sku="TAPE-50", name="Duct tape", unit="m", barcode="4006381333931")
    stock_receive(actor=_staff(demo_users), item=tape, store=store, quantity="10")
    return store, m10, m8, tape


def _line(page, n, field):
    return page.locator(f"#id_lines-{n - 1}-{field}")


def _same_page(page):
    """Mark the page: the mark is gone once the form is posted."""
    page.evaluate("window.samePage = true")
    return lambda: page.evaluate("window.samePage === true")


def _sold(order):
    return [(line.item.sku, line.quantity) for line in order.lines.order_by("pk")]


def _issued():
    return sorted(
        (entry.item.sku, entry.quantity) for entry in LedgerEntry.objects.filter(kind="ISSUE")
    )


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_enter_in_a_quantity_goes_to_the_next_lines_item_and_records_nothing(
    new_page, demo_users, viewport
):
    # given BOLT-M8 scanned on the quick sale's only line, and 2 typed as its quantity
    _till(demo_users)
    page = _quick_sale(new_page, demo_users, viewport)
    same_page = _same_page(page)
    box = page.get_by_role("combobox", name="Item, line 1")
    box.click()
    _scan(box, "BOLT-M8")
    expect(_line(page, 1, "quantity")).to_be_focused()
    page.keyboard.type("2")

    # when Enter is pressed in the quantity
    page.keyboard.press("Enter")

    # then a second line is added (as by Add line) and its item box has the cursor
    expect(page.get_by_role("combobox", name="Item, line 2")).to_be_focused()
    expect(page.get_by_test_id("sales-line")).to_have_count(2)
    assert _line(page, 1, "quantity").input_value() == "2"
    assert same_page()
    assert SalesOrder.objects.count() == 0
    assert LedgerEntry.objects.filter(kind="ISSUE").count() == 0

    # and Enter in a line's quantity or price with a line below goes to it, adding none
    for field in ("quantity", "unit_price"):
        _line(page, 1, field).focus()
        page.keyboard.press("Enter")
        expect(_line(page, 2, "item")).to_be_focused()
    expect(page.get_by_test_id("sales-line")).to_have_count(2)
    assert same_page()
    assert page.js_errors == []


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_three_item_sale_by_keyboard_only(new_page, demo_users, viewport):
    # given three items in stock, scanned by SKU and by barcode
    store, m10, m8, tape = _till(demo_users)
    page = _quick_sale(new_page, demo_users, viewport)
    page.get_by_role("combobox", name="Item, line 1").click()

    # when each is scanned, its quantity typed and Enter pressed, then Enter on the empty line
    for n, (code, quantity) in enumerate(
        [("BOLT-M8", "3"), (M10_CODE, "2"), ("4006381333931", "1.5")], start=1
    ):
        expect(_line(page, n, "item")).to_be_focused()
        _scan(_line(page, n, "item"), code)
        expect(_line(page, n, "quantity")).to_be_focused()
        page.keyboard.type(quantity)
        page.keyboard.press("Enter")
    expect(_line(page, 4, "item")).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url("**/sales/*/")

    # then one sale is recorded with exactly those lines, issued from Main Store
    order = SalesOrder.objects.get()
    assert order.status == SalesOrder.Status.SHIPPED
    assert _sold(order) == [("BOLT-M8", D("3")), ("BOLT-M10", D("2")), ("TAPE-50", D("1.5"))]
    assert _issued() == [("BOLT-M10", D("2")), ("BOLT-M8", D("3")), ("TAPE-50", D("1.5"))]
    on_hand = [stock_totals_for_item(item=i, store=store)["on_hand"] for i in (m8, m10, tape)]
    assert on_hand == [D("7"), D("8"), D("8.5")]
    assert page.js_errors == []


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_barcode_scanned_into_a_quantity_box_becomes_the_next_lines_item(
    new_page, demo_users, viewport
):
    # given BOLT-M8 scanned and 2 typed as its quantity
    store, m10, m8, tape = _till(demo_users)
    page = _quick_sale(new_page, demo_users, viewport)
    box = page.get_by_role("combobox", name="Item, line 1")
    box.click()
    _scan(box, "BOLT-M8")
    expect(_line(page, 1, "quantity")).to_be_focused()
    page.keyboard.type("2")
    page.wait_for_timeout(300)  # the hand goes to the scanner

    # when the next item's barcode is scanned with the cursor still in that quantity
    _scan(_line(page, 1, "quantity"), M10_CODE)

    # then the quantity keeps its 2, and the code is line 2's item, chosen as a scan there
    expect(_line(page, 2, "quantity")).to_be_focused()
    expect(_line(page, 2, "item")).to_have_value("BOLT-M10")
    expect(page.locator("#id_lines-1-item-picked")).to_contain_text("Bolt M10")
    expect(_line(page, 1, "quantity")).to_have_value("2")
    expect(page.get_by_test_id("sale-total")).to_have_text("8.00")

    # when its quantity is typed, and Enter twice records the sale
    page.keyboard.type("4")
    page.keyboard.press("Enter")
    expect(_line(page, 3, "item")).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url("**/sales/*/")

    # then the sale holds both lines as rung
    assert _sold(SalesOrder.objects.get()) == [("BOLT-M8", D("2")), ("BOLT-M10", D("4"))]
    assert _issued() == [("BOLT-M10", D("4")), ("BOLT-M8", D("2"))]
    assert stock_totals_for_item(item=m10, store=store)["on_hand"] == D("6")
    assert page.js_errors == []


def test_a_sku_scanned_over_a_selected_quantity_puts_that_quantity_back(new_page, demo_users):
    # given line 1 with 5 of BOLT-M8 and the cursor back in its quantity, 5 selected
    _till(demo_users)
    page = _quick_sale(new_page, demo_users, "desktop")
    box = page.get_by_role("combobox", name="Item, line 1")
    box.click()
    _scan(box, "BOLT-M8")
    page.keyboard.type("5")
    page.keyboard.press("Enter")
    _line(page, 1, "quantity").focus()
    _line(page, 1, "quantity").select_text()

    # when a SKU is scanned there, typing over the 5
    page.keyboard.type("TAPE-50")
    page.keyboard.press("Enter")

    # then line 1 keeps its 5 and the empty line 2 takes the tape
    expect(_line(page, 2, "item")).to_have_value("TAPE-50")
    expect(_line(page, 2, "quantity")).to_be_focused()
    expect(_line(page, 1, "quantity")).to_have_value("5")
    expect(page.get_by_test_id("sales-line")).to_have_count(2)
    assert page.js_errors == []


def test_an_unknown_code_scanned_into_a_quantity_box_says_no_match_on_the_next_line(
    new_page, demo_users
):
    _till(demo_users)
    page = _quick_sale(new_page, demo_users, "desktop")
    box = page.get_by_role("combobox", name="Item, line 1")
    box.click()
    _scan(box, "BOLT-M8")
    page.keyboard.type("3")
    page.wait_for_timeout(300)

    _scan(_line(page, 1, "quantity"), "9999999999")

    # the picker's own "No match.": the code stays, selected, for the next scan to replace
    item = _line(page, 2, "item")
    expect(page.get_by_role("listbox", name="Matches, line 2")).to_contain_text("No match.")
    expect(item).to_be_focused()
    expect(item).to_have_value("9999999999")
    assert page.evaluate(
        "[document.activeElement.selectionStart, document.activeElement.selectionEnd]"
    ) == [0, 10]
    expect(_line(page, 1, "quantity")).to_have_value("3")
    _scan(item, "BOLT-M10")
    expect(_line(page, 2, "quantity")).to_be_focused()
    expect(item).to_have_value("BOLT-M10")
    assert SalesOrder.objects.count() == 0
    assert page.js_errors == []


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("chord", ["Control+Enter", "Meta+Enter"])
def test_ctrl_enter_records_the_sale_from_anywhere_in_the_form(
    new_page, demo_users, viewport, chord
):
    store, m10, m8, tape = _till(demo_users)
    page = _quick_sale(new_page, demo_users, viewport)
    box = page.get_by_role("combobox", name="Item, line 1")
    box.click()
    _scan(box, "BOLT-M8")
    page.keyboard.type("2")
    expect(_line(page, 1, "quantity")).to_have_value("2")
    page.get_by_label("Note").click()  # not a line's box: the chord works everywhere

    page.keyboard.press(chord)
    page.wait_for_url("**/sales/*/")

    assert _sold(SalesOrder.objects.get()) == [("BOLT-M8", D("2"))]
    assert stock_totals_for_item(item=m8, store=store)["on_hand"] == D("8")
    assert page.js_errors == []


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_enter_on_an_empty_form_records_nothing(new_page, demo_users, viewport):
    _till(demo_users)
    page = _quick_sale(new_page, demo_users, viewport)
    same_page = _same_page(page)
    box = page.get_by_role("combobox", name="Item, line 1")
    box.click()

    page.keyboard.press("Enter")  # the empty item box, no item anywhere
    page.keyboard.press("Tab")
    expect(_line(page, 1, "quantity")).to_be_focused()
    page.keyboard.press("Enter")  # a blank quantity: on to line 2
    expect(_line(page, 2, "item")).to_be_focused()
    page.keyboard.press("Enter")  # line 2 empty too: still nothing to record
    page.wait_for_timeout(300)

    assert same_page()
    assert SalesOrder.objects.count() == 0
    expect(page.locator(".is-invalid, .alert-danger")).to_have_count(0)
    assert page.js_errors == []


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_slow_search_still_takes_a_code_scanned_into_the_quantity(new_page, demo_users, viewport):
    # given a slow search, BOLT-M8 scanned and 2 typed before its answer (carried over)
    store, m10, m8, tape = _till(demo_users)
    page = _quick_sale(new_page, demo_users, viewport)
    _slow_search(page)
    box = page.get_by_role("combobox", name="Item, line 1")
    box.click()
    _scan(box, "BOLT-M8")
    page.keyboard.type("2")
    expect(_line(page, 1, "quantity")).to_have_value("2")
    expect(_line(page, 1, "quantity")).to_be_focused()
    page.wait_for_timeout(200)

    # when BOLT-M10 is scanned into the quantity
    _scan(_line(page, 1, "quantity"), "BOLT-M10")

    # then line 2 takes it once the slow answer comes, and line 1 keeps its 2
    expect(_line(page, 2, "quantity")).to_be_focused()
    expect(_line(page, 2, "item")).to_have_value("BOLT-M10")
    expect(_line(page, 1, "quantity")).to_have_value("2")
    page.keyboard.type("3")
    expect(_line(page, 2, "quantity")).to_have_value("3")
    page.keyboard.press("Enter")
    expect(_line(page, 3, "item")).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url("**/sales/*/")
    assert _sold(SalesOrder.objects.get()) == [("BOLT-M8", D("2")), ("BOLT-M10", D("3"))]
    assert page.js_errors == []


def _held_search(page):
    """Hold every item search until release(): the answers come after every key before it."""
    held = []
    page.route("**/pickers/items/**", lambda route: held.append(route))

    def release():
        for _ in range(200):  # the route reaches this thread while the page is waited on
            if held:
                break
            page.wait_for_timeout(25)
        while held:
            held.pop(0).continue_()

    return release


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_keys_and_enters_typed_before_the_answers_go_where_they_were_meant(
    new_page, demo_users, viewport
):
    # given item searches that answer only when released
    store, m10, m8, tape = _till(demo_users)
    page = _quick_sale(new_page, demo_users, viewport)
    release = _held_search(page)
    box = page.get_by_role("combobox", name="Item, line 1")
    box.click()

    # when BOLT-M8 is scanned, 2 typed and BOLT-M10 scanned, all before the first answer
    _scan(box, "BOLT-M8")
    page.keyboard.type("2")
    page.wait_for_timeout(200)  # the hand goes to the scanner
    page.keyboard.type("BOLT-M10")  # into line 1's quantity, as far as the clerk knows
    page.keyboard.press("Enter")
    assert _line(page, 1, "quantity").input_value() == ""
    release()

    # then line 1 is 2 of BOLT-M8, and line 2 looks BOLT-M10 up as a scan there
    expect(_line(page, 2, "item")).to_have_value("BOLT-M10")
    expect(_line(page, 1, "quantity")).to_have_value("2")
    assert box.input_value() == "BOLT-M8"

    # when 3 and Enter come before line 2's answer
    page.keyboard.type("3")
    page.keyboard.press("Enter")
    release()

    # then the 3 is line 2's quantity and its Enter goes on to line 3; Enter there records
    expect(_line(page, 3, "item")).to_be_focused()
    expect(_line(page, 2, "quantity")).to_have_value("3")
    expect(_line(page, 2, "item")).to_have_value("BOLT-M10")
    assert SalesOrder.objects.count() == 0
    page.keyboard.press("Enter")
    page.wait_for_url("**/sales/*/")
    assert _sold(SalesOrder.objects.get()) == [("BOLT-M8", D("2")), ("BOLT-M10", D("3"))]
    assert _issued() == [("BOLT-M10", D("3")), ("BOLT-M8", D("2"))]
    assert page.js_errors == []


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_keys_are_said_beside_record_sale_on_a_desktop_only(new_page, demo_users, viewport):
    page = new_page(viewport=VIEWPORTS[viewport])
    login(page, *demo_users["Staff"])
    page.goto("/sales/quick/")
    hint = page.get_by_test_id("keys-hint")

    expect(hint).to_have_text(
        "Enter: next line · Enter on an empty line or Ctrl+Enter: record the sale"
    )
    if viewport == "desktop":
        expect(hint).to_be_visible()
        record = page.get_by_role("button", name="Record sale").bounding_box()
        said = hint.bounding_box()
        assert abs(said["y"] + said["height"] / 2 - (record["y"] + record["height"] / 2)) < 8
    else:
        expect(hint).to_be_hidden()
    assert page.js_errors == []


def test_without_javascript_enter_in_a_quantity_records_the_sale(new_page, demo_users):
    store, m10, m8, tape = _till(demo_users)
    page = new_page(viewport=VIEWPORTS["desktop"], java_script_enabled=False)
    login(page, *demo_users["Staff"])
    page.goto("/sales/quick/")
    expect(page.get_by_test_id("keys-hint")).to_be_hidden()  # the keys need the script
    page.get_by_label("Store").select_option(label="Main Store")
    page.locator("#id_lines-0-item").fill("BOLT-M8")
    page.locator("#id_lines-0-quantity").fill("2")

    page.locator("#id_lines-0-quantity").press("Enter")
    page.wait_for_url("**/sales/*/")

    assert _sold(SalesOrder.objects.get()) == [("BOLT-M8", D("2"))]
