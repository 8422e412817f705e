"""Read stock figures. Each selector is one query (or a constant few), whatever the volume.

on_hand and reserved count every lot; available counts the stock of sellable lots
only (APPROVED and not expired: inventory.rules.is_sellable), less every reservation,
so quarantined, rejected or expired stock is never offered for sale. Expired and
near-expiry stock have figures of their own.
"""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Case,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone

from inventory import rules
from inventory.models import Item, QCStatus, StockBalance

ZERO = Decimal("0")
QTY = DecimalField(max_digits=14, decimal_places=3)
MONEY = DecimalField(max_digits=18, decimal_places=2)


# The low-stock rule (inventory.rules.is_low) in SQL, for figures filtered in the
# database: rows of active items with a reorder level, then those below it.
# A deactivated item or store is not restocked, so it is never "low".
LOW_CANDIDATES = Q(item__is_active=True, store__is_active=True, item__reorder_level__gt=0)
BELOW_LEVEL = Q(available__lt=F("item__reorder_level"))


def expired_q(today=None) -> Q:
    """Balances of lots past their expiry date (the rule: inventory.rules.is_expired)."""
    return Q(lot__expires_on__lt=today or timezone.localdate())


def sellable_q(today=None) -> Q:
    """Balances that count as available (the rule: inventory.rules.is_sellable)."""
    return Q(lot__qc_status=QCStatus.APPROVED) & ~expired_q(today)


def on_shelf_q(through: str = "") -> Q:
    """Balances counted together by item (the rule: inventory.rules.on_shelf);
    `through`: the relation from the model queried to its balances, e.g. "balances__"."""
    return Q(**{f"{through}lot__qc_status": QCStatus.APPROVED, f"{through}has_stock": True})


def near_expiry_q(today=None) -> Q:
    """Sellable balances whose lot expires within settings.NEAR_EXPIRY_DAYS."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=settings.NEAR_EXPIRY_DAYS)
    return sellable_q(today) & Q(lot__expires_on__lte=horizon)


def available_term(today=None):
    """A balance's part of the available figure (the rule: inventory.rules.available):
    its stock if its lot is sellable, less its reservations whatever the lot."""
    stock = Case(When(sellable_q(today), then=F("on_hand")), default=Value(ZERO), output_field=QTY)
    return ExpressionWrapper(stock - F("reserved"), output_field=QTY)


def _figures(only=None):
    """The figure aggregates by name; `only` some of them (each costs its building and
    compiling, per request)."""
    # on_hand and reserved come last: once annotated under the fields' own names,
    # a later F("on_hand") in the same annotate() would refer to the aggregate.
    today = timezone.localdate()
    figures = {
        "available": lambda: Coalesce(Sum(available_term(today)), Value(ZERO), output_field=QTY),
        # Approved lots only: a quarantined or rejected lot is shown as such whatever
        # its date, so quarantined, rejected, expired and sellable never overlap.
        "expired": lambda: Coalesce(
            Sum("on_hand", filter=expired_q(today) & Q(lot__qc_status=QCStatus.APPROVED)),
            Value(ZERO),
            output_field=QTY,
        ),
        "near_expiry": lambda: Coalesce(
            Sum(F("on_hand") - F("reserved"), filter=near_expiry_q(today)),
            Value(ZERO),
            output_field=QTY,
        ),
        "quarantined": lambda: Coalesce(
            Sum("on_hand", filter=Q(lot__qc_status=QCStatus.QUARANTINE)),
            Value(ZERO),
            output_field=QTY,
        ),
        "rejected": lambda: Coalesce(
            Sum("on_hand", filter=Q(lot__qc_status=QCStatus.REJECTED)),
            Value(ZERO),
            output_field=QTY,
        ),
        "on_hand": lambda: Coalesce(Sum("on_hand"), Value(ZERO), output_field=QTY),
        "reserved": lambda: Coalesce(Sum("reserved"), Value(ZERO), output_field=QTY),
    }
    return {name: build() for name, build in figures.items() if only is None or name in only}


def stock_totals_for_item(*, item, store=None) -> dict:
    """Return every figure of an item (in one store or all): on hand, reserved, available,
    quarantined, rejected, expired (approved but past date) and near expiry. On hand is
    exactly available plus reserved plus quarantined, rejected and expired."""
    qs = StockBalance.objects.filter(item=item)
    if store is not None:
        qs = qs.filter(store=store)
    return qs.aggregate(**_figures())


def stock_by_store_for_item(*, item) -> list[dict]:
    """Return the item's figures per store."""
    return list(
        StockBalance.objects.filter(item=item)
        .values("store_id", "store__code", "store__name")
        .annotate(**_figures())
        .order_by(Lower("store__code"))
    )


