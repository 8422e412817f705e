"""Read the stock levels screen: per item and store, searchable, with a low-stock filter."""

from django.db.models import F, Q

from .stock import BELOW_LEVEL, LOW_CANDIDATES, stock_levels


def stock_level_rows(*, store=None, item=None, search: str = "", low_only: bool = False):
    """Return per (item, store) figures (see selectors.stock.stock_levels), one query;
    the stock screen's and the API's.

    low_only keeps the rows of active items whose available quantity is below a
    positive reorder level, the same rule as the low-stock list and alerts.
    """
    item_filter = Q() if item is None else Q(item=item)
    search = (search or "").strip()
    if search:
        item_filter &= Q(item__sku__icontains=search) | Q(item__name__icontains=search)
    if low_only:
        item_filter &= LOW_CANDIDATES
    rows = stock_levels(store=store, item_filter=item_filter)
    if low_only:
        rows = rows.filter(BELOW_LEVEL)
    return rows.annotate(shortfall=F("item__reorder_level") - F("available"))
