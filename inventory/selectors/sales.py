"""Read sales orders and their figures, in a constant number of queries.

Sales value is at the line prices: `value` for what was ordered, `shipped_value` for
what was shipped and not returned. Cost of goods is at the cost of the lots the
order was issued from: ISSUE entries minus RETURN entries, quantity x unit_cost.
Margin is shipped_value minus cost of goods.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from inventory.models import AuditEvent, LedgerEntry, SalesOrder, SalesOrderLine
from inventory.models.orders import OPEN_SALES_STATUSES
from inventory.models.stock import sold_lot
from inventory.rules import CENT

from . import money
from .money import cents

ZERO = Decimal("0")
MONEY = DecimalField(max_digits=18, decimal_places=2)

Kind = LedgerEntry.Kind


def start_of_day(day) -> datetime:
    """Return the first instant of a local day (TIME_ZONE), as an aware datetime."""
    return timezone.make_aware(datetime.combine(day, time.min))


def _money(expression):
    return ExpressionWrapper(expression, output_field=MONEY)


def line_value(*, lines: str = "", status: str = "order__status"):
    """A sales line's value (`money.line_value`): once cancelled, what was shipped."""
    return money.line_value(
        ordered="quantity",
        moved="quantity_shipped",
        price="unit_price",
        cancelled=SalesOrder.Status.CANCELLED,
        lines=lines,
        status=status,
    )


def _line_value_subquery():
    lines = (
        SalesOrderLine.objects.filter(order=OuterRef("pk"))
        .order_by()
        .values("order")
        .annotate(total=Sum(line_value()))
        .values("total")[:1]
    )
    return Coalesce(Subquery(lines, output_field=MONEY), Value(ZERO), output_field=MONEY)


# The order list's "To ship" status filter: confirmed orders not yet shipped in full.
TO_SHIP = "TO_SHIP"


def sales_orders_list(*, status=None, customer=None, store=None, date_from=None, date_to=None):
    """Return orders, newest first, filtered and annotated with `value` and `line_count`.

    One query for the rows whatever their number (customer and store are joined, the
    figures are subqueries per row, so a page of 25 reads 25 orders' lines, not all).
    `customer="walk-in"` selects orders without a customer. Dates are whole local days
    turned into created_at bounds, which the created_at index serves.
    """
    qs = SalesOrder.objects.select_related("customer", "store", "created_by")
    if status == TO_SHIP:
        qs = qs.filter(status__in=OPEN_SALES_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    if customer == "walk-in":
        qs = qs.filter(customer__isnull=True)
    elif customer:
        qs = qs.filter(customer=customer)
    if store:
        qs = qs.filter(store=store)
    if date_from:
        qs = qs.filter(created_at__gte=start_of_day(date_from))
    if date_to:
        qs = qs.filter(created_at__lt=start_of_day(date_to + timedelta(days=1)))
    line_count = (
        SalesOrderLine.objects.filter(order=OuterRef("pk"))
        .order_by()
        .values("order")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return qs.annotate(
        value=_line_value_subquery(),
        line_count=Coalesce(Subquery(line_count), Value(0)),
    ).order_by("-created_at", "-pk")


def sales_order_lines(*, order: SalesOrder):
    """Return the order's lines with their item, annotated with `value` and `returnable`."""
    return (
        order.lines.select_related("item")
        .annotate(
            value=line_value(),
            returnable=F("quantity_shipped") - F("quantity_returned"),
        )
        .order_by("pk")
    )


def sales_order_delivery_lines(*, order: SalesOrder) -> list[SalesOrderLine]:
    """Return the order's lines (sales_order_lines) each with `lots`: the lots it was
    shipped from, oldest first, as dicts of code, expires_on and quantity, shipped minus
    returned (a lot all of which came back is left out). Two queries whatever the lines."""
    lines = list(sales_order_lines(order=order))
    rows = (
        LedgerEntry.objects.filter(so_line__order=order, kind__in=[Kind.ISSUE, Kind.RETURN])
        .values(
            "so_line_id",
            source_lot=sold_lot("id"),
            code=sold_lot("code"),
            expires_on=sold_lot("expires_on"),
        )
        .annotate(
            shipped=Coalesce(Sum("quantity", filter=Q(kind=Kind.ISSUE)), ZERO),
            returned=Coalesce(Sum("quantity", filter=Q(kind=Kind.RETURN)), ZERO),
        )
        .order_by("source_lot")
    )
    lots: dict[int, list[dict]] = {}
    for row in rows:
        quantity = row["shipped"] - row["returned"]
        if quantity > 0:
            lots.setdefault(row["so_line_id"], []).append(
                {"code": row["code"], "expires_on": row["expires_on"], "quantity": quantity}
            )
    for line in lines:
        line.lots = lots.get(line.pk, [])
    return lines


def sales_order_cost_of_goods(*, order: SalesOrder) -> Decimal:
    """Return issued minus returned quantity x lot cost over the order's ledger entries."""
    cost = cents(F("quantity") * F("unit_cost"))  # per movement, as the dashboard rounds
    totals = LedgerEntry.objects.filter(so_line__order=order).aggregate(
        issued=Coalesce(Sum(cost, filter=Q(kind=Kind.ISSUE)), Value(ZERO), output_field=MONEY),
        returned=Coalesce(Sum(cost, filter=Q(kind=Kind.RETURN)), Value(ZERO), output_field=MONEY),
    )
    return (totals["issued"] - totals["returned"]).quantize(CENT)


def sales_order_figures(*, order: SalesOrder) -> dict:
    """Return value, shipped_value, cost_of_goods and margin of one order (two queries)."""
    shipped = F("quantity_shipped") - F("quantity_returned")
    totals = order.lines.aggregate(
        value=Coalesce(Sum(line_value()), Value(ZERO), output_field=MONEY),
        shipped_value=Coalesce(
            Sum(cents(shipped * F("unit_price"))), Value(ZERO), output_field=MONEY
        ),
    )
    value = totals["value"].quantize(CENT)
    shipped_value = totals["shipped_value"].quantize(CENT)
    cost = sales_order_cost_of_goods(order=order)
    return {
        "value": value,
        "shipped_value": shipped_value,
        "cost_of_goods": cost,
        "margin": shipped_value - cost,
    }


def sales_order_history(*, order: SalesOrder):
    """Return the order's audit events, oldest first."""
    return AuditEvent.objects.filter(object_type="SalesOrder", object_id=str(order.pk)).order_by(
        "created_at", "pk"
    )
