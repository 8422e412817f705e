"""What to order again for a store: the items below their reorder level there, what is
already coming (placed orders not yet received, and drafts), and what to order, grouped by
the supplier each item is usually bought from."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Q, Sum

from inventory.models import OPEN_PURCHASE_STATUSES, PurchaseOrderLine
from inventory.models.orders import PurchaseStatus

from .levels import stock_level_rows
from .stock import ZERO

# More rows than a manager reads on one page; the rest are ordered after these arrive.
REORDER_ROWS = 500
ANY = object()  # reorder_rows(supplier=...): every supplier's items, and those with none


@dataclass
class SupplierGroup:
    supplier_id: int | None
    supplier_name: str
    supplier_active: bool
    rows: list[dict] = field(default_factory=list)

    @property
    def to_order(self) -> list[dict]:
        return [row for row in self.rows if row["suggested"] > 0]


def reorder_rows(*, store, supplier_id=ANY, limit: int = REORDER_ROWS) -> list[dict]:
    """The active items below their reorder level in `store` (the low-stock rule), the
    first `limit` + 1 by supplier name then SKU (the extra one says there are more).

    Each row: the item's figures there (stock_level_rows: `quarantined` is stock waiting
    for a QC decision, not counted as available or as coming), `on_order` (placed orders to
    this store not yet received), `in_drafts` (draft orders to it) and `suggested`: what
    brings available back to the level, less what is on order or drafted, never below 0.
    `supplier_id`: only the items usually bought from that supplier (None: from none
    named). Two queries.
    """
    rows = stock_level_rows(store=store, low_only=True).annotate(
        supplier_id=F("item__supplier_id"),
        supplier_name=F("item__supplier__name"),
        supplier_active=F("item__supplier__is_active"),
    )
    if supplier_id is not ANY:
        rows = rows.filter(item__supplier_id=supplier_id)
    rows = list(rows.order_by(F("supplier_name").asc(nulls_last=True), "item__sku")[: limit + 1])
    coming = _coming(store=store, item_ids=[row["item_id"] for row in rows])
    for row in rows:
        on_order, in_drafts = coming.get(row["item_id"], (ZERO, ZERO))
        row["on_order"], row["in_drafts"] = on_order, in_drafts
        row["suggested"] = max(row["shortfall"] - on_order - in_drafts, ZERO)
    return rows


def _coming(*, store, item_ids) -> dict[int, tuple[Decimal, Decimal]]:
    """{item_id: (outstanding on placed orders, ordered on drafts)} for orders to `store`."""
    if not item_ids:
        return {}
    outstanding = F("quantity_ordered") - F("quantity_received")
    placed = Q(order__status__in=OPEN_PURCHASE_STATUSES)
    draft = Q(order__status=PurchaseStatus.DRAFT)
    figures = (
        PurchaseOrderLine.objects.filter(placed | draft, order__store=store, item_id__in=item_ids)
        .values("item_id")
        .annotate(
            on_order=Sum(outstanding, filter=placed),
            in_drafts=Sum("quantity_ordered", filter=draft),
        )
        .order_by()
    )
    return {f["item_id"]: (f["on_order"] or ZERO, f["in_drafts"] or ZERO) for f in figures}


def by_supplier(rows) -> list[SupplierGroup]:
    """The rows in groups of one supplier each, in the rows' order (no supplier last)."""
    groups: dict[int | None, SupplierGroup] = {}
    for row in rows:
        key = row["supplier_id"]
        if key not in groups:
            groups[key] = SupplierGroup(
                key, row["supplier_name"] or "", bool(row["supplier_active"])
            )
        groups[key].rows.append(row)
    return list(groups.values())
