"""A sales order cancelled after part of it shipped comes to what was shipped, on every
page that values it: the order's lines and total, the sales list, the customer page.
Found by a QA pass: the list showed the full 34.90 ordered, the customer page 0.00."""

from decimal import Decimal

import pytest
from django.urls import reverse

from inventory.services.sales import (
    sales_order_cancel,
    sales_order_confirm,
    sales_order_create,
    sales_order_ship,
)
from inventory.services.stock import stock_receive
from inventory.tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def test_a_cancelled_order_is_valued_at_what_was_shipped_everywhere(
    manager_client, manager_user, store, item
):
    customer = CustomerFactory(name="QA Cancel Co")
    stock_receive(actor=manager_user, item=item, store=store, quantity="20")
    order = sales_order_create(
        actor=manager_user, store=store, customer=customer, lines=[(item, "10", "3.49")]
    )
    sales_order_confirm(actor=manager_user, order=order, idempotency_key="c")
    line = order.lines.get()
    sales_order_ship(actor=manager_user, order=order, shipments={line.pk: "4"}, idempotency_key="s")
    sales_order_cancel(actor=manager_user, order=order, idempotency_key="x")
    shipped = Decimal("13.96")

    detail = manager_client.get(order.get_absolute_url())
    listed = manager_client.get(reverse("inventory:sales_list"))
    party = manager_client.get(reverse("inventory:customer_detail", args=[customer.pk]))

    assert [ln.value for ln in detail.context["lines"]] == [shipped]
    assert detail.context["figures"]["value"] == shipped
    assert detail.context["figures"]["shipped_value"] == shipped
    assert [(o.number, o.value) for o in listed.context["page"]] == [(order.number, shipped)]
    assert [o.value for o in party.context["page"]] == [shipped]
    assert party.context["totals"]["sales_value"] == shipped
    assert party.context["totals"]["shipped_value"] == shipped
