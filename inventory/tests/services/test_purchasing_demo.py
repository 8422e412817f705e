"""The purchasing demo data loads through the services and leaves orders in each state."""

from decimal import Decimal

import pytest

from inventory.demo import catalog_stock, purchasing
from inventory.management.commands.seed_demo import DEMO_USERS
from inventory.models import PurchaseOrder

pytestmark = pytest.mark.django_db


def test_demo_purchases_cover_each_state():
    users = catalog_stock.create_users(DEMO_USERS)
    context = catalog_stock.seed(users)

    orders = purchasing.seed(users, context)["purchase_orders"]

    assert {name: o.status for name, o in orders.items()} == {
        "draft": PurchaseOrder.Status.DRAFT,
        "ordered": PurchaseOrder.Status.ORDERED,
        "partial": PurchaseOrder.Status.PARTIALLY_RECEIVED,
        "cancelled": PurchaseOrder.Status.CANCELLED,
        "direct": PurchaseOrder.Status.RECEIVED,
    }
    paint = orders["partial"].lines.get(item__sku="PAINT-W5")
    assert (paint.quantity_ordered, paint.quantity_received) == (Decimal("20"), Decimal("8"))
