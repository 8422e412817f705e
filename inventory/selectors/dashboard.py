"""Read the managers' dashboard figures with a constant number of aggregate queries.

Movement figures (purchases, sales, cost of goods, the daily chart, recent movements)
read only the ledger rows of the chosen period, through the created_at index, so the
dashboard costs the same with a month of history or with ten years of it. Stock value
and low stock come from the balances, never from summing the ledger.

Definitions:
- purchased: RECEIVE rows of purchase order lines, at the lot cost copied on the row,
  reversals netted, each row the cents it added to its line's received value; with how
  many order lines and items they received (a receipt taken back, and its reversal,
  left out);
- sold: ISSUE rows of sales order lines at the line's unit price, net of RETURN rows,
  each row the cents it added to its line's shipped value (so a line's rows sum to its
  order's figure); with how many order lines and items they shipped and how many lines
  had returns;
- cost of goods: the same ISSUE rows at their unit cost, net of RETURN rows;
- gross margin: sold value minus cost of goods;
- daily receipts: every RECEIVE row at cost, reversals netted (a reversal carries a
  negative on-hand delta).

No figure adds quantities of different items together: boxes, metres and kilograms
make no total, so the cards count lines and items and value the stock in money.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Lower, TruncDate
from django.utils import timezone

from inventory.models import (
    OPEN_PURCHASE_STATUSES,
    OPEN_SALES_STATUSES,
    Alert,
    Category,
    Customer,
    Item,
    LedgerEntry,
    PurchaseOrder,
    SalesOrder,
    SalesOrderLine,
    StockBalance,
    Store,
    Supplier,
)
from inventory.models.orders import overdue_purchases
from inventory.rules import CENT

from .money import cents, share_of_line
from .purchasing import awaiting_qc
from .replica import replica_reads
from .stock import expiring_lots, low_stock, never_stocked

Kind = LedgerEntry.Kind
ZERO = Decimal("0")
MONEY = DecimalField(max_digits=24, decimal_places=2)
DEFAULT_DAYS = 30
RECENT_MOVEMENTS = 10


PURCHASED = Q(kind=Kind.RECEIVE, po_line__isnull=False)
# A receipt taken back (and its reversal) received no order line and no item.
# A per-row probe of the reversal's unique index, never a join: a LEFT JOIN on
# reversed_by let the planner hash the whole ledger (2.3x slower at 1,000,000 rows).
PURCHASED_KEPT = (
    PURCHASED
    & Q(reverses__isnull=True)
    & ~Exists(LedgerEntry.objects.filter(reverses=OuterRef("pk")))
)
SOLD = Q(kind=Kind.ISSUE, so_line__isnull=False)
RETURNED = Q(kind=Kind.RETURN, so_line__isnull=False)
RECEIVED = Q(kind=Kind.RECEIVE)


@dataclass(frozen=True)
class Period:
    """A range of whole local days, both ends included."""

    date_from: date
    date_to: date

    @classmethod
    def last_days(cls, days: int = DEFAULT_DAYS, *, today: date | None = None) -> "Period":
        today = today or timezone.localdate()
        return cls(date_from=today - timedelta(days=days - 1), date_to=today)

    @property
    def start(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.date_from, time.min))

    @property
    def end(self) -> datetime:
        """The first instant after the period (exclusive bound)."""
        return timezone.make_aware(datetime.combine(self.date_to + timedelta(days=1), time.min))

    def days(self) -> list[date]:
        count = (self.date_to - self.date_from).days + 1
        return [self.date_from + timedelta(days=n) for n in range(max(count, 0))]


def sum_or_zero(expression, condition, output_field):
    return Coalesce(Sum(expression, filter=condition), Value(ZERO), output_field=output_field)


# Each movement's cost is rounded to the cent (money.cents, half up): three sales of
# 0.005 kg at 1.00 are 0.01 each on their orders, so 0.03 here.
def at_cost():
    return cents(F("quantity") * F("unit_cost"))


def at_price():
    """A sale's ISSUE (+) or RETURN (-) row at its line's price, as its share of the
    line's shipped value (money.share_of_line)."""
    # The price by a primary-key probe, never a join: a join lets the planner hash the
    # whole line table, which grows with history, while the period's rows stay few.
    price = SalesOrderLine.objects.filter(pk=OuterRef("so_line_id")).values("unit_price")[:1]
    return share_of_line(
        line="so_line_id",
        price=Subquery(price, output_field=MONEY),
        signed=-F("on_hand_delta"),  # an ISSUE takes stock out, a RETURN brings it back
        kinds=(Kind.ISSUE, Kind.RETURN),
        fetch_price=F("so_line__unit_price"),
    )


