"""Reading orders with their lines, shared by the purchase and sales views."""

from django.db.models import Prefetch

from inventory.models import PurchaseOrder, PurchaseOrderLine, SalesOrder, SalesOrderLine

from ..serializers.orders import PurchaseOrderSerializer, SalesOrderSerializer


def purchase_orders():
    lines = PurchaseOrderLine.objects.select_related("item").order_by("pk")
    return PurchaseOrder.objects.select_related("created_by").prefetch_related(
        Prefetch("lines", queryset=lines)
    )


def sales_orders():
    lines = SalesOrderLine.objects.select_related("item").order_by("pk")
    return SalesOrder.objects.select_related("created_by").prefetch_related(
        Prefetch("lines", queryset=lines)
    )


def purchase_order_body(pk) -> dict:
    return PurchaseOrderSerializer(purchase_orders().get(pk=pk)).data


def sales_order_body(pk) -> dict:
    return SalesOrderSerializer(sales_orders().get(pk=pk)).data


def result_body(order_body: dict, stock) -> dict:
    """An order and the stock operation that moved it (with its movement ids)."""
    return {
        "order": order_body,
        "operation": stock.operation.pk if stock is not None else None,
        "movements": [entry.pk for entry in stock.entries] if stock is not None else [],
    }
