"""The customer picker in a real browser: two customers share a name, and the one chosen
from the list is the one the sale is recorded for; typed without choosing, the name is
refused next to the field and nothing is recorded."""

from decimal import Decimal

import pytest

from inventory.models import SalesOrder
from inventory.selectors.stock import stock_totals_for_item
from inventory.tests.factories import CustomerFactory

from .conftest import login
from .test_picker import VIEWPORTS, _stock

D = Decimal


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_customer_chosen_among_namesakes_is_the_one_sold_to(
    browser, live_server, demo_users, viewport
):
    # given two customers named Ann Lee, told apart by their e-mail
    store, lamp = _stock(demo_users)
    CustomerFactory(name="Ann Lee", email="ann@north.example")
    second = CustomerFactory(name="Ann Lee", email="ann@south.example")
    context = browser.new_context(base_url=live_server.url, viewport=VIEWPORTS[viewport])
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, *demo_users["Staff"])
    page.goto("/sales/quick/")
    page.get_by_label("Store").select_option(label="Main Store")
    page.get_by_role("combobox", name="Item").fill("LAMP-E2E")
    page.get_by_label("Quantity").first.fill("2")

    # when the name is typed without choosing from the list and the sale submitted
    customer = page.get_by_role("combobox", name="Customer")
    customer.fill("ann lee")
    customer.press("Tab")
    page.get_by_role("button", name="Record sale").click()

    # then the field says the name is ambiguous, and nothing is recorded
    assert "Several customers are named" in page.locator("#div_id_customer").inner_text()
    assert SalesOrder.objects.count() == 0
    assert stock_totals_for_item(item=lamp, store=store)["on_hand"] == D("10")

    # when the second Ann Lee is chosen from the list with the keyboard
    customer = page.get_by_role("combobox", name="Customer")
    customer.fill("")
    customer.press_sequentially("ann", delay=30)
    options = page.get_by_role("listbox").get_by_role("option")
    options.nth(1).wait_for()
    assert "ann@south.example" in options.nth(1).inner_text()
    customer.press("ArrowDown")
    customer.press("Enter")
    page.get_by_role("button", name="Record sale").click()

    # then the sale is recorded for her, once
    assert "recorded and issued" in page.get_by_role("alert").first.inner_text()
    order = SalesOrder.objects.get()
    assert order.customer_id == second.pk
    assert stock_totals_for_item(item=lamp, store=store)["on_hand"] == D("8")
    assert errors == []
    context.close()
