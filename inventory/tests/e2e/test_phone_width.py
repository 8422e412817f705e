"""On a phone (390x844) no page needs sideways scrolling: wide tables scroll inside."""

import datetime

import pytest
from django.utils import timezone

from inventory.services.stock import stock_receive
from inventory.tests.factories import ItemFactory, StoreFactory

from .conftest import login


@pytest.mark.parametrize(
    "path",
    [
        "/stock/",
        "/items/{item}/",
        "/dashboard/",
        "/sales/quick/",
        "/ledger/",
        # Their supplier or customer is a picker box (and the sales list a walk-in box).
        "/sales/",
        "/purchases/",
        "/items/new/",
        # Changed at stop 24: expiry badges, a refused filter's warning, empty lists.
        "/lots/",
        "/stock/?store=999999",
        "/purchases/?status=TO_RECEIVE",
        "/customers/",
    ],
)
def test_pages_fit_a_phone_without_sideways_scrolling(page, demo_users, path):
    # given stock with a long-named item, a lot expiring soon and a movement
    username, password = demo_users["Manager"]
    from django.contrib.auth import get_user_model

    manager = get_user_model().objects.get(username=username)
    item = ItemFactory(sku="WIDE-SKU-0001", name="A rather long item name for a narrow screen")
    store = StoreFactory(code="MAIN", name="Main Store")
    soon = timezone.localdate() + datetime.timedelta(days=5)
    stock_receive(
        actor=manager, item=item, store=store, quantity=5, lot_code="L-1", expires_on=soon
    )
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, username, password)

    # when the page is shown
    page.goto(path.format(item=item.pk))

    # then nothing is wider than the screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.mark.parametrize("width", [992, 1100, 1200, 1280])
@pytest.mark.parametrize("role", ["Manager", "Admin"])
def test_the_menu_fits_tablet_and_laptop_widths(page, demo_users, role, width):
    # given the longest menus, at widths around where the navbar stops collapsing
    page.set_viewport_size({"width": width, "height": 800})
    login(page, *demo_users[role])

    # when the dashboard is shown
    page.goto("/dashboard/")

    # then the page is no wider than the window, and the menu is reachable
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()
    assert page.get_by_test_id("main-nav").get_by_role("link", name="Dashboard").is_visible()


def test_long_unbroken_notes_and_skus_wrap_on_a_phone(page, demo_users):
    # found by a first-week QA pass: a note of 1,000 letters without a space made the
    # movement and item pages 100,000 px wide, a 40-letter SKU the item page 939 px
    from django.contrib.auth import get_user_model

    from inventory.services.purchasing import purchase_order_create
    from inventory.services.sales import sales_order_create
    from inventory.services.stock import stock_adjust
    from inventory.tests.factories import CustomerFactory, SupplierFactory

    username, password = demo_users["Manager"]
    manager = get_user_model().objects.get(username=username)
    item = ItemFactory(sku="W" * 40, name="N" * 200)
    store = StoreFactory(code="MAIN", name="Main Store")
    note = "x" * 1000
    stock_receive(actor=manager, item=item, store=store, quantity=5, lot_code="L-1")
    lot = item.lots.get()
    stock_adjust(actor=manager, lot=lot, store=store, quantity=-1, reason="DAMAGE", note=note)
    entry = item.ledger_entries.get(kind="ADJUST")
    line = [(item, "1", "2.00")]
    po = purchase_order_create(
        actor=manager, supplier=SupplierFactory(), store=store, note=note, lines=line
    )
    so = sales_order_create(
        actor=manager, store=store, customer=CustomerFactory(), note=note, lines=line
    )
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, username, password)

    for path in (
        f"/items/{item.pk}/",
        f"/ledger/{entry.pk}/",
        f"/purchases/{po.pk}/",
        f"/sales/{so.pk}/",
    ):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
