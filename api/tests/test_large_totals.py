"""An item's totals over several full lots read back through the API (found by QA: the
serializers allowed each balance's 14 digits to their sum, and answered 400 HTML)."""

from decimal import Decimal

import pytest

from inventory.services.stock import stock_receive

pytestmark = pytest.mark.django_db
V1 = "/api/v1"
MOST = Decimal("99999999999")  # whole pcs: the most one balance holds


def test_totals_past_one_balances_digits_are_served(
    staff_api, manager_user, item, store, other_store
):
    # given two stores each holding the most one lot can hold, and a second lot in one
    stock_receive(actor=manager_user, item=item, store=store, quantity=MOST, lot_code="A")
    stock_receive(actor=manager_user, item=item, store=other_store, quantity=MOST, lot_code="A")
    stock_receive(actor=manager_user, item=item, store=store, quantity=MOST, lot_code="B")

    by_item = staff_api.get(f"{V1}/stock/by_item/{item.pk}/")
    by_store = staff_api.get(f"{V1}/stock/by_store/{store.pk}/")
    detail = staff_api.get(f"{V1}/items/{item.pk}/")
    listing = staff_api.get(f"{V1}/items/")
    lots = staff_api.get(f"{V1}/lots/")

    assert [r.status_code for r in (by_item, by_store, detail, listing, lots)] == [200] * 5
    assert detail.json()["on_hand"] == "299999999997.000"
    assert [lot["on_hand"] for lot in lots.json()["results"] if lot["code"] == "A"] == [
        "199999999998.000"
    ]
