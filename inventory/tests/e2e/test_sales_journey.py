"""A staff member sells through the browser: order, confirm, ship in two parts, quick sale."""

from decimal import Decimal

from inventory.models import SalesOrder
from inventory.selectors.sales import sales_order_figures
from inventory.selectors.stock import stock_totals_for_item
from inventory.services.stock import stock_receive
from inventory.tests.factories import ItemFactory, StoreFactory

from .conftest import login

D = Decimal


def _staff(demo_users):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=demo_users["Staff"][0])


def _line_cell(page, sku, column):
    return page.get_by_test_id(f"line-{sku}").get_by_test_id(column).inner_text()


def test_order_confirmed_and_shipped_in_two_parts_then_a_short_quick_sale(page, demo_users):
    # given 10 lamps in the main store, at a cost of 2.00
    store = StoreFactory(code="MAIN", name="Main Store")
    lamp = ItemFactory(sku="LAMP-E2E", name="Lamp", unit_price=D("5.00"), reorder_level=0)
    stock_receive(actor=_staff(demo_users), item=lamp, store=store, quantity="10", unit_cost="2.00")
    login(page, *demo_users["Staff"])

    # when the staff member records an order of 6 lamps
    page.goto("/sales/new/")
    page.get_by_label("Store").select_option(label="Main Store")
    page.get_by_label("Item").first.fill(lamp.sku)
    page.get_by_label("Quantity").first.fill("6")
    page.get_by_role("button", name="Save draft").click()

    # then a draft is shown, with Confirm among its actions
    assert "Draft SO-" in page.get_by_role("alert").first.inner_text()
    assert page.get_by_test_id("order-status").inner_text() == "Draft"
    order = SalesOrder.objects.get()

    # when confirmed, 6 are reserved
    page.get_by_role("button", name="Confirm").click()
    assert page.get_by_test_id("order-status").inner_text() == "Confirmed"
    assert _line_cell(page, "LAMP-E2E", "reserved") == "6"
    totals = stock_totals_for_item(item=lamp, store=store)
    assert (totals["on_hand"], totals["reserved"], totals["available"]) == (
        D("10.000"),
        D("6.000"),
        D("4.000"),
    )

    # when 4 are shipped, then the other 2
    page.get_by_role("link", name="Ship", exact=True).click()
    page.get_by_label("Ship LAMP-E2E").fill("4")
    page.get_by_role("button", name="Ship", exact=True).click()
    assert page.get_by_test_id("order-status").inner_text() == "Partially shipped"
    assert (_line_cell(page, "LAMP-E2E", "reserved"), _line_cell(page, "LAMP-E2E", "shipped")) == (
        "2",
        "4",
    )
    totals = stock_totals_for_item(item=lamp, store=store)
    assert (totals["on_hand"], totals["reserved"]) == (D("6.000"), D("2.000"))

    page.get_by_role("link", name="Ship", exact=True).click()
    assert page.get_by_label("Ship LAMP-E2E").input_value() == "2"
    page.get_by_role("button", name="Ship", exact=True).click()

    # then the order is shipped and the figures follow
    assert page.get_by_test_id("order-status").inner_text() == "Shipped"
    assert _line_cell(page, "LAMP-E2E", "shipped") == "6"
    assert page.get_by_test_id("cost-of-goods").inner_text() == "12.00"
    assert page.get_by_test_id("margin").inner_text().startswith("18.00")
    totals = stock_totals_for_item(item=lamp, store=store)
    assert (totals["on_hand"], totals["reserved"], totals["available"]) == (
        D("4.000"),
        D("0.000"),
        D("4.000"),
    )
    assert sales_order_figures(order=order)["cost_of_goods"] == D("12.00")

    # when a quick sale asks for 10 lamps, with a blank extra row added
    page.goto("/sales/quick/")
    page.get_by_label("Store").select_option(label="Main Store")
    page.get_by_label("Item").first.fill(lamp.sku)
    page.get_by_label("Quantity").first.fill("10")
    page.get_by_role("button", name="Add line").click()
    assert page.get_by_test_id("sales-line").count() == 2
    page.get_by_role("button", name="Record sale").click()

    # then the form comes back saying how many are available, and nothing is recorded
    message = "Only 4 pcs of LAMP-E2E available in Main Store; 10 requested."
    assert page.get_by_test_id("line-error").inner_text() == message
    assert "Nothing was recorded" in page.get_by_test_id("sale-errors").inner_text()
    assert SalesOrder.objects.count() == 1
    assert stock_totals_for_item(item=lamp, store=store)["on_hand"] == D("4.000")
    assert page.js_errors == []
