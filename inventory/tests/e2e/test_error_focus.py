"""Focus after a refused form, in a real browser (static/js/app.js): it lands on the first
field to fix, or on the error summary when only the form as a whole was refused, in view;
a page without errors, or one that asks for autofocus, keeps the focus it had."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from inventory.models import Operation, PurchaseOrder, SalesOrder
from inventory.selectors.stock import stock_totals_for_item
from inventory.services.stock import stock_receive
from inventory.tests.factories import ItemFactory, StoreFactory, SupplierFactory

from .conftest import login
from .test_picker import VIEWPORTS, _staff

D = Decimal

FOCUSED = """() => {
  const el = document.activeElement;
  const box = el.getBoundingClientRect();
  return {
    tag: el.tagName, id: el.id, testid: el.dataset.testid || "",
    tabindex: el.getAttribute("tabindex"),
    inView: box.top >= 0 && box.bottom <= window.innerHeight,
  };
}"""


def _focused(page) -> dict:
    return page.evaluate(FOCUSED)


def _tape(demo_users):
    main = StoreFactory(code="MAIN", name="Main Store")
    branch = StoreFactory(code="BRANCH", name="Branch Store")
    tape = ItemFactory(sku="TAPE-50", name="Duct tape 50 m")
    stock_receive(actor=_staff(demo_users), item=tape, store=main, quantity="22", unit_cost="2")
    return main, branch, tape


def _pick(page, box, text, option):
    box.click()
    box.press_sequentially(text, delay=30)
    page.get_by_role("option", name=option).wait_for()
    box.press("Enter")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_refused_quick_sale_puts_focus_on_the_first_field_to_fix(new_page, demo_users, viewport):
    # given a quick sale page with tape in stock
    main, _, tape = _tape(demo_users)
    page = new_page(viewport=VIEWPORTS[viewport])
    login(page, *demo_users["Staff"])
    page.goto("/sales/quick/")
    page.get_by_label("Store").select_option(label="Main Store")

    # when it is submitted empty
    page.get_by_role("button", name="Record sale").click()
    page.wait_for_load_state("load")

    # then focus is on the line's item box, the first field marked invalid, in view
    assert _focused(page) == {
        "tag": "INPUT",
        "id": "id_lines-0-item",
        "testid": "",
        "tabindex": None,
        "inView": True,
    }

    # when more tape is asked for than the store has
    _pick(page, page.get_by_role("combobox", name="Item"), "tape", "TAPE-50 Duct tape 50 m")
    page.get_by_label("Quantity").first.fill("99")
    page.get_by_role("button", name="Record sale").click()
    page.wait_for_load_state("load")

    # then focus is on the quantity, not on the summary above the form, and nothing is sold
    assert "short of stock" in page.get_by_test_id("sale-errors").inner_text()
    focused = _focused(page)
    assert (focused["id"], focused["inView"]) == ("id_lines-0-quantity", True)
    assert SalesOrder.objects.count() == 0
    assert stock_totals_for_item(item=tape, store=main)["on_hand"] == D("22")
    assert page.js_errors == []


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_refused_transfer_puts_focus_on_the_quantity(new_page, demo_users, viewport):
    # given tape in the main store only
    main, _, tape = _tape(demo_users)
    page = new_page(viewport=VIEWPORTS[viewport])
    login(page, *demo_users["Manager"])
    page.goto("/transfers/new/")

    # when more is transferred than there is
    _pick(page, page.get_by_role("combobox", name="Item"), "tape", "TAPE-50 Duct tape 50 m")
    page.get_by_label("From store").select_option(label="Main Store")
    page.get_by_label("To store").select_option(label="Branch Store")
    page.get_by_label("Quantity").fill("99")
    page.get_by_role("button", name="Transfer").click()
    page.wait_for_load_state("load")

    # then the quantity has the focus, in view, and nothing moved
    assert "Only 22 pcs of TAPE-50" in page.locator("#div_id_lines-0-quantity").inner_text()
    focused = _focused(page)
    assert (focused["id"], focused["inView"]) == ("id_lines-0-quantity", True)
    assert Operation.objects.count() == 1  # the receipt of the 22
    assert stock_totals_for_item(item=tape, store=main)["on_hand"] == D("22")
    assert page.js_errors == []


def test_a_form_refused_as_a_whole_puts_focus_on_its_error_summary(page, demo_users):
    # given a direct purchase with a supplier and a store but no line
    StoreFactory(code="MAIN", name="Main Store")
    SupplierFactory(name="CoatCo Paints")
    login(page, *demo_users["Staff"])
    page.goto("/purchases/new/")
    page.get_by_role("combobox", name="Supplier").fill("CoatCo Paints")
    page.get_by_label("Store").select_option(label="Main Store")

    # when it is submitted
    page.get_by_role("button", name="Receive purchase").click()
    page.wait_for_load_state("load")

    # then the summary has the focus, without joining the Tab order, and nothing is recorded
    assert page.get_by_test_id("form-errors").inner_text().strip() == "Add at least one line."
    assert _focused(page) == {
        "tag": "DIV",
        "id": "",
        "testid": "form-errors",
        "tabindex": "-1",
        "inView": True,
    }
    assert PurchaseOrder.objects.count() == 0
    assert page.js_errors == []


def test_the_quick_sale_starts_at_its_store(page, demo_users):
    StoreFactory(code="MAIN", name="Main Store")
    login(page, *demo_users["Staff"])

    page.goto("/sales/quick/")

    # (the browser applies autofocus at its next frame, which a busy machine may delay)
    page.wait_for_function("document.activeElement.id === 'id_store'")
    assert page.js_errors == []


@pytest.mark.parametrize("path", ["/sales/new/", "/transfers/new/", "/purchases/new/"])
def test_a_page_without_errors_starts_in_its_first_box(page, demo_users, path):
    # given forms that have not been submitted
    StoreFactory(code="MAIN", name="Main Store")
    login(page, *demo_users["Manager"])

    # when one is opened
    page.goto(path)

    # then its first box has the focus (no error took it), and no summary was made
    # focusable (a shop-floor QA pass counted 11 Tabs to the first box)
    first = page.locator("form[data-focus-first]").locator("input:visible, select:visible").first
    expect(first).to_be_focused()
    assert page.locator("form [tabindex='-1']").count() == 0
    assert page.js_errors == []


def test_a_refused_login_puts_focus_on_the_password_to_type_again(page, demo_users):
    # given the login page, whose username box asks for autofocus
    page.goto("/login/")

    # when a wrong password is given
    page.get_by_label("Username").fill(demo_users["Staff"][0])
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state("load")

    # then the refusal is shown, the username kept, and focus is on the emptied password
    assert page.locator("form .alert-danger").count() == 1
    assert page.get_by_label("Username").input_value() == demo_users["Staff"][0]
    # (the browser applies autofocus at its next frame, which a busy machine may delay)
    page.wait_for_function("document.activeElement.id === 'id_password'")
    assert page.locator("form .alert-danger").get_attribute("tabindex") is None


def test_a_refused_registration_moves_focus_from_autofocus_to_the_field_to_fix(page):
    # given the register form, whose username box asks for autofocus
    page.goto("/register/")
    # (the browser applies autofocus at its next frame, which a busy machine may delay)
    page.wait_for_function("document.activeElement.id === 'id_username'")

    # when the two passwords differ
    page.get_by_label("Username").fill("newcomer")
    page.get_by_label("Email").fill("newcomer@example.com")
    page.locator("#id_password1").fill("a-long-pass-phrase-2026")
    page.locator("#id_password2").fill("another-pass-phrase-2026")
    page.get_by_role("button", name="Register").click()
    page.wait_for_load_state("load")

    # then the focus is on the second password, the field the message is about, in view
    focused = _focused(page)
    assert focused["id"] == "id_password2"
    assert focused["inView"]
    assert page.js_errors == []
