"""Reads the API adds to inventory.selectors: the same figures, plus expired stock.

`available` follows the stock selectors (sellable lots: approved, and not expired once
those selectors say so).
`expired` is on hand in lots whose expiry date has passed (whatever their QC status).
"""

from decimal import Decimal

from django.db.models import Case, DecimalField, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from inventory.models import LedgerEntry, Lot, QCStatus, StockBalance
from inventory.selectors import stock as stock_selectors
from inventory.selectors.stock import _figures, stock_totals_for_item

# What counts as available, from the stock selectors when they name it (approved and
# not expired); else approved lots, the older rule.
SELLABLE = getattr(
    stock_selectors, "sellable_q", lambda today=None: Q(lot__qc_status=QCStatus.APPROVED)
)

ZERO = Decimal("0")
QTY = DecimalField(max_digits=14, decimal_places=3)
LEVEL_FIELDS = (
    "item_id",
    "item__sku",
    "item__name",
    "item__unit",
    "item__reorder_level",
    "store_id",
    "store__code",
    "store__name",
)


def _expired(prefix: str = ""):
    today = timezone.localdate()
    return Coalesce(
        Sum(f"{prefix}on_hand", filter=Q(**{f"{prefix}lot__expires_on__lt": today})),
        Value(ZERO),
        output_field=QTY,
    )


def stock_levels_with_expiry(*, store=None, item=None, search: str = "", low_only: bool = False):
    """Per (item, store) figures of the stock screen (selectors.levels), with expired stock.

    One query. low_only keeps the rows of active items whose available quantity is
    below a positive reorder level, the stock screen's rule.
    """
    qs = StockBalance.objects.all()
    if store is not None:
        qs = qs.filter(store=store)
    if item is not None:
        qs = qs.filter(item=item)
    search = (search or "").strip()
    if search:
        qs = qs.filter(Q(item__sku__icontains=search) | Q(item__name__icontains=search))
    if low_only:
        qs = qs.filter(item__is_active=True, item__reorder_level__gt=0)
    figures = _figures()
    if "expired" not in figures:
        # Selectors without their own expired figure: add it first, since after
        # _figures() "on_hand" names the aggregate, not the column.
        figures = {"expired": _expired(), **figures}
    rows = qs.values(*LEVEL_FIELDS).annotate(**figures)
    if low_only:
        rows = rows.filter(available__lt=F("item__reorder_level"))
    return rows.order_by("item__sku", "store__code")


def item_stock(*, item) -> dict:
    """The item's totals and its figures per store (two queries)."""
    totals = stock_totals_for_item(item=item)
    if "expired" not in totals:
        expired = StockBalance.objects.filter(item=item).aggregate(expired=_expired())
        totals["expired"] = expired["expired"]
    stores = list(stock_levels_with_expiry(item=item))
    return {"item": item.pk, "sku": item.sku, "totals": totals, "stores": stores}


def lot_balances(*, item=None, store=None, lot=None):
    """Balances per (store, lot) that hold or reserve stock, earliest expiry first."""
    today = timezone.localdate()
    qs = StockBalance.objects.exclude(on_hand=0, reserved=0)
    if item is not None:
        qs = qs.filter(item=item)
    if store is not None:
        qs = qs.filter(store=store)
    if lot is not None:
        qs = qs.filter(lot=lot)
    return (
        qs.select_related("item", "store", "lot")
        .annotate(
            sellable=Case(
                When(SELLABLE(today), then=F("on_hand") - F("reserved")),
                default=Value(ZERO),
                output_field=QTY,
            ),
            expired=Case(
                When(lot__expires_on__lt=today, then=Value(True)),
                default=Value(False),
            ),
        )
        .order_by(F("lot__expires_on").asc(nulls_last=True), "lot__received_at", "lot_id", "pk")
    )


def lot_list():
    """Lots with their item and the stock they hold in all stores (one query a page)."""
    return (
        Lot.objects.select_related("item")
        .annotate(on_hand=Coalesce(Sum("balances__on_hand"), Value(ZERO), output_field=QTY))
        .order_by("-received_at", "-pk")
    )


def operation_movements(operation):
    """The ledger rows an operation wrote, with what a movement shows."""
    return (
        LedgerEntry.objects.filter(operation=operation)
        .select_related("item", "store", "lot", "actor")
        .order_by("pk")
    )
