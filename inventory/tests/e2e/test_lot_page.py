"""A lot's page opened from the item page, on a desktop and on a phone (390x844), is no
wider than the screen: its tables stack as cards."""

import pytest

from .conftest import login


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 800}, {"width": 390, "height": 844}]
)
def test_a_lot_page_opens_from_the_item_page_and_fits_the_screen(
    page, demo_users, bolts_in_stock, viewport
):
    # given a lot shipped to a customer with a long name, and its stock moved between stores
    from django.contrib.auth import get_user_model

    from inventory.services.sales import sales_quick_sale
    from inventory.services.stock import stock_transfer
    from inventory.tests.factories import CustomerFactory, StoreFactory

    manager = get_user_model().objects.get(username=demo_users["Manager"][0])
    lot = bolts_in_stock.lots.get()
    customer = CustomerFactory(name="Northern Hardware Wholesale and Distribution Company Ltd")
    sales_quick_sale(actor=manager, store=lot.balances.get().store, customer=customer,
                     lines=[(bolts_in_stock, "2")], idempotency_key="sale")  # fmt: skip
    stock_transfer(actor=manager, item=bolts_in_stock, from_store=lot.balances.get().store,
                   to_store=StoreFactory(code="WH", name="Warehouse"), quantity="3", lot=lot,
                   idempotency_key="move")  # fmt: skip
    page.set_viewport_size(viewport)
    login(page, *demo_users["Staff"])
    page.goto(f"/items/{bolts_in_stock.pk}/")

    # when the lot code in the per-lot table is followed
    page.get_by_test_id("stock-by-lot").get_by_role("link", name="L-1").first.click()
    page.wait_for_load_state("networkidle")

    # then the lot's page shows where it is and where it went, within the screen's width
    assert page.url.endswith(f"/lots/{lot.pk}/")
    assert page.get_by_role("heading", name="Lot L-1").is_visible()
    stock = page.get_by_test_id("lot-stock")
    assert stock.get_by_text("MAIN Main Store").is_visible()
    assert stock.get_by_text("WH Warehouse").is_visible()
    customers = page.get_by_test_id("lot-customers")
    assert customers.get_by_role("link", name=customer.name).is_visible()
    assert page.get_by_test_id("lot-stock-total").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert page.js_errors == []


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 800}, {"width": 390, "height": 844}]
)
def test_a_lot_page_names_the_customers_reached_through_a_lot_made_from_it(
    page, demo_users, bolts_in_stock, viewport
):
    # given the lot sold out to one customer, sent back damaged into a lot made from it,
    # approved and sold on to another
    from django.contrib.auth import get_user_model

    from inventory.models import Lot
    from inventory.services.qc import lot_approve
    from inventory.services.sales import sales_order_return, sales_quick_sale
    from inventory.tests.factories import CustomerFactory

    manager = get_user_model().objects.get(username=demo_users["Manager"][0])
    lot = bolts_in_stock.lots.get()
    store = lot.balances.get().store
    first, second = (
        CustomerFactory(name=f"{name} Hardware Wholesale and Distribution Company Ltd")
        for name in ("Northern", "Southern")
    )
    sold = sales_quick_sale(actor=manager, store=store, customer=first,
                            lines=[(bolts_in_stock, "12")], idempotency_key="sale")  # fmt: skip
    order = sold.order
    sales_order_return(actor=manager, line=order.lines.get(), quantity="12", damaged=True,
                       idempotency_key="back")  # fmt: skip
    made = Lot.objects.get(origin_lot=lot)
    lot_approve(actor=manager, lot=made)
    sales_quick_sale(actor=manager, store=store, customer=second,
                     lines=[(bolts_in_stock, "5")], idempotency_key="again")  # fmt: skip
    page.set_viewport_size(viewport)
    login(page, *demo_users["Staff"])

    # when the first lot's page is shown
    page.goto(f"/lots/{lot.pk}/")

    # then the second customer is listed, through the lot made from it, within the width
    customers = page.get_by_test_id("lot-customers")
    assert customers.get_by_role("link", name=second.name).is_visible()
    assert customers.get_by_role("link", name=made.code).is_visible()
    assert page.get_by_test_id("made-lots").get_by_role("link", name=made.code).is_visible()
    assert page.get_by_test_id("made-on-hand").inner_text() == "7 pcs"
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert page.js_errors == []
