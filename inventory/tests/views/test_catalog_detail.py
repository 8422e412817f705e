"""The supplier and customer pages: their orders and what went through them."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

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
    assert "Nothing received in the last 30 days." in response.content.decode()


def test_customer_page_shows_orders_and_totals(manager_client, manager_user, store):
    # given
    customer = CustomerFactory(name="Ann")
    item = ItemFactory()
    shipped = _so(customer, store, manager_user, "SHIPPED", [(item, "2", "5.00", "2")])
    open_order = _so(
        customer, store, manager_user, "DRAFT", [(item, "1", "4.00", "0"), (item, "3", "1.00", "0")]
    )
    cancelled = _so(customer, store, manager_user, "CANCELLED", [(item, "10", "5.00", "0")])
    # A cancelled order comes to what was shipped of it (found by a QA pass: 4 shipped
    # showed as "Sales value 0.00" beside "Shipped value 13.96").
    cut_short = _so(customer, store, manager_user, "CANCELLED", [(item, "10", "3.00", "4")])
    _so(CustomerFactory(), store, manager_user, "SHIPPED", [(item, "9", "9.00", "9")])
    # when
    response = manager_client.get(reverse("inventory:customer_detail", args=[customer.pk]))
    # then
    assert response.status_code == 200
    assert [(o.number, o.value) for o in response.context["page"]] == [
        (cut_short.number, Decimal("12.00")),
        (cancelled.number, Decimal("0")),
        (open_order.number, Decimal("7.00")),
        (shipped.number, Decimal("10.00")),
    ]
    assert response.context["totals"] == {
        "order_count": 4,
        "open_count": 1,
        "sales_value": Decimal("29.00"),
        "shipped_value": Decimal("22.00"),
    }


@pytest.mark.parametrize("orders", [2, 30])
def test_customer_page_query_count_is_constant(
    manager_client, manager_user, store, django_assert_num_queries, orders
):
    # given
    customer = CustomerFactory()
    item = ItemFactory()
    for _ in range(orders):
        _so(customer, store, manager_user, "DRAFT", [(item, "1", "1.00", "0")])
    url = reverse("inventory:customer_detail", args=[customer.pk])
    # when / then: session, user with its role, alerts, customer, totals, open orders, page rows
    with django_assert_num_queries(7):
        first = manager_client.get(url)
    # the older page (keyset) costs the same
    with django_assert_num_queries(7):
        manager_client.get(f"{url}?{first.context['page'].older_query or 'oldest=1'}")


@pytest.mark.parametrize("orders", [2, 30])
def test_supplier_page_query_count_is_constant(
    manager_client, manager_user, store, django_assert_num_queries, orders
):
    # given
    supplier = SupplierFactory()
    item = ItemFactory()
    for _ in range(orders):
        _po(supplier, store, manager_user, "ORDERED", [(item, "1", "1.00")])
    url = reverse("inventory:supplier_detail", args=[supplier.pk])
    # when / then: session, user with its role, alerts, supplier, page rows, received
    with django_assert_num_queries(6):
        first = manager_client.get(url)
    # the older page (keyset) costs the same
    with django_assert_num_queries(6):
        manager_client.get(f"{url}?{first.context['page'].older_query or 'oldest=1'}")


def test_supplier_orders_page_newest_first_then_older(manager_client, manager_user, store):
    # given 27 orders, 25 a page
    supplier = SupplierFactory()
    item = ItemFactory()
    orders = [
        _po(supplier, store, manager_user, "ORDERED", [(item, "1", "1.00")]) for _ in range(27)
    ]
    url = reverse("inventory:supplier_detail", args=[supplier.pk])
    # when
    first = manager_client.get(url, {"days": "90"})
    older = first.context["page"].older_query
    second = manager_client.get(f"{url}?{older}")
    # then
    newest_first = [o.pk for o in reversed(orders)]
    assert [o.pk for o in first.context["page"]] == newest_first[:25]
    assert [o.pk for o in second.context["page"]] == newest_first[25:]
    assert "days=90" in older and second.context["days"] == 90
    assert ">Older</a>" in first.content.decode()
    assert not second.context["page"].has_older


def test_supplier_figures_cover_the_chosen_period(manager_client, manager_user, store):
    # given a receipt 40 days ago and one today
    supplier = SupplierFactory()
    bolt = ItemFactory(sku="BOLT", supplier=supplier)
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() - timedelta(days=40)):
        stock_receive(
            actor=manager_user,
            item=bolt,
            store=store,
            quantity=5,
            unit_cost="1.00",
            supplier=supplier,
        )
    stock_receive(
        actor=manager_user, item=bolt, store=store, quantity=2, unit_cost="1.00", supplier=supplier
    )
    url = reverse("inventory:supplier_detail", args=[supplier.pk])

    def received(**params):
        response = manager_client.get(url, params)
        assert response.status_code == 200
        figures = response.context["received"]
        return response.context["days"], figures["receipts"], figures["value"]

    # when / then: the last 30 days by default, 90 on request; a bad period reads as 30
    assert received() == (30, 1, Decimal("2.00"))
    assert received(days="90") == (90, 2, Decimal("7.00"))
    assert received(days="7") == (30, 1, Decimal("2.00"))
    assert received(days="x' OR 1=1") == (30, 1, Decimal("2.00"))


def test_customer_totals_cover_the_period_and_open_orders_whenever_made(
    manager_client, manager_user, store
):
    # given an old shipped order and an old draft, and a recent shipped order
    customer = CustomerFactory()
    item = ItemFactory()
    old_shipped = _so(customer, store, manager_user, "SHIPPED", [(item, "1", "8.00", "1")])
    old_draft = _so(customer, store, manager_user, "DRAFT", [(item, "1", "4.00", "0")])
    SalesOrder.objects.filter(pk__in=[old_shipped.pk, old_draft.pk]).update(
        created_at=timezone.now() - timedelta(days=100)
    )
    _so(customer, store, manager_user, "SHIPPED", [(item, "2", "5.00", "2")])
    url = reverse("inventory:customer_detail", args=[customer.pk])
    # when
    recent = manager_client.get(url).context["totals"]
    year = manager_client.get(url, {"days": "365"}).context["totals"]
    # then
    assert recent == {
        "order_count": 1,
        "open_count": 1,
        "sales_value": Decimal("10.00"),
        "shipped_value": Decimal("10.00"),
    }
    assert year == {
        "order_count": 3,
        "open_count": 1,
        "sales_value": Decimal("22.00"),
        "shipped_value": Decimal("18.00"),
    }


def test_party_lists_show_and_sort_by_the_newest_order(manager_client, manager_user, store):
    # given one customer ordering last week, one yesterday, one never
    item = ItemFactory()
    week, day, never = (CustomerFactory(name=n) for n in ("Week", "Day", "Never"))
    for customer, days in ((week, 7), (day, 1)):
        order = _so(customer, store, manager_user, "DRAFT", [(item, "1", "1.00", "0")])
        SalesOrder.objects.filter(pk=order.pk).update(
            created_at=datetime(2026, 3, 20, 12, tzinfo=UTC) - timedelta(days=days)
        )
    url = reverse("inventory:customer_list")
    # when
    listed = manager_client.get(url, {"sort": "orders"})
    newest_first = manager_client.get(url, {"sort": "-orders"})
    # then
    rows = {c.name: c.last_order_at for c in listed.context["object_list"]}
    assert rows == {
        "Week": datetime(2026, 3, 13, 12, tzinfo=UTC),
        "Day": datetime(2026, 3, 19, 12, tzinfo=UTC),
        "Never": None,
    }
    # (where "Never" goes depends on the database's NULL ordering)
    dated = [c.name for c in listed.context["object_list"] if c.last_order_at]
    dated_desc = [c.name for c in newest_first.context["object_list"] if c.last_order_at]
    assert (dated, dated_desc) == (["Week", "Day"], ["Day", "Week"])
    assert "2026-03-19" in listed.content.decode()
