"""Found by a first-day QA pass on a phone: the dashboard's stock value per store kept a
long store name on one line, so its Value column ran under the card's edge and read
"229" for 229.26 until the table was swiped sideways."""

from decimal import Decimal

from django.contrib.auth import get_user_model

from inventory.services.stock import stock_receive
from inventory.tests.factories import ItemFactory, StoreFactory

from .conftest import login


def test_the_dashboards_stock_value_is_whole_on_a_phone(page, demo_users):
    # given a store with a long name holding 229.26 of stock
    username, password = demo_users["Manager"]
    manager = get_user_model().objects.get(username=username)
    store = StoreFactory(code="MAIN", name="Main Shop — Café Zürich")
    item = ItemFactory(sku="BOLT-M8", name="Hex bolt M8")
    stock_receive(actor=manager, item=item, store=store, quantity=2, unit_cost=Decimal("114.63"))
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, username, password)

    # when the dashboard is shown
    page.goto("/dashboard/")

    # then the table needs no sideways scroll: every value is in view, in full
    table = page.get_by_test_id("stock-value")
    assert table.get_by_role("cell", name="229.26").is_visible()
    assert table.evaluate("el => el.scrollWidth <= el.clientWidth")
