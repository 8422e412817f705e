"""Read the stock levels screen: per item and store, searchable, with a low-stock filter."""

from decimal import Decimal

from django.db.models import Case, F, Q, Value, When

from inventory.models import StockBalance
from inventory.rules import CENT, QTY_STEP  # a quantity's and a sum's places, as stored

from .replica import read_alias
from .stock import BELOW_LEVEL, LOW_CANDIDATES, QTY, ZERO, stock_levels


def _item_filter(*, item, search: str, low_only: bool) -> Q:
    item_filter = Q() if item is None else Q(item=item)
    search = (search or "").strip()
    if search:
        item_filter &= Q(item__sku__icontains=search) | Q(item__name__icontains=search)
    if low_only:
        item_filter &= LOW_CANDIDATES
    return item_filter


def stock_level_rows(
    *, store=None, item=None, search: str = "", low_only: bool = False, value: bool = False
):
    """Return per (item, store) figures (see selectors.stock.stock_levels), one query;
    the stock screen's and the API's.

    low_only keeps the rows of active items whose available quantity is below a
    positive reorder level, the same rule as the low-stock list and alerts.
    """
    item_filter = _item_filter(item=item, search=search, low_only=low_only)
    rows = stock_levels(store=store, item_filter=item_filter, value=value)
    if low_only:
        rows = rows.filter(BELOW_LEVEL)
    # Shown as "Low" when positive: only where the rule applies (an active item with a
    # level, in an active store), so a closed store's rows never read as low.
    short = F("item__reorder_level") - F("available")
    return rows.annotate(
        shortfall=Case(When(LOW_CANDIDATES, then=short), default=Value(ZERO), output_field=QTY)
    )


def stock_level_count(*, store=None, item=None, search: str = "", low_only: bool = False) -> int:
    """Return how many rows stock_level_rows() gives for the same arguments.

    Its rows are the (item, store) pairs of the matching balances, so they are counted
    from the balances alone, without the figures of every pair (20,000 items: Django's
    COUNT of the rows took 35 ms; with this, the whole /stock/ request waits 5.6 ms on
    SQL). Only low_only needs the figures, to compare them with the reorder level.
    """
    if low_only:
        return stock_level_rows(store=store, item=item, search=search, low_only=True).count()
    balances = StockBalance.objects.filter(_item_filter(item=item, search=search, low_only=False))
    if store is not None:
        balances = balances.filter(store=store)
    return balances.values("item_id", "store_id").distinct().count()


class CountedRows:
    """Rows with a cheaper way to count them than a COUNT of their query, for Django's
    and DRF's Paginator, which slice their object list and ask it for count()."""

    def __init__(self, rows, count):
        self.rows = rows
        self._count = count

    def count(self) -> int:
        return self._count()

    def __getitem__(self, key):
        return self.rows[key]


def stock_level_list(*, store=None, item=None, search: str = "", low_only: bool = False):
    """stock_level_rows() to be paged: the page reads its own rows, in the order the SKU
    index gives, and stock_level_count() counts them all."""
    params = {"store": store, "item": item, "search": search, "low_only": low_only}
    return CountedRows(stock_level_rows(**params), lambda: stock_level_count(**params))


QUANTITY_COLUMNS = (
    "on_hand", "reserved", "available", "near_expiry", "expired", "quarantined", "rejected",
    "item__reorder_level",
)  # fmt: skip
STOCK_CSV_HEADER = [
    "sku", "name", "unit", "store", "store_name", "on_hand", "reserved", "available",
    "expiring_soon", "expired", "in_qc", "rejected", "reorder_level", "short_by",
    "value_at_cost",
]  # fmt: skip


def stock_level_csv_rows(*, store=None, search: str = "", low_only: bool = False):
    """The stock screen's rows (same filters) as CSV rows, with each row's stock valued at
    its lots' costs (a stock take, a valuation); streamed, a chunk at a time, from the
    read replica when there is one."""
    rows = stock_level_rows(store=store, search=search, low_only=low_only, value=True)
    for row in rows.using(read_alias()).iterator(chunk_size=2000):
        # SQLite sums come back as 12.9000000000000: every figure at its column's places.
        figures = [row[name] for name in QUANTITY_COLUMNS] + [max(row["shortfall"], ZERO)]
        yield [
            row["item__sku"], row["item__name"], row["item__unit"], row["store__code"],
            row["store__name"], *(Decimal(f).quantize(QTY_STEP) for f in figures),
            Decimal(row["value"]).quantize(CENT),
        ]  # fmt: skip
