"""Read the options of the item and lot pickers: a bounded page, one query each.

The form pages render only the chosen option; picker.js asks these (through
inventory.views.pickers) for what matches what the user types.
"""

from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.functions import Lower
from django.utils import timezone

from inventory import rules
from inventory.models import Item, Lot, StockBalance

# The figures of stock come from the stock selectors, so "available" means the same
# here as on every other screen (APPROVED lots only, and whatever it comes to mean).
from .stock import ZERO, _figures, items_with_stock

LIMIT = 20
# Longer than any SKU (40), name (200) is pointless for a search box; keeps LIKE cheap.
MAX_QUERY = 100


def picker_query(text) -> str:
    """Return the search text made safe for a query: stripped, bounded, without NUL.

    PostgreSQL refuses NUL in a string parameter (a 500 otherwise).
    """
    return str(text or "").replace("\x00", "").strip()[:MAX_QUERY]


def item_by_code(code: str):
    """Return the item whose SKU (in any case) or else barcode is `code`, or None.

    One lookup on Lower(sku)'s index, and one on the barcode's when no SKU matches: what a
    person types is a SKU, what a scanner types is often a barcode.
    """
    if not code:
        return None
    found = Item.objects.alias(sku_lower=Lower("sku")).filter(sku_lower=Lower(Value(code)))
    return found.first() or Item.objects.filter(barcode_is(code)).first()


def barcode_is(code: str) -> Q:
    """The item whose barcode is `code`, written as the partial unique index's condition."""
    return Q(barcode=code) & ~Q(barcode="")


def picker_items(*, query: str = "", store=None, include_inactive: bool = False, limit=LIMIT):
    """Return up to `limit` items matching `query`, as dicts, in one query.

    An item matches when its barcode is the text, its SKU starts with it (any case) or
    its name contains it; a barcode match comes first, then SKU matches, then by SKU.
    With a store, each carries its available quantity there. Deactivated items only when
    asked for (managers still transfer and adjust their remaining stock).
    """
    query = picker_query(query)
    items = Item.objects.all()
    if not include_inactive:
        items = items.filter(is_active=True)
    order = ["sku"]
    if query:
        # Written as Django writes every catalogue search (UPPER(...) LIKE), which the
        # trigram indexes of migration 0013 serve on PostgreSQL.
        prefix = Q(sku__istartswith=query)
        scanned = barcode_is(query)
        items = items.filter(prefix | Q(name__icontains=query) | scanned).alias(
            rank=Case(
                When(scanned, then=Value(0)),
                When(prefix, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        order = ["rank", "sku"]
    fields = ["id", "sku", "name", "unit", "is_active", "unit_price"]
    if store is not None:
        items = items_with_stock(items, store=store)
        fields.append("available")
    return list(items.order_by(*order).values(*fields)[: max(1, min(limit, LIMIT))])


def picker_lots(*, item, store=None, query: str = "", limit=LIMIT):
    """Return up to `limit` lots of `item` that have a balance (in `store`, or anywhere).

    Each dict has the lot's id, code, QC status, expiry, whether it is past that
    expiry today, whether it is sellable (rules.is_sellable), and its on_hand, reserved
    and available figures (in the store, or summed over stores). Lots holding stock
    come first, then earliest expiry (FEFO). One query, on the (item, store) index of
    the balances.
    """
    query = picker_query(query)
    balances = StockBalance.objects.filter(item=item)
    if store is not None:
        balances = balances.filter(store=store)
    if query:
        balances = balances.filter(lot__code__icontains=query)
    rows = (
        balances.values("lot_id", "lot__code", "lot__qc_status", "lot__expires_on")
        .annotate(**_figures())
        .annotate(
            empty=Case(
                When(on_hand__gt=0, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by(
            "empty",
            F("lot__expires_on").asc(nulls_last=True),
            "lot__received_at",
            "lot_id",
        )[: max(1, min(limit, LIMIT))]
    )
    today = timezone.localdate()
    return [
        {
            "id": row["lot_id"],
            "code": row["lot__code"],
            "qc_status": row["lot__qc_status"],
            "expires_on": row["lot__expires_on"],
            "expired": rules.is_past(row["lot__expires_on"], today),
            "sellable": rules.is_sellable(
                Lot(qc_status=row["lot__qc_status"], expires_on=row["lot__expires_on"]), today
            ),
            "on_hand": row["on_hand"],
            "reserved": row["reserved"],
            # A lot's own figure: its reservations beyond its sellable stock (it expired
            # since) count against the item's available stock, not below zero here.
            "available": max(row["available"], ZERO),
        }
        for row in rows
    ]


def picker_parties(
    model, *, query: str = "", include_inactive: bool = False, limit=LIMIT
) -> list[dict]:
    """Return up to `limit` suppliers or customers (`model`) whose name contains `query`,
    names that start with it first, then by name; one query. Deactivated ones only when
    asked for (a list filter still finds their past orders)."""
    query = picker_query(query)
    parties = model.objects.all() if include_inactive else model.objects.filter(is_active=True)
    order = ["name", "pk"]
    if query:
        start = Q(name__istartswith=query)
        parties = parties.filter(name__icontains=query).alias(
            rank=Case(When(start, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
        order = ["rank", *order]
    rows = parties.order_by(*order).values("id", "name", "email", "phone", "is_active")
    return list(rows[: max(1, min(limit, LIMIT))])


def parties_named(model, name: str, *, include_inactive: bool = False, also=None) -> list:
    """The suppliers or customers (`model`) with this name in any case; at most two,
    enough to tell one from several. Active ones only, unless include_inactive, plus the
    one whose id is `also` (the party an edited row already names)."""
    parties = model.objects.filter(name__iexact=name)
    if not include_inactive:
        allowed = Q(is_active=True)
        parties = parties.filter(allowed | Q(pk=also) if also else allowed)
    return list(parties.order_by("pk")[:2])
