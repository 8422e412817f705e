"""Read movements: the filtered list, the CSV rows, and one movement with its relations."""

from django.db.models import Q
from django.shortcuts import get_object_or_404

from inventory.models import LedgerEntry

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
]


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
    there is one)."""
    return (
        queryset.using(read_alias())
        .order_by("-created_at", "-pk")
        .values_list(*CSV_FIELDS)
        .iterator(chunk_size=chunk_size)
    )


def ledger_entry_detail(*, pk: int) -> dict:
    """Return the movement, the other rows of its operation, and its reversal links."""
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
        .order_by("pk")
    )
    reversed_by = next((e for e in related if e.reverses_id == entry.pk), None)
    siblings = [e for e in related if e.operation_id == entry.operation_id]
    return {"entry": entry, "siblings": siblings, "reversed_by": reversed_by}