def stock_by_lot_for_item(*, item):
    """Return the item's balances per (store, lot) with lot QC status and expiry."""
    return (
        StockBalance.objects.filter(item=item)
        .exclude(on_hand=0, reserved=0)
        .select_related("store", "lot")
        # FEFO order; NULLs sort first on SQLite and last on PostgreSQL unless told.
        .order_by(
            F("lot__expires_on").asc(nulls_last=True), "lot__received_at", "lot_id", "store__code"
        )
    )


def stock_available(*, item, store) -> Decimal:
    return stock_totals_for_item(item=item, store=store)["available"]


def stock_available_by_pair(*, pairs) -> dict[tuple[int, int], Decimal]:
    """Return {(item_id, store_id): available} for the given pairs in one query."""
    pairs = set(pairs)
    if not pairs:
        return {}
    item_ids = {i for i, _ in pairs}
    store_ids = {s for _, s in pairs}
    rows = (
        StockBalance.objects.filter(item_id__in=item_ids, store_id__in=store_ids)
        .values("item_id", "store_id")
        .annotate(**_figures(("available",)))
    )
    found = {(r["item_id"], r["store_id"]): r["available"] for r in rows}
    return {pair: found.get(pair, ZERO) for pair in pairs}


def stock_levels(*, store=None, item_filter: Q | None = None, only=None, value=False):
    """Return per (item, store) figures, with the item's reorder level and shortfall.

    `only`: the names of the figures wanted (all of them by default); `value`: also the
    stock's value at its lots' costs.
    """
    figures = _figures(only)
    if value:  # first: a later F("on_hand") would name the on_hand aggregate
        cost = ExpressionWrapper(F("on_hand") * F("lot__unit_cost"), output_field=MONEY)
        figures = {"value": Coalesce(Sum(cost), Value(ZERO), output_field=MONEY), **figures}
    qs = StockBalance.objects.all()
    if store is not None:
        qs = qs.filter(store=store)
    if item_filter is not None:
        qs = qs.filter(item_filter)
    return (
        qs.values(
            "item_id",
            "item__sku",
            "item__name",
            "item__unit",
            "item__reorder_level",
            "store_id",
            "store__code",
            "store__name",
        )
        .annotate(**figures)
        .order_by("item__sku", "store__code")
    )


def _balance_subquery(expression, *, store=None):
    qs = StockBalance.objects.filter(item=OuterRef("pk"))
    if store is not None:
        qs = qs.filter(store=store)
    return Coalesce(
        Subquery(
            qs.order_by().values("item").annotate(total=Sum(expression)).values("total")[:1],
            output_field=QTY,
        ),
        Value(ZERO),
        output_field=QTY,
    )


ITEM_FIGURES = ("on_hand", "reserved", "available")


def items_with_stock(queryset, *, store=None, only=ITEM_FIGURES):
    """Annotate an Item queryset with on_hand, reserved and available (one query in all);
    `only` some of them (to sort by one)."""
    subqueries = {
        "on_hand": lambda: _balance_subquery(F("on_hand"), store=store),
        "reserved": lambda: _balance_subquery(F("reserved"), store=store),
        "available": lambda: _balance_subquery(available_term(), store=store),
    }
    return queryset.annotate(**{name: subqueries[name]() for name in only})


