"""A stock count in a real browser, at a desktop and on a phone: the manager opens the
store's count sheet from the stock page, types what was found, and the figures follow;
on a phone each lot is a card with its box on the screen."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from inventory.models import LedgerEntry
from inventory.selectors.stock import stock_totals_for_item
from inventory.services.stock import stock_receive
from inventory.tests.factories import ItemFactory, StoreFactory

from .conftest import login
from .test_phone_cards import OFF_SCREEN
from .test_picker import VIEWPORTS

D = Decimal


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_manager_counts_a_shelf(new_page, demo_users, viewport):
    # given 12 bulbs and 30 m of cable on record in Main Store
    manager = get_user_model().objects.get(username=demo_users["Manager"][0])
    store = StoreFactory(code="MAIN", name="Main Store")
    bulbs = ItemFactory(sku="LAMP-LED9", name="LED bulb 9 W")
    cable = ItemFactory(sku="CABLE-3G", name="Cable", unit="m")
    stock_receive(actor=manager, item=bulbs, store=store, quantity="12", lot_code="B1")
    stock_receive(actor=manager, item=cable, store=store, quantity="30", lot_code="C1")
    page = new_page(viewport=VIEWPORTS[viewport])
    login(page, *demo_users["Manager"])

    # when the count sheet is opened from the stock page of that store
    page.goto(f"/stock/?store={store.pk}")
    page.get_by_role("link", name="Count stock").click()
    page.wait_for_load_state("load")

    # then each lot has its box, on the screen
    width = VIEWPORTS[viewport]["width"]
    assert page.evaluate(OFF_SCREEN, width) == {"scrollWidth": width, "outside": []}

    # when 11 bulbs and 30.5 m of cable are found
    page.get_by_label("Found of LAMP-LED9 lot B1").fill("11")
    page.get_by_label("Found of CABLE-3G lot C1").fill("30.5")
    page.get_by_role("button", name="Record count").click()
    page.wait_for_load_state("load")

    # then the figures are what was found, through two count corrections
    assert (
        "Count of 2 lots in Main Store recorded: 2 corrected."
        in page.get_by_role("alert").first.inner_text()
    )
    assert stock_totals_for_item(item=bulbs, store=store)["on_hand"] == D("11")
    assert stock_totals_for_item(item=cable, store=store)["on_hand"] == D("30.5")
    assert LedgerEntry.objects.filter(reason="COUNT").count() == 2
    assert page.js_errors == []


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_manager_weighs_a_bin_of_loose_goods(new_page, demo_users, viewport):
    # given nails received three times (three lots, 2 + 3 + 5 kg) in Main Store
    manager = get_user_model().objects.get(username=demo_users["Manager"][0])
    store = StoreFactory(code="MAIN", name="Main Store")
    nails = ItemFactory(sku="NAIL-50", name="Nails 50 mm, loose", unit="kg")
    for quantity, code in (("2", "N1"), ("3", "N2"), ("5", "N3")):
        stock_receive(actor=manager, item=nails, store=store, quantity=quantity, lot_code=code)
    page = new_page(viewport=VIEWPORTS[viewport])
    login(page, *demo_users["Manager"])

    # when the sheet is opened to count by item
    page.goto(f"/stock/count/?store={store.pk}")
    page.get_by_label("Count by").select_option("item")
    page.get_by_role("button", name="Open count sheet").click()
    page.wait_for_load_state("load")

    # then the item has one box for all its lots, on the screen
    width = VIEWPORTS[viewport]["width"]
    assert page.evaluate(OFF_SCREEN, width) == {"scrollWidth": width, "outside": []}

    # when the bin weighs 6.5 kg
    page.get_by_label("Found of NAIL-50, all lots").fill("6.5")
    page.get_by_role("button", name="Record count").click()
    page.wait_for_load_state("load")

    # then the oldest lots were counted down first: N1 and half of N2 are gone
    assert (
        "Count of 1 item in Main Store recorded: 2 lots corrected."
        in page.get_by_role("alert").first.inner_text()
    )
    left = dict(
        LedgerEntry.objects.filter(reason="COUNT").values_list("lot__code", "on_hand_delta")
    )
    assert left == {"N1": D("-2"), "N2": D("-1.5")}
    assert stock_totals_for_item(item=nails, store=store)["on_hand"] == D("6.5")
    assert page.js_errors == []
