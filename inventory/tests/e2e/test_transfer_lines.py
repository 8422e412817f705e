"""A manager restocks a branch with several items in one transfer, on a desktop and a phone."""

from decimal import Decimal

from playwright.sync_api import expect

from inventory.models import Operation
from inventory.selectors.stock import stock_totals_for_item
from inventory.services.stock import stock_receive
from inventory.tests.factories import ItemFactory, StoreFactory

from .conftest import login
from .test_picker import VIEWPORTS, _staff

D = Decimal


def _shop(demo_users):
    """Tape (22) and bolts (40) in the main store; an empty branch."""
    staff = _staff(demo_users)
    main = StoreFactory(code="MAIN", name="Main Store")
    branch = StoreFactory(code="BRANCH", name="Branch Store")
    tape = ItemFactory(sku="TAPE-50", name="Duct tape 50 m")
    bolts = ItemFactory(sku="BOLT-M8", name="Bolts M8")
    stock_receive(actor=staff, item=tape, store=main, quantity="22", unit_cost="2")
    stock_receive(actor=staff, item=bolts, store=main, quantity="40", unit_cost="1")
    return main, branch, tape, bolts


def _pick(page, box, text, option):
    box.click()
    box.press_sequentially(text, delay=30)
    page.get_by_role("option", name=option).wait_for()
    box.press("Enter")


def _fill_two_lines(page):
    page.get_by_label("From store").select_option(label="Main Store")
    page.get_by_label("To store").select_option(label="Branch Store")
    _pick(page, page.get_by_role("combobox", name="Item, line 1"), "tape", "TAPE-50 Duct tape 50 m")
    page.get_by_label("Quantity, line 1").fill("3")
    page.get_by_role("button", name="Add line").click()
    _pick(page, page.get_by_role("combobox", name="Item, line 2"), "bolt", "BOLT-M8 Bolts M8")
    page.get_by_label("Quantity, line 2").fill("12")


def test_a_manager_moves_two_items_in_one_submission(new_page, demo_users):
    # given tape and bolts in the main store, and the transfer form with two lines
    main, branch, tape, bolts = _shop(demo_users)
    page = new_page(viewport=VIEWPORTS["desktop"])
    login(page, *demo_users["Manager"])
    page.goto("/transfers/new/")
    _fill_two_lines(page)

    # when it is sent once
    page.get_by_role("button", name="Transfer", exact=True).click()
    page.wait_for_load_state("load")

    # then both moved, as one operation, and the page says so
    expect(page.get_by_text("Moved 2 lines from Main Store to Branch Store")).to_be_visible()
    assert Operation.objects.filter(kind="TRANSFER").count() == 1
    for item, left, moved in ((tape, "19", "3"), (bolts, "28", "12")):
        assert stock_totals_for_item(item=item, store=main)["on_hand"] == D(left)
        assert stock_totals_for_item(item=item, store=branch)["on_hand"] == D(moved)
    assert page.js_errors == []


def test_the_transfer_form_fits_a_phone(new_page, demo_users):
    # given a phone of 390 px and a transfer of two lines typed in
    _shop(demo_users)
    page = new_page(viewport=VIEWPORTS["phone"])
    login(page, *demo_users["Manager"])
    page.goto("/transfers/new/")
    _fill_two_lines(page)

    # then nothing is wider than the screen, and each line's boxes are in view
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    for name in ("Item, line 2", "Lot, line 2", "Quantity, line 2"):
        box = page.get_by_label(name).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, name
    assert page.js_errors == []


def test_a_transfer_refused_with_every_line_removed_comes_back_with_a_line_to_type(
    new_page, demo_users
):
    # given a transfer whose only line was removed
    main, branch, tape, _ = _shop(demo_users)
    page = new_page(viewport=VIEWPORTS["desktop"])
    login(page, *demo_users["Manager"])
    page.goto("/transfers/new/")
    page.get_by_label("From store").select_option(label="Main Store")
    page.get_by_label("To store").select_option(label="Branch Store")
    page.get_by_role("button", name="Remove, line 1").click()

    # when it is sent: refused, and a blank line is there to type in (focus on the error)
    page.get_by_role("button", name="Transfer", exact=True).click()
    page.wait_for_load_state("load")
    expect(page.get_by_text("Add at least one line")).to_be_visible()
    line = page.get_by_role("combobox", name="Item, line 2")
    expect(line).to_be_visible()
    assert page.evaluate("document.activeElement.id") != line.get_attribute("id")

    # then that line sends the transfer
    _pick(page, line, "tape", "TAPE-50 Duct tape 50 m")
    page.get_by_label("Quantity, line 2").fill("5")
    page.get_by_role("button", name="Transfer", exact=True).click()
    page.wait_for_load_state("load")
    expect(
        page.get_by_text("Moved 5 pcs of TAPE-50 from Main Store to Branch Store.")
    ).to_be_visible()
    assert stock_totals_for_item(item=tape, store=branch)["on_hand"] == D(5)
    assert page.js_errors == []