def item_page_figures(items, *, store=None) -> set:
    """Set on_hand, reserved and available on each item of a page (in `store`, or all
    stores), in one query whatever the page's length; return the pks of the items low
    in a store that stocks them (in `store`, when there is one).

    Cheaper than items_with_stock() for a page: one grouped query on the page's
    items instead of three subqueries per row, each costly to build and compile.
    """
    by_pk = {item.pk: item for item in items}
    totals = {pk: [ZERO, ZERO, ZERO] for pk in by_pk}
    low = set()
    for item in by_pk.values():
        item.low_store_ids = []  # the stores it is low in: "Low stock" says which
    # Per (item, store), with nothing joined but the lots: the items are at hand.
    rows = StockBalance.objects.filter(item_id__in=by_pk)
    if store is not None:
        rows = rows.filter(store=store)
    rows = (
        rows.values("item_id", "store_id", "store__is_active")
        .annotate(**_figures(ITEM_FIGURES))
        .order_by()
    )
    for row in rows:
        item = by_pk[row["item_id"]]
        figures = totals[item.pk]
        for n, name in enumerate(ITEM_FIGURES):
            figures[n] += row[name]
        active = item.is_active and row["store__is_active"]
        if rules.is_low(row["available"], item.reorder_level, active=active):
            low.add(item.pk)
            item.low_store_ids.append(row["store_id"])
    for pk, item in by_pk.items():
        item.on_hand, item.reserved, item.available = totals[pk]
    return low


def stock_value(*, store=None) -> Decimal:
    """Return the value of stock on hand at each lot's unit cost."""
    qs = StockBalance.objects.all()
    if store is not None:
        qs = qs.filter(store=store)
    value = ExpressionWrapper(F("on_hand") * F("lot__unit_cost"), output_field=MONEY)
    return qs.aggregate(v=Coalesce(Sum(value), Value(ZERO), output_field=MONEY))["v"]


def stock_value_by_store():
    value = ExpressionWrapper(F("on_hand") * F("lot__unit_cost"), output_field=MONEY)
    return list(
        StockBalance.objects.values("store_id", "store__code", "store__name")
        .annotate(value=Coalesce(Sum(value), Value(ZERO), output_field=MONEY))
        .order_by(Lower("store__code"))
    )


def low_stock(*, store=None, item_ids=None):
    """Return (item, store) pairs whose available quantity is below the item's reorder level.

    Only stores where the item is stocked (has a balance row) count: an item never
    carried in a store is not "low" there.
    """
    item_filter = LOW_CANDIDATES
    if item_ids is not None:
        item_filter &= Q(item_id__in=item_ids)
    rows = stock_levels(store=store, item_filter=item_filter)
    return [
        {**row, "shortfall": row["item__reorder_level"] - row["available"]}
        for row in rows
        if rules.is_low(row["available"], row["item__reorder_level"])
    ]


def never_stocked_q() -> Q:
    """Active items with a reorder level and no stock ever held in any store (no balance
    row), so never "low" in a store: on a first day, every item. They are listed apart,
    to be restocked (their first stock is a direct purchase)."""
    held = StockBalance.objects.filter(item=OuterRef("pk"))
    return ~Q(Exists(held)) & Q(is_active=True, reorder_level__gt=0)


def never_stocked(*, limit: int) -> list[Item]:
    """Up to `limit` items of never_stocked_q, by SKU."""
    return list(Item.objects.filter(never_stocked_q()).order_by("sku")[:limit])


def expiring_lots(*, store=None, limit: int = 20) -> list[dict]:
    """Stock on hand in lots already expired or expiring within NEAR_EXPIRY_DAYS,
    soonest first (one query, bounded): what to sell first, or write off."""
    today = timezone.localdate()
    horizon = today + timedelta(days=settings.NEAR_EXPIRY_DAYS)
    qs = StockBalance.objects.filter(has_stock=True, lot__expires_on__lte=horizon)
    if store is not None:
        qs = qs.filter(store=store)
    rows = qs.values(
        "item_id",
        "item__sku",
        "item__name",
        "item__unit",
        "store__code",
        "lot_id",
        "lot__code",
        "lot__expires_on",
        "on_hand",
    ).order_by("lot__expires_on", "item__sku", "store__code")[:limit]
    return [{**row, "expired": rules.is_past(row["lot__expires_on"], today)} for row in rows]
