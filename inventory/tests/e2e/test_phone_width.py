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
