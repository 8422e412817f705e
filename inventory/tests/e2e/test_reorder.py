"""A manager orders again what runs low: Reorder, then a supplier's lines filled in on a
new purchase order, saved as a draft; on a desktop and on a phone."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from inventory.models import PurchaseOrder
from inventory.services.stock import stock_receive
from inventory.tests.factories import ItemFactory, StoreFactory, SupplierFactory

from .conftest import login
from .test_picker import VIEWPORTS, _staff


def _low_shop(demo_users):
    """Tape (3 of 10) and bolts (5 of 40), both usually bought from Acme."""
    staff = _staff(demo_users)
    main = StoreFactory(code="MAIN", name="Main Store")
    StoreFactory(code="BRANCH", name="Branch Store")
    acme = SupplierFactory(name="Acme Fasteners")
    for sku, name, level, on_hand in (("TAPE-50", "Duct tape", 10, 3), ("BOLT-M8", "Bolts", 40, 5)):
        item = ItemFactory(sku=sku, name=name, supplier=acme, reorder_level=level)
        stock_receive(actor=staff, item=item, store=main, quantity=on_hand, unit_cost="1")
    return main, acme


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_a_manager_drafts_an_order_of_what_runs_low(new_page, demo_users, viewport):
    # given two items below their level in the main store
    main, acme = _low_shop(demo_users)
    page = new_page(viewport=VIEWPORTS[viewport])
    login(page, *demo_users["Manager"])

    # when the manager opens Reorder from Purchases, picks the store, and drafts Acme's order
    page.goto("/purchases/")
    page.get_by_role("link", name="Reorder").click()
    page.get_by_label("Store", exact=True).select_option(label="MAIN · Main Store")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", name="Acme Fasteners")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[viewport]["width"]
    page.get_by_role("link", name="Draft an order (2 lines)").click()
    expect(page.get_by_text("Filled in from Reorder")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[viewport]["width"]
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_load_state("load")

    # then a draft to Acme for the main store holds the two shortfalls
    expect(page.get_by_text("saved.")).to_be_visible()
    order = PurchaseOrder.objects.get()
    assert (order.status, order.supplier, order.store) == ("DRAFT", acme, main)
    lines = sorted((ln.item.sku, ln.quantity_ordered) for ln in order.lines.all())
    assert lines == [("BOLT-M8", Decimal(35)), ("TAPE-50", Decimal(7))]
    assert page.js_errors == []
