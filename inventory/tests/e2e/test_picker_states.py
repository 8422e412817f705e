"""What the picker shows under its box, in a real browser (static/js/picker.js): the caption
of the option chosen goes with its id however the box is emptied, comes back the same on a
page refused by the server, and follows the store its figures are for."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from inventory.models import SalesOrder
from inventory.services.stock import stock_receive
from inventory.tests.factories import CustomerFactory, ItemFactory, StoreFactory

from .conftest import login
from .test_picker import VIEWPORTS, _staff

D = Decimal
TAPE = "TAPE-50 Duct tape 50 m"
TAPE_CAPTION = "Duct tape 50 m · 22 pcs available"


def _tape(demo_users):
    """Tape: 22 in the main store, 5 in the branch."""
    staff = _staff(demo_users)
    main = StoreFactory(code="MAIN", name="Main Store")
    branch = StoreFactory(code="BRANCH", name="Branch Store")
    tape = ItemFactory(sku="TAPE-50", name="Duct tape 50 m")
    stock_receive(actor=staff, item=tape, store=main, quantity="22", unit_cost="2")
    stock_receive(actor=staff, item=tape, store=branch, quantity="5", unit_cost="2")
    return main, branch, tape


def _pick(page, box, text, option):
    box.click()
    box.press_sequentially(text, delay=30)
    page.get_by_role("option", name=option).wait_for()
    box.press("Enter")


def _quick_sale(new_page, demo_users, viewport="desktop"):
    page = new_page(viewport=VIEWPORTS[viewport])
    login(page, *demo_users["Staff"])
    page.goto("/sales/quick/")
    page.get_by_label("Store").select_option(label="Main Store")
    return page


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_escape_forgets_the_chosen_item_and_its_caption(new_page, demo_users, viewport):
    # given tape chosen on a quick sale
    _, _, tape = _tape(demo_users)
    page = _quick_sale(new_page, demo_users, viewport)
    box = page.get_by_role("combobox", name="Item")
    _pick(page, box, "tape", TAPE)
    caption = page.locator("#id_lines-0-item-picked")
    expect(caption).to_have_text(TAPE_CAPTION)
    assert box.get_attribute("data-picker-id") == str(tape.pk)

    # when Escape is pressed with the list closed
    box.press("Escape")

    # then the box, its caption and the id chosen are all empty, and it says so
    assert box.input_value() == ""
    assert caption.inner_text() == ""
    assert box.get_attribute("data-picker-id") is None
    assert box.get_attribute("aria-expanded") == "false"
    assert page.locator("[data-picker=item] [role=status]").first.inner_text() == "Cleared."
    assert page.js_errors == []


def test_escape_forgets_the_chosen_customer_and_the_id_posted_for_it(new_page, demo_users):
    # given a customer chosen on a quick sale
    _tape(demo_users)
    ann = CustomerFactory(name="Ann Lee", email="ann@north.example", phone="")
    page = _quick_sale(new_page, demo_users)
    box = page.get_by_role("combobox", name="Customer")
    _pick(page, box, "ann", "Ann Lee")
    chosen = page.locator("input[name=customer_id]")
    caption = page.locator("#id_customer-picked")
    assert chosen.input_value() == str(ann.pk)
    expect(caption).to_have_text("ann@north.example")

    # when Escape is pressed with the list closed
    box.press("Escape")

    # then no customer is named, shown or posted
    assert box.input_value() == ""
    assert caption.inner_text() == ""
    assert chosen.input_value() == ""
    assert page.js_errors == []


def test_emptying_or_retyping_the_box_forgets_the_choice_too(new_page, demo_users):
    # given tape chosen on a quick sale
    _tape(demo_users)
    page = _quick_sale(new_page, demo_users)
    box = page.get_by_role("combobox", name="Item")
    caption = page.locator("#id_lines-0-item-picked")
    _pick(page, box, "tape", TAPE)
    expect(caption).to_have_text(TAPE_CAPTION)

    # when it is selected and deleted
    box.press("ControlOrMeta+a")
    box.press("Delete")

    # then the caption and the id go with the text
    assert (box.input_value(), caption.inner_text()) == ("", "")
    assert box.get_attribute("data-picker-id") is None

    # when it is chosen again and then typed over
    box.press("Escape")
    _pick(page, box, "tape", TAPE)
    expect(caption).to_have_text(TAPE_CAPTION)
    box.press("End")
    box.press_sequentially("X", delay=30)

    # then the same
    assert (box.input_value(), caption.inner_text()) == ("TAPE-50X", "")
    assert box.get_attribute("data-picker-id") is None
    assert page.js_errors == []


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_refused_sale_shows_the_chosen_item_as_it_was_chosen(new_page, demo_users, viewport):
    # given tape chosen on a quick sale, with its caption
    _tape(demo_users)
    page = _quick_sale(new_page, demo_users, viewport)
    box = page.get_by_role("combobox", name="Item")
    _pick(page, box, "tape", TAPE)
    expect(page.locator("#id_lines-0-item-picked")).to_have_text(TAPE_CAPTION)

    # when more is asked for than the store has, and the server refuses it
    page.get_by_label("Quantity").first.fill("99")
    page.get_by_role("button", name="Record sale").click()
    page.wait_for_load_state("load")
    assert SalesOrder.objects.count() == 0

    # then the box still names the tape, with the same caption, and its list stays closed
    box = page.get_by_role("combobox", name="Item")
    assert box.input_value() == "TAPE-50"
    expect(page.locator("#id_lines-0-item-picked")).to_have_text(TAPE_CAPTION)
    assert box.get_attribute("aria-expanded") == "false"
    assert page.js_errors == []


def test_a_refused_transfer_shows_the_chosen_item_and_lot_as_they_were_chosen(new_page, demo_users):
    # given tape and its lot chosen on a transfer from the branch
    _tape(demo_users)
    page = new_page()
    login(page, *demo_users["Manager"])
    page.goto("/transfers/new/")
    page.get_by_label("From store").select_option(label="Branch Store")
    page.get_by_label("To store").select_option(label="Main Store")
    _pick(page, page.get_by_role("combobox", name="Item"), "tape", TAPE)
    lot = page.get_by_role("combobox", name="Lot")
    lot.click()
    lot.press("ArrowDown")
    page.locator(f"#{lot.get_attribute('aria-controls')} [role=option]").first.wait_for()
    lot.press("Enter")
    item_caption = page.locator("#id_lines-0-item-picked")
    lot_caption = page.locator("#id_lines-0-lot-picked")
    expect(item_caption).to_have_text("Duct tape 50 m · 5 pcs available")
    expect(lot_caption).to_have_text("Approved · 5 pcs available")

    # when more is moved than the branch has
    page.get_by_label("Quantity").fill("6")
    page.get_by_role("button", name="Transfer").click()
    page.wait_for_load_state("load")

    # then both captions are the ones shown when they were chosen
    assert "Only 5 pcs of TAPE-50" in page.locator("#div_id_lines-0-quantity").inner_text()
    expect(item_caption).to_have_text("Duct tape 50 m · 5 pcs available")
    expect(lot_caption).to_have_text("Approved · 5 pcs available")

    # when the transfer is to come from the main store, where that lot has nothing
    page.get_by_label("From store").select_option(label="Main Store")

    # then the item's figure is the main store's, and the lot no longer claims the branch's
    expect(item_caption).to_have_text(TAPE_CAPTION)
    expect(lot_caption).to_have_text("")
    assert page.js_errors == []


def test_the_caption_follows_the_store_it_counts_in(new_page, demo_users):
    # given tape chosen on a quick sale in the main store
    _tape(demo_users)
    page = _quick_sale(new_page, demo_users)
    _pick(page, page.get_by_role("combobox", name="Item"), "tape", TAPE)
    caption = page.locator("#id_lines-0-item-picked")
    expect(caption).to_have_text(TAPE_CAPTION)

    # when the sale moves to the branch
    page.get_by_label("Store").select_option(label="Branch Store")

    # then the caption gives the branch's figure
    expect(caption).to_have_text("Duct tape 50 m · 5 pcs available")
    assert page.js_errors == []
