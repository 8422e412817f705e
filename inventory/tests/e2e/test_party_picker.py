"""The customer and supplier pickers in a real browser: two customers share a name, and
the one chosen from the list is the one the sale is recorded for; typed without choosing,
the name is refused next to the field and nothing is recorded. The purchase list is
filtered by a supplier chosen with the keyboard, a deactivated one included, and its
pages keep the filter."""

from decimal import Decimal

import pytest

from inventory.models import PurchaseOrder, SalesOrder
from inventory.selectors.stock import stock_totals_for_item
from inventory.services.purchasing import purchase_order_create
from inventory.tests.factories import CustomerFactory, ItemFactory, StoreFactory, SupplierFactory

from .conftest import login
from .test_picker import VIEWPORTS, _staff, _stock

D = Decimal


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_customer_chosen_among_namesakes_is_the_one_sold_to(new_page, demo_users, viewport):
    # given two customers named Ann Lee, told apart by their e-mail
    store, lamp = _stock(demo_users)
    CustomerFactory(name="Ann Lee", email="ann@north.example")
    second = CustomerFactory(name="Ann Lee", email="ann@south.example")
    page = new_page(viewport=VIEWPORTS[viewport])
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
    assert page.js_errors == []


def _numbers(page) -> list[str]:
    return page.locator("table tbody tr td:first-child a").all_inner_texts()


def _orders_of(supplier) -> list[str]:
    return [o.number for o in PurchaseOrder.objects.filter(supplier=supplier).order_by("-pk")]


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_purchase_list_filtered_by_a_supplier_chosen_with_the_keyboard(
    new_page, demo_users, viewport
):
    # given two suppliers named Brite Co, and a deactivated one with 27 past orders
    staff = _staff(demo_users)
    store, item = StoreFactory(code="MAIN", name="Main Store"), ItemFactory(sku="LAMP-E2E")
    SupplierFactory(name="Brite Co", email="north@brite.example")
    south = SupplierFactory(name="Brite Co", email="south@brite.example")
    old = SupplierFactory(name="Britex Old", email="old@britex.example")
    for supplier, count in ((south, 1), (old, 27)):
        for _ in range(count):
            purchase_order_create(
                actor=staff, supplier=supplier, store=store, lines=[(item, "1", None)]
            )
    purchase_order_create(
        actor=staff, supplier=SupplierFactory(name="Acme"), store=store, lines=[(item, "1", None)]
    )
    old.is_active = False
    old.save(update_fields=["is_active"])
    page = new_page(viewport=VIEWPORTS[viewport])
    login(page, *demo_users["Staff"])
    page.goto("/purchases/")

    # when the second Brite Co is chosen from the list with the keyboard and the list filtered
    box = page.get_by_role("combobox", name="Supplier")
    box.click()
    box.press_sequentially("brite", delay=30)
    options = page.get_by_role("listbox").get_by_role("option")
    options.nth(2).wait_for()
    texts = options.all_inner_texts()
    assert "south@brite.example" in texts[1]
    assert "deactivated" in texts[2] and "Britex Old" in texts[2]
    box.press("ArrowDown")
    box.press("Enter")
    assert box.input_value() == "Brite Co"
    with page.expect_navigation():
        page.get_by_role("button", name="Filter").click()

    # then only its order is listed, and the box still shows it
    assert _numbers(page) == _orders_of(south)
    assert page.get_by_role("combobox", name="Supplier").input_value() == "Brite Co"

    # when the deactivated supplier is chosen the same way
    box = page.get_by_role("combobox", name="Supplier")
    box.fill("")
    box.press_sequentially("britex", delay=30)
    # the list answering "britex", not the one still showing from "brite" (a busy machine
    # can be slower to answer than the keys are to arrive)
    options = page.get_by_role("listbox").get_by_role("option")
    options.filter(has_text="Britex Old").wait_for()
    assert options.count() == 1
    box.press("Enter")
    assert box.input_value() == "Britex Old"
    with page.expect_navigation():
        page.get_by_role("button", name="Filter").click()
    first = _numbers(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Older").click()

    # then its 27 past orders are listed over two pages, the filter kept by the page link
    assert first + _numbers(page) == _orders_of(old)
    assert len(first) == 25
    assert page.get_by_role("combobox", name="Supplier").input_value() == "Britex Old"
    assert page.js_errors == []
