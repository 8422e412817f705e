"""Read movements: the filtered list, the CSV rows, and one movement with its relations."""

from django.db.models import F, Q
from django.shortcuts import get_object_or_404

from inventory.models import LedgerEntry, PurchaseOrder, SalesOrder

from .replica import read_alias

CSV_HEADER = [
    "id",
    "created_at",
    "kind",
    "sku",
    "item",
    "store",
    "lot",
    "quantity",
    "on_hand_delta",
    "reserved_delta",
    "unit_cost",
    "reason",
    "note",
    "user",
    "reverses",
    "operation",
    # Added at the end, so the columns above keep their positions for existing readers.
    "order",
    "unit_price",
]
CSV_FIELDS = [
    "id",
    "created_at",
    "kind",
    "item__sku",
    "item__name",
    "store__code",
    "lot__code",
    "quantity",
    "on_hand_delta",
    "reserved_delta",
    "unit_cost",
    "reason",
    "note",
    "actor__username",
    "reverses_id",
    "operation_id",
    # Read to make "order" and "unit_price": two LEFT JOINs on the lines' primary keys
    # (the order's id is a column of its line, so the orders are not joined).
    "po_line__order_id",
    "so_line__order_id",
    "so_line__unit_price",
]
KIND = CSV_FIELDS.index("kind")
# A sale's stock movements, at its line's price (a reservation moves no stock).
SOLD_KINDS = (LedgerEntry.Kind.ISSUE, LedgerEntry.Kind.RETURN)


def ledger_entry_list():
    """Return every movement, newest first, with what a list row shows (one query a page)."""
    return LedgerEntry.objects.select_related("item", "store", "lot", "actor").order_by(
        "-created_at", "-pk"
    )


def ledger_entries_for_item(*, item):
    """Return the item's movements, newest first, for a keyset page (the (item, created_at)
    index reads a page's rows whatever the item's history)."""
    return LedgerEntry.objects.filter(item=item).select_related("store", "lot", "actor")


def ledger_csv_rows(queryset, *, chunk_size: int = 2000):
    """Yield the CSV columns of each movement, read in chunks (from the read replica when
    there is one), one query a chunk whatever the rows.

    "order" names the movement's document as the movement page does: its purchase order
    (a receipt and a receipt's reversal) or its sales order (a reservation, shipment or
    return), blank for transfers, adjustments and counts. "unit_price" is the sales
    order line's price on a shipment (ISSUE) or return (RETURN), blank otherwise; a
    receipt's cost is "unit_cost", the lot's cost (its purchase order line's) that every
    movement carries.
    """
    rows = (
        queryset.using(read_alias())
        .order_by("-created_at", "-pk")
        .values_list(*CSV_FIELDS)
        .iterator(chunk_size=chunk_size)
    )
    for *columns, po_order_id, so_order_id, unit_price in rows:
        yield [
            *columns,
            _order_number(po_order_id, so_order_id),
            unit_price if columns[KIND] in SOLD_KINDS else None,
        ]


def _order_number(po_order_id: int | None, so_order_id: int | None) -> str | None:
    if po_order_id is not None:
        return PurchaseOrder.number_of(po_order_id)
    if so_order_id is not None:
        return SalesOrder.number_of(so_order_id)
    return None


def ledger_entry_detail(*, pk: int) -> dict:
    """Return the movement, the other rows of its operation, and its reversal links.

    Each other row carries `reversal_id`, the movement that reversed it (or None), read
    in the same query through the unique `reverses` column.
    """
    entry = get_object_or_404(
        LedgerEntry.objects.select_related(
            "item",
            "store",
            "lot",
            "actor",
            "operation",
            "reverses",
            "po_line__order",
            "so_line__order",
        ),
        pk=pk,
    )
    related = list(
        LedgerEntry.objects.filter(Q(operation_id=entry.operation_id) | Q(reverses_id=entry.pk))
        .exclude(pk=entry.pk)
        .select_related("item", "store", "lot", "actor")
        .annotate(reversal_id=F("reversed_by"))
        .order_by("pk")
    )
    reversed_by = next((e for e in related if e.reverses_id == entry.pk), None)
    siblings = [e for e in related if e.operation_id == entry.operation_id]
    return {"entry": entry, "siblings": siblings, "reversed_by": reversed_by}
