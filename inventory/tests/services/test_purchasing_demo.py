"""The purchasing demo data loads through the services and leaves orders in each state."""

import os
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Sum

from inventory.demo import catalog_stock, purchasing
from inventory.management.commands.seed_demo import DEMO_USERS
from inventory.models import PurchaseOrder, SalesOrderLine, StockBalance

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


def test_every_unit_the_demo_reserves_is_held_by_an_open_order_line():
    # Found by a QA pass: 12 LAMP-LED9 were reserved by no order, so nothing could
    # release them, and a quarantine or a count of their lot was refused.
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115

    def by_item_store(rows):
        return {(i, s): q for i, s, q in rows if q}

    reserved = by_item_store(
        StockBalance.objects.values_list("item_id", "store_id")
        .annotate(q=Sum("reserved"))
        .order_by()
    )
    held = by_item_store(
        SalesOrderLine.objects.values_list("item_id", "order__store_id")
        .annotate(q=Sum("quantity_reserved"))
        .order_by()
    )
    assert reserved and reserved == held