def _purchased_at_cost():
    """An order's receipt (+) or its reversal (-) as its share of the line's received
    value (money.share_of_line); the row carries the line's cost (receipts.py)."""
    return share_of_line(
        line="po_line_id", price=F("unit_cost"), signed=F("on_hand_delta"), kinds=(Kind.RECEIVE,)
    )


def _received_at_cost():
    return cents(F("on_hand_delta") * F("unit_cost"))


def margin_percent(value: Decimal, margin: Decimal) -> Decimal | None:
    """Gross margin as a share of the value sold, to a tenth of a percent; none when
    nothing was sold."""
    return (margin * 100 / value).quantize(Decimal("0.1")) if value else None


def money(value) -> Decimal:
    return Decimal(value or 0).quantize(CENT, rounding=ROUND_HALF_UP)


def dashboard_movements(*, period: Period, store=None):
    """Return the ledger rows of the period (and store), a date-bounded queryset."""
    entries = LedgerEntry.objects.filter(created_at__gte=period.start, created_at__lt=period.end)
    if store is not None:
        entries = entries.filter(store=store)
    return entries


def dashboard_totals(*, period: Period, store=None) -> dict:
    """Return purchased, sold, cost of goods and gross margin for the period, in one query,
    with the order lines and items received and shipped (counts, never a sum of
    quantities in different units)."""
    row = dashboard_movements(period=period, store=store).aggregate(
        purchased_lines=Count("po_line", filter=PURCHASED_KEPT, distinct=True),
        purchased_items=Count("item", filter=PURCHASED_KEPT, distinct=True),
        # Signed: a reversal of a receipt carries a negative on-hand delta.
        purchased_value=sum_or_zero(_purchased_at_cost(), PURCHASED, MONEY),
        sold_lines=Count("so_line", filter=SOLD, distinct=True),
        sold_items=Count("item", filter=SOLD, distinct=True),
        returned_lines=Count("so_line", filter=RETURNED, distinct=True),
        sold_value=sum_or_zero(at_price(), SOLD, MONEY),
        returned_value=sum_or_zero(-at_price(), RETURNED, MONEY),
        sold_cost=sum_or_zero(at_cost(), SOLD, MONEY),
        returned_cost=sum_or_zero(at_cost(), RETURNED, MONEY),
    )
    sold_value = money(row["sold_value"]) - money(row["returned_value"])
    cost_of_goods = money(row["sold_cost"]) - money(row["returned_cost"])
    margin = sold_value - cost_of_goods
    return {
        "purchased_lines": row["purchased_lines"],
        "purchased_items": row["purchased_items"],
        "purchased_value": money(row["purchased_value"]),
        "sold_lines": row["sold_lines"],
        "sold_items": row["sold_items"],
        "returned_lines": row["returned_lines"],
        "sold_value": sold_value,
        "cost_of_goods": cost_of_goods,
        "gross_margin": margin,
        "gross_margin_percent": margin_percent(sold_value, margin),
    }


def dashboard_daily_chart(*, period: Period, store=None) -> dict:
    """Return {"labels", "sales", "receipts"}: one value per day of the period (GROUP BY day)."""
    rows = (
        dashboard_movements(period=period, store=store)
        .filter(RECEIVED | SOLD | RETURNED)
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(
            sold=sum_or_zero(at_price(), SOLD, MONEY),
            returned=sum_or_zero(-at_price(), RETURNED, MONEY),
            received=sum_or_zero(_received_at_cost(), RECEIVED, MONEY),
        )
        .order_by("day")
    )
    by_day = {
        row["day"]: (money(row["sold"]) - money(row["returned"]), money(row["received"]))
        for row in rows
    }
    days = period.days()
    return {
        "labels": [d.isoformat() for d in days],
        "sales": [float(by_day.get(d, (ZERO, ZERO))[0]) for d in days],
        "receipts": [float(by_day.get(d, (ZERO, ZERO))[1]) for d in days],
    }


