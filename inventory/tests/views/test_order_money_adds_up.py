"""An order's total is the sum of its lines as shown, each rounded to the cent. Found by a
QA pass: lines of 2.48, 0.03, 0.50 and 2.59 (5.60) under an order value of 5.59, the
total rounded from the unrounded products."""

from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from inventory.services.sales import sales_quick_sale
from inventory.services.stock import stock_receive
from inventory.tests.factories import CustomerFactory, ItemFactory

pytestmark = pytest.mark.django_db


def test_the_order_value_is_the_sum_of_the_lines_shown(manager_client, manager_user, store):
    cable = ItemFactory(sku="CABLE-3G", unit="m")
    sand = ItemFactory(sku="SAND-25", unit="kg")
    for item in (cable, sand):
        stock_receive(actor=manager_user, item=item, store=store, quantity="100")
    customer = CustomerFactory()
    result = sales_quick_sale(
        actor=manager_user,
        store=store,
        customer=customer,
        lines=[
            (cable, "2.5", "0.99"),
            (sand, "0.125", "0.20"),
            (cable, "0.5", "0.99"),
            (sand, "12.345", "0.21"),
        ],
        idempotency_key="q",
    )
    order = result.order

    detail = manager_client.get(order.get_absolute_url())
    listed = manager_client.get(reverse("inventory:sales_list"))
    party = manager_client.get(reverse("inventory:customer_detail", args=[customer.pk]))

    shown = [line.value for line in detail.context["lines"]]
    assert all(value == value.quantize(Decimal("0.01")) for value in shown)
    total = sum(shown)
    if connection.vendor == "postgresql":  # exact decimals: 2.475 and 0.495 round up
        assert shown == [Decimal("2.48"), Decimal("0.03"), Decimal("0.50"), Decimal("2.59")]
    assert detail.context["figures"]["value"] == total
    assert detail.context["figures"]["shipped_value"] == total
    assert [o.value for o in listed.context["page"]] == [total]
    assert [o.value for o in party.context["page"]] == [total]
    assert party.context["totals"]["sales_value"] == total
    assert party.context["totals"]["shipped_value"] == total
