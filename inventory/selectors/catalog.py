"""Read the catalogue lists and the supplier and customer pages; a constant few queries each."""

from decimal import Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from inventory.models import (
    Category,
    Customer,
    LedgerEntry,
    PurchaseOrder,
    SalesOrder,
    Store,
    Supplier,
)

ZERO = Decimal("0")
QTY = DecimalField(max_digits=18, decimal_places=3)
MONEY = DecimalField(max_digits=18, decimal_places=2)


def _sum(expression, **kwargs):
    output = MONEY if not isinstance(expression, str) else QTY
    if not isinstance(expression, str):
        expression = ExpressionWrapper(expression, output_field=MONEY)
    return Coalesce(Sum(expression, **kwargs), Value(ZERO), output_field=output)


def category_list() -> QuerySet:
    """Return categories with the number of items in each."""
    return Category.objects.annotate(item_count=Count("items"))


def store_list() -> QuerySet:
    return Store.objects.all()


def supplier_list() -> QuerySet:
    """Return suppliers with the number of their purchase orders."""
    return Supplier.objects.annotate(order_count=Count("purchase_orders"))


def customer_list() -> QuerySet:
    """Return customers with the number of their sales orders."""
    return Customer.objects.annotate(order_count=Count("sales_orders"))


def supplier_purchase_orders(*, supplier: Supplier) -> QuerySet:
    """Return the supplier's purchase orders, newest first, with their value at line cost."""
    return (
        PurchaseOrder.objects.filter(supplier=supplier)
        .select_related("store")
        .annotate(value=_sum(F("lines__quantity_ordered") * F("lines__unit_cost")))
        .order_by("-created_at", "-pk")
    )


def _receipts_from(supplier: Supplier) -> QuerySet:
    """RECEIVE entries of stock bought from the supplier, leaving out receipts reversed since."""
    return LedgerEntry.objects.filter(
        Q(lot__supplier=supplier) | Q(po_line__order__supplier=supplier),
        kind=LedgerEntry.Kind.RECEIVE,
        reversed_by__isnull=True,
    )


def supplier_received(*, supplier: Supplier) -> dict:
    """Return what was received from the supplier: per item (quantity, value) and in total."""
    value = F("quantity") * F("unit_cost")
    rows = list(
        _receipts_from(supplier)
        .values("item_id", "item__sku", "item__name", "item__unit")
        .annotate(receipts=Count("pk"), total_quantity=_sum("quantity"), total_value=_sum(value))
        .order_by("item__sku")
    )
    return {
        "rows": rows,
        "receipts": sum(r["receipts"] for r in rows),
        "value": sum((r["total_value"] for r in rows), ZERO),
    }


def customer_sales_orders(*, customer: Customer) -> QuerySet:
    """Return the customer's sales orders, newest first, with their value at line prices."""
    return (
        SalesOrder.objects.filter(customer=customer)
        .select_related("store")
        .annotate(value=_sum(F("lines__quantity") * F("lines__unit_price")))
        .order_by("-created_at", "-pk")
    )


def customer_totals(*, customer: Customer) -> dict:
    """Return order count, sales value (cancelled orders left out) and shipped value."""
    closed = [SalesOrder.Status.SHIPPED, SalesOrder.Status.CANCELLED]
    return SalesOrder.objects.filter(customer=customer).aggregate(
        order_count=Count("pk", distinct=True),
        open_count=Count("pk", distinct=True, filter=~Q(status__in=closed)),
        sales_value=_sum(
            F("lines__quantity") * F("lines__unit_price"),
            filter=~Q(status=SalesOrder.Status.CANCELLED),
        ),
        shipped_value=_sum(
            (F("lines__quantity_shipped") - F("lines__quantity_returned")) * F("lines__unit_price")
        ),
    )
