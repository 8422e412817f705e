"""The till after the unexpected, in a real browser (static/js/quick-keys.js). Found by a
regression QA pass: after Back, the next sale was refused once (as it should be: the old
form's token was used) and then no box had the focus, so Enter did nothing; and two scans
in a row left the first line without a quantity, refused as required."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from inventory.models import SalesOrder

from .test_picker import VIEWPORTS
from .test_picker_states import _quick_sale
from .test_quick_sale_keys import M10_CODE, _line, _sold, _till
from .test_scan_flow import _scan

D = Decimal


def _ring_up(page, n, code, quantity=None):
    expect(_line(page, n, "item")).to_be_focused()
    _scan(_line(page, n, "item"), code)
    expect(_line(page, n, "quantity")).to_be_focused()
    if quantity is not None:
        page.keyboard.type(quantity)
        page.keyboard.press("Enter")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_two_scans_in_a_row_sell_one_of_the_first(new_page, demo_users, viewport):
    # given BOLT-M8 scanned, and at once BOLT-M10's barcode scanned into its quantity box
    _till(demo_users)
    page = _quick_sale(new_page, demo_users, viewport)
    page.get_by_role("combobox", name="Item, line 1").click()
    _ring_up(page, 1, "BOLT-M8")
    page.keyboard.type(M10_CODE, delay=5)
    page.keyboard.press("Enter")

    # when its quantity is typed and the sale is ended on the empty line
    expect(_line(page, 2, "quantity")).to_be_focused()
    page.keyboard.type("2")
    page.keyboard.press("Enter")
    expect(_line(page, 3, "item")).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url("**/sales/*/")

    # then the first line sold one, as at any till
    assert _sold(SalesOrder.objects.get()) == [("BOLT-M8", D("1")), ("BOLT-M10", D("2"))]
    assert page.js_errors == []


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_after_back_the_next_sale_is_refused_once_then_enter_records_it(
    new_page, demo_users, viewport
):
    # given a sale recorded, then Back to its form and the next customer's item rung up
    _till(demo_users)
    page = _quick_sale(new_page, demo_users, viewport)
    page.get_by_role("combobox", name="Item, line 1").click()
    _ring_up(page, 1, "BOLT-M8", "1")
    page.keyboard.press("Enter")
    page.wait_for_url("**/sales/*/")
    page.go_back()
    page.get_by_role("combobox", name="Item, line 1").click()
    _ring_up(page, 1, "TAPE-50", "3")
    page.keyboard.press("Enter")
    page.wait_for_load_state()

    # when it comes back refused (the old form's token was used), its message focused, and
    # Enter is pressed
    refusal = page.get_by_test_id("sale-errors")
    expect(refusal).to_contain_text("what it holds now is different")
    expect(refusal).to_be_focused()
    assert SalesOrder.objects.count() == 1
    page.keyboard.press("Enter")
    page.wait_for_url("**/sales/*/")

    # then Enter recorded it, once
    orders = SalesOrder.objects.order_by("pk")
    assert [_sold(order) for order in orders] == [[("BOLT-M8", D("1"))], [("TAPE-50", D("3"))]]
    assert page.js_errors == []
