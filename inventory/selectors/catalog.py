"""Read the catalogue lists and the supplier and customer pages; a constant few queries each.

The supplier and customer pages stay as fast with years of history as with a month:
their orders are a keyset page read through the (supplier or customer, created_at)
index, and their figures cover a recent period (the last 30 days unless the reader
picks 90 or 365), read through created_at ranges, never the party's whole history.
"""

from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone

from inventory.models import (
    UNFINISHED_SALES_STATUSES,
    Category,
    Customer,
    Item,
    LedgerEntry,
    PurchaseOrder,
    PurchaseOrderLine,
    SalesOrder,
    SalesOrderLine,
    StockBalance,
    Store,
    Supplier,
)

from .money import cents
from .purchasing import line_value as purchase_line_value
from .purchasing import received_any
from .sales import line_value

ZERO = Decimal("0")
QTY = DecimalField(max_digits=18, decimal_places=3)
MONEY = DecimalField(max_digits=18, decimal_places=2)
PERIOD_DAYS = (30, 90, 365)  # the periods a supplier or customer page can show figures for


def _sum(expression, **kwargs):
    output = MONEY if not isinstance(expression, str) else QTY
    if not isinstance(expression, str):
        expression = ExpressionWrapper(expression, output_field=MONEY)
    return Coalesce(Sum(expression, **kwargs), Value(ZERO), output_field=output)


def category_list() -> QuerySet:
    """Return categories with the number of items in each."""
    return Category.objects.annotate(item_count=Count("items"))


def store_list() -> QuerySet:
    """Stores, each marked when it still holds stock (its deactivation says so)."""
    stocked = StockBalance.objects.filter(store=OuterRef("pk"), has_stock=True)
    return Store.objects.annotate(holds_stock=Exists(stocked))


def _last_order_at(model, party: str):
    """The party's newest order time, as a subquery per listed row: one probe of the
    (party, created_at) index each, however many orders the party has. (A count of
    its orders would read them all, and grew with the history.)"""
    newest = model.objects.filter(**{party: OuterRef("pk")}).order_by("-created_at")
    return Subquery(newest.values("created_at")[:1])


def supplier_list() -> QuerySet:
    """Return suppliers with the time of their newest purchase order (None if none)."""
    return Supplier.objects.annotate(last_order_at=_last_order_at(PurchaseOrder, "supplier"))


def customer_list() -> QuerySet:
    """Return customers with the time of their newest sales order (None if none)."""
    return Customer.objects.annotate(last_order_at=_last_order_at(SalesOrder, "customer"))


def period_start(days: int, *, now: datetime | None = None) -> datetime:
    """Return the start of the last `days` days: local midnight, `days - 1` days ago."""
    today = timezone.localdate(now)
    start = datetime.combine(today - timedelta(days=days - 1), datetime.min.time())
    return timezone.make_aware(start)


def _value_of(lines, expression) -> Subquery:
    """One order's value over its lines, as a subquery read for the listed rows only."""
    figure = (
        lines.objects.filter(order=OuterRef("pk"))
        .order_by()
        .values("order")
        .annotate(total=Sum(ExpressionWrapper(expression, output_field=MONEY)))
        .values("total")[:1]
    )
    return Coalesce(Subquery(figure, output_field=MONEY), Value(ZERO), output_field=MONEY)


def supplier_purchase_orders(*, supplier: Supplier) -> QuerySet:
    """Return the supplier's purchase orders, newest first, with their value at line cost."""
    return (
        PurchaseOrder.objects.filter(supplier=supplier)
        .select_related("store")
        .annotate(
            value=_value_of(PurchaseOrderLine, purchase_line_value()), received_any=received_any()
        )
        .order_by("-created_at", "-pk")
    )


def _receipts_from(supplier: Supplier, since: datetime) -> QuerySet:
    """RECEIVE entries since `since` of stock bought from the supplier, leaving out
    receipts reversed since (the (kind, created_at) index bounds the read)."""
    return LedgerEntry.objects.filter(
        # A receipt is the purchase order's supplier's; stock received without an order
        # (opening stock), its lot's. A lot delivered by one supplier may be topped up by
        # another's order: counted once, on the page of the one who delivered it.
        Q(po_line__order__supplier=supplier) | Q(po_line__isnull=True, lot__supplier=supplier),
        kind=LedgerEntry.Kind.RECEIVE,
        created_at__gte=since,
        reversed_by__isnull=True,  # a receipt reversed since...
        reverses__isnull=True,  # ...and its reversal, a RECEIVE row that takes it back out
    )


def supplier_received(*, supplier: Supplier, since: datetime) -> dict:
    """Return what was received from the supplier since `since`: per item (quantity,
    value) and in total."""
    value = cents(F("quantity") * F("unit_cost"))  # per receipt, as the dashboard rounds
    rows = list(
        _receipts_from(supplier, since)
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
        .annotate(value=_value_of(SalesOrderLine, line_value()))
        .order_by("-created_at", "-pk")
    )


def customer_totals(*, customer: Customer, since: datetime) -> dict:
    """Return, for orders created since `since`: order count, sales value (a cancelled
    order counts what was shipped of it) and shipped value; and the customer's open
    orders whenever created, read through a partial index of open orders by customer."""
    totals = SalesOrder.objects.filter(customer=customer, created_at__gte=since).aggregate(
        order_count=Count("pk", distinct=True),
        sales_value=_sum(line_value(lines="lines__", status="status")),
        shipped_value=_sum(
            cents(
                (F("lines__quantity_shipped") - F("lines__quantity_returned"))
                * F("lines__unit_price")
            )
        ),
    )
    totals["open_count"] = SalesOrder.objects.filter(
        customer=customer, status__in=UNFINISHED_SALES_STATUSES
    ).count()
    return totals


def skus_taken(skus) -> int:
    """Return how many of `skus` (ignoring case) items already use: one indexed query."""
    wanted = {sku.strip().lower() for sku in skus if sku.strip()}
    return Item.objects.annotate(sku_key=Lower("sku")).filter(sku_key__in=wanted).count()
