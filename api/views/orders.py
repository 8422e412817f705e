"""Reading orders with their lines, shared by the purchase and sales views."""

from django.db.models import Prefetch
from rest_framework import serializers

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
    draft emptied by hand in the admin) is read the plain way: (None, []).
    """
    lines = list(
        line_model.objects.filter(order_id=pk)
        .select_related("item", "order__created_by")
        .order_by("pk")
    )
    return (lines[0].order if lines else None), lines


# DRF's own field writes the times, in TIME_ZONE as every read of the API does (a
# hand-made isoformat() wrote a write's answer in UTC: found by a QA pass).
_DATETIME = serializers.DateTimeField()


def _when(value):
    """A datetime as DRF writes it (ISO 8601 in TIME_ZONE, UTC as Z)."""
    return None if value is None else _DATETIME.to_representation(value)


def _header(order) -> dict:
    return {
        "id": order.pk,
        "number": order.number,
        "status": order.status,
        "note": order.note,
        "created_by": order.created_by.username,
        "created_at": _when(order.created_at),
        "updated_at": _when(order.updated_at),
    }


def purchase_order_body(pk) -> dict:
    """PurchaseOrderSerializer's output, built by hand: a write answers it on every call.

    DRF's ModelSerializer builds its fields anew for each instance, which cost a busy
    endpoint as much as a query; test_orders holds the two shapes equal.
    """
    order, lines = _with_lines(PurchaseOrderLine, pk)
    if order is None:
        return PurchaseOrderSerializer(purchase_orders().get(pk=pk)).data
    return {
        **_header(order),
        "supplier": order.supplier_id,
        "store": order.store_id,
        "expected_on": order.expected_on.isoformat() if order.expected_on else None,
        "lines": [
            {
                "id": line.pk,
                "item": line.item_id,
                "sku": line.item.sku,
                "quantity_ordered": f"{line.quantity_ordered:.3f}",
                "quantity_received": f"{line.quantity_received:.3f}",
                "outstanding": f"{line.outstanding:.3f}",
                "unit_cost": f"{line.unit_cost:.2f}",
            }
            for line in lines
        ],
    }


def sales_order_body(pk, *, written=None) -> dict:
    """SalesOrderSerializer's output, built by hand (see purchase_order_body).

    `written`: the (order, lines) a service has just written, with their items and
    creator loaded, so the answer costs no query.
    """
    order, lines = written or _with_lines(SalesOrderLine, pk)
    if order is None:
        return SalesOrderSerializer(sales_orders().get(pk=pk)).data
    return {
        **_header(order),
        "store": order.store_id,
        "customer": order.customer_id,
        "lines": [
            {
                "id": line.pk,
                "item": line.item_id,
                "sku": line.item.sku,
                "quantity": f"{line.quantity:.3f}",
                "unit_price": f"{line.unit_price:.2f}",
                "quantity_reserved": f"{line.quantity_reserved:.3f}",
                "quantity_shipped": f"{line.quantity_shipped:.3f}",
                "quantity_returned": f"{line.quantity_returned:.3f}",
            }
            for line in lines
        ],
    }


def result_body(order_body: dict, stock) -> dict:
    """An order and the stock operation that moved it (with its movement ids)."""
    return {
        "order": order_body,
        "operation": stock.operation.pk if stock is not None else None,
        "movements": [entry.pk for entry in stock.entries] if stock is not None else [],
    }
