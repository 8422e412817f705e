"""The supplier and customer pages: their orders and what went through them."""

from decimal import Decimal

import pytest
from django.urls import reverse

from inventory.models import PurchaseOrder, PurchaseOrderLine, SalesOrder, SalesOrderLine
from inventory.services.purchasing import purchase_order_receive
from inventory.services.stock import stock_receive
from inventory.tests.factories import CustomerFactory, ItemFactory, SupplierFactory

pytestmark = pytest.mark.django_db


def _po(supplier, store, user, status, lines):
    order = PurchaseOrder.objects.create(
        supplier=supplier, store=store, status=status, created_by=user
    )
    for item, qty, cost in lines:
        PurchaseOrderLine.objects.create(
            order=order, item=item, quantity_ordered=Decimal(qty), unit_cost=Decimal(cost)
        )
    return order


def _so(customer, store, user, status, lines):
    order = SalesOrder.objects.create(
        customer=customer, store=store, status=status, created_by=user
    )
    for item, qty, price, shipped in lines:
        SalesOrderLine.objects.create(
            order=order,
            item=item,
            quantity=Decimal(qty),
            unit_price=Decimal(price),
            quantity_shipped=Decimal(shipped),
        )
    return order


def test_supplier_page_lists_orders_with_values_and_what_was_received(
    manager_client, manager_user, store
):
    # given
    supplier = SupplierFactory(name="Acme")
    other = SupplierFactory(name="Other")
    bolt = ItemFactory(sku="BOLT", supplier=supplier)
    nut = ItemFactory(sku="NUT", supplier=supplier)
    order = _po(
        supplier, store, manager_user, "ORDERED", [(bolt, "10", "2.00"), (nut, "4", "0.50")]
    )
    _po(other, store, manager_user, "ORDERED", [(bolt, "99", "9.00")])
    # a receipt against the PO (lot without supplier) and one of a lot bought from Acme
    purchase_order_receive(
        actor=manager_user,
        order=order,
        receipts=[{"line": order.lines.get(item=bolt), "quantity": 6}],
    )
    stock_receive(
        actor=manager_user, item=bolt, store=store, quantity=1, unit_cost="3.00", supplier=supplier
    )
    stock_receive(
        actor=manager_user, item=nut, store=store, quantity=2, unit_cost="0.50", supplier=supplier
    )
    # and a receipt from the other supplier, which must not count
    stock_receive(
        actor=manager_user, item=nut, store=store, quantity=50, unit_cost="1.00", supplier=other
    )
    # when
    response = manager_client.get(reverse("inventory:supplier_detail", args=[supplier.pk]))
    # then
    assert response.status_code == 200
    orders = list(response.context["page"])
    assert [(o.number, o.status, o.value) for o in orders] == [
        (order.number, "PARTIALLY_RECEIVED", Decimal("22.00"))
    ]
    received = response.context["received"]
    assert [
        (r["item__sku"], r["receipts"], r["total_quantity"], r["total_value"])
        for r in received["rows"]
    ] == [
        ("BOLT", 2, Decimal("7.000"), Decimal("15.00")),
        ("NUT", 1, Decimal("2.000"), Decimal("1.00")),
    ]
    assert (received["receipts"], received["value"]) == (3, Decimal("16.00"))
    page = response.content.decode()
    assert order.number in page
    assert "16.00" in page


def test_supplier_page_with_nothing_yet(manager_client):
    # given
    supplier = SupplierFactory()
    # when
    response = manager_client.get(reverse("inventory:supplier_detail", args=[supplier.pk]))
    # then
    assert response.status_code == 200
    assert response.context["received"] == {"rows": [], "receipts": 0, "value": Decimal("0")}
    assert "Nothing received yet." in response.content.decode()


def test_customer_page_shows_orders_and_totals(manager_client, manager_user, store):
    # given
    customer = CustomerFactory(name="Ann")
    item = ItemFactory()
    shipped = _so(customer, store, manager_user, "SHIPPED", [(item, "2", "5.00", "2")])
    open_order = _so(
        customer, store, manager_user, "DRAFT", [(item, "1", "4.00", "0"), (item, "3", "1.00", "0")]
    )
    cancelled = _so(customer, store, manager_user, "CANCELLED", [(item, "10", "5.00", "0")])
    _so(CustomerFactory(), store, manager_user, "SHIPPED", [(item, "9", "9.00", "9")])
    # when
    response = manager_client.get(reverse("inventory:customer_detail", args=[customer.pk]))
    # then
    assert response.status_code == 200
    assert [(o.number, o.value) for o in response.context["page"]] == [
        (cancelled.number, Decimal("50.00")),
        (open_order.number, Decimal("7.00")),
        (shipped.number, Decimal("10.00")),
    ]
    assert response.context["totals"] == {
        "order_count": 3,
        "open_count": 1,
        "sales_value": Decimal("17.00"),
        "shipped_value": Decimal("10.00"),
    }


@pytest.mark.parametrize("orders", [2, 20])
def test_customer_page_query_count_is_constant(
    manager_client, manager_user, store, django_assert_num_queries, orders
):
    # given
    customer = CustomerFactory()
    item = ItemFactory()
    for _ in range(orders):
        _so(customer, store, manager_user, "DRAFT", [(item, "1", "1.00", "0")])
    # when / then: session, user, groups, alerts, customer, totals, page count, page rows
    with django_assert_num_queries(8):
        manager_client.get(reverse("inventory:customer_detail", args=[customer.pk]))


@pytest.mark.parametrize("orders", [2, 20])
def test_supplier_page_query_count_is_constant(
    manager_client, manager_user, store, django_assert_num_queries, orders
):
    # given
    supplier = SupplierFactory()
    item = ItemFactory()
    for _ in range(orders):
        _po(supplier, store, manager_user, "ORDERED", [(item, "1", "1.00")])
    # when / then: session, user, groups, alerts, supplier, page count, page rows, received
    with django_assert_num_queries(8):
        manager_client.get(reverse("inventory:supplier_detail", args=[supplier.pk]))