def dashboard_stock_value_by_store(*, store=None) -> list[dict]:
    """Return per store the stock value at lot cost and how many items it has on hand,
    from the balances (on hand itself would add different units together)."""
    balances = StockBalance.objects.all()
    if store is not None:
        balances = balances.filter(store=store)
    value = ExpressionWrapper(F("on_hand") * F("lot__unit_cost"), output_field=MONEY)
    rows = (
        balances.values("store_id", "store__code", "store__name")
        .annotate(
            value=Coalesce(Sum(value), Value(ZERO), output_field=MONEY),
            items=Count("item", filter=Q(on_hand__gt=0), distinct=True),
        )
        .order_by(Lower("store__code"))
    )
    return [{**row, "value": money(row["value"])} for row in rows]


def dashboard_counts(*, period: Period, store=None) -> dict:
    """Return catalogue sizes (active records) and orders created in the period."""
    purchases = PurchaseOrder.objects.filter(
        created_at__gte=period.start, created_at__lt=period.end
    )
    sales = SalesOrder.objects.filter(created_at__gte=period.start, created_at__lt=period.end)
    if store is not None:
        purchases, sales = purchases.filter(store=store), sales.filter(store=store)
    return {
        "stores": Store.objects.filter(is_active=True).count(),
        "categories": Category.objects.filter(is_active=True).count(),
        "items": Item.objects.filter(is_active=True).count(),
        "customers": Customer.objects.filter(is_active=True).count(),
        "suppliers": Supplier.objects.filter(is_active=True).count(),
        "purchases": purchases.count(),
        "sales": sales.count(),
    }


def dashboard_queues(*, store=None) -> dict:
    """Return what waits for someone now: QC queue, open orders, open alerts."""
    lots = awaiting_qc(store)
    purchases = PurchaseOrder.objects.filter(status__in=OPEN_PURCHASE_STATUSES)
    sales = SalesOrder.objects.filter(status__in=OPEN_SALES_STATUSES)
    alerts = Alert.objects.filter(status=Alert.Status.OPEN)
    if store is not None:
        purchases, sales = purchases.filter(store=store), sales.filter(store=store)
        alerts = alerts.filter(store=store)
    return {
        "qc_queue": lots.aggregate(n=Count("pk", distinct=True))["n"],
        **purchases.aggregate(
            open_purchases=Count("pk"),
            overdue_purchases=Count("pk", filter=overdue_purchases(timezone.localdate())),
        ),
        "open_sales": sales.count(),
        "open_alerts": alerts.count(),
    }


def dashboard_recent_movements(*, period: Period, store=None, limit: int = RECENT_MOVEMENTS):
    """Return the latest movements of the period, newest first."""
    return list(
        dashboard_movements(period=period, store=store)
        .select_related("item", "store", "lot", "actor")
        .order_by("-created_at", "-pk")[:limit]
    )


NEVER_STOCKED_SHOWN = 10  # items with a reorder level never stocked, listed by name


def _never_stocked() -> dict:
    rows = never_stocked(limit=NEVER_STOCKED_SHOWN + 1)
    return {
        "never_stocked": rows[:NEVER_STOCKED_SHOWN],
        "more_never_stocked": len(rows) > NEVER_STOCKED_SHOWN,
    }


@replica_reads()
def dashboard_figures(*, period: Period | None = None, store=None) -> dict:
    """Return every dashboard figure for the period (default: the last 30 days) and store,
    read from the read replica when there is one."""
    period = period or Period.last_days()
    stock_value = dashboard_stock_value_by_store(store=store)
    return {
        "period": period,
        "store": store,
        "counts": dashboard_counts(period=period, store=store),
        "totals": dashboard_totals(period=period, store=store),
        "stock_value_by_store": stock_value,
        "stock_value": sum((row["value"] for row in stock_value), ZERO),
        "low_stock": low_stock(store=store),
        **_never_stocked(),
        "expiring": expiring_lots(store=store),
        "near_expiry_days": settings.NEAR_EXPIRY_DAYS,
        **dashboard_queues(store=store),
        "chart": dashboard_daily_chart(period=period, store=store),
        "recent_movements": dashboard_recent_movements(period=period, store=store),
    }
