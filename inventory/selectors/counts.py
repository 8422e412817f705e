"""The count sheet: the lots holding stock in one store, as a counter walks the shelves."""

from django.db.models import Q

from inventory.models import StockBalance

SHEET_LINES = 100  # one sheet, one screen; a larger store is counted an aisle at a time


def count_sheet(*, store, search: str = "", category=None, lot_ids=None) -> list[StockBalance]:
    """Return up to SHEET_LINES balances of `store` holding stock (or the given lots'),
    by SKU then lot, with their item and lot, in one query."""
    rows = StockBalance.objects.filter(store=store).select_related("item", "lot")
    if lot_ids is not None:
        rows = rows.filter(lot_id__in=lot_ids)
    else:
        rows = rows.exclude(on_hand=0, reserved=0)
    if search:
        rows = rows.filter(Q(item__sku__icontains=search) | Q(item__name__icontains=search))
    if category is not None:
        rows = rows.filter(item__category=category)
    return list(rows.order_by("item__sku", "lot__code", "lot_id")[: SHEET_LINES + 1])
