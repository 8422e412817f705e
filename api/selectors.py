"""Reads the API adds to inventory.selectors, with the same figures: `available` over
sellable lots (approved and not expired), `expired` on hand in lots past their date.
Figures per item and store are the stock screen's (inventory.selectors.levels)."""

from decimal import Decimal

from django.db.models import Case, DecimalField, F, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from inventory.models import LedgerEntry, Lot, StockBalance
from inventory.selectors.levels import stock_level_rows
from inventory.selectors.stock import expired_q, sellable_q, stock_totals_for_item

ZERO = Decimal("0")
QTY = DecimalField(max_digits=14, decimal_places=3)


def item_stock(*, item) -> dict:
    """The item's totals and its figures per store (two queries)."""
    totals = stock_totals_for_item(item=item)
    stores = list(stock_level_rows(item=item))
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
                When(sellable_q(today), then=F("on_hand") - F("reserved")),
                default=Value(ZERO),
                output_field=QTY,
            ),
            expired=Case(When(expired_q(today), then=Value(True)), default=Value(False)),
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
