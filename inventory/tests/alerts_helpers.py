"""Low-stock alerts, shared helpers: an item with a reorder level, and stock moves by a user."""

from decimal import Decimal

import pytest

from inventory.services.stock import stock_issue, stock_receive
from inventory.tests.factories import ItemFactory


@pytest.fixture(name="low_item")
def low_item_fixture(db):
    return ItemFactory(sku="SKU-LOW1", name="Red bolt", reorder_level=Decimal("5"), unit="kg")


def _receive(user, item, store, qty):
    return stock_receive(actor=user, item=item, store=store, quantity=Decimal(qty))


def _sell(user, item, store, qty):
    return stock_issue(actor=user, item=item, store=store, quantity=Decimal(qty))
