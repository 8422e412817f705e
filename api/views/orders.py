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


def _with_lines(line_model, pk):
    """The order and its lines in one query: lines joined with their item, order and creator.

    Every order a service writes has at least one line; an order without any (a
    draft emptied by hand in the admin) is read the plain way.
    """
    lines = list(
        line_model.objects.filter(order_id=pk)
        .select_related("item", "order__created_by")
        .order_by("pk")
    )
    if not lines:
        return None
    order = lines[0].order
    order._prefetched_objects_cache = {"lines": lines}
    return order


def purchase_order_body(pk) -> dict:
    order = _with_lines(PurchaseOrderLine, pk) or purchase_orders().get(pk=pk)
    return PurchaseOrderSerializer(order).data


def sales_order_body(pk) -> dict:
    order = _with_lines(SalesOrderLine, pk) or sales_orders().get(pk=pk)
    return SalesOrderSerializer(order).data


def result_body(order_body: dict, stock) -> dict:
    """An order and the stock operation that moved it (with its movement ids)."""
    return {
        "order": order_body,
        "operation": stock.operation.pk if stock is not None else None,
        "movements": [entry.pk for entry in stock.entries] if stock is not None else [],
    }
