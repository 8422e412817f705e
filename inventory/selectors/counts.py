"""The count sheet: the lots holding stock in one store, as a counter walks the shelves,
or, for loose goods counted by item, each item with its total on the shelf."""

from django.db.models import Count, OuterRef, Q, Subquery, Sum

from inventory.models import Item, StockBalance

from .stock import on_shelf_q

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


def count_sheet_items(*, store, search: str = "", category=None, item_ids=None) -> list[Item]:
    """Return up to SHEET_LINES + 1 items with stock on the shelf in `store` (APPROVED
    lots, expired or not, as rules.on_shelf; lots in QC or rejected are counted by lot),
    by SKU, each with `on_shelf`, `reserved` and `lot_count` summed over those lots, and
    `kept_apart`, what else of it is in the store (in QC or rejected, counted by lot): one
    query whatever the number of items or lots. With `item_ids` (a posted sheet), those
    items whatever they hold now (None for nothing): the count service judges them."""
    shelf = Q(balances__store=store) & on_shelf_q("balances__")
    if item_ids is not None:
        rows = Item.objects.filter(pk__in=item_ids)
        totals = {"filter": shelf}
    else:
        # The filter on balances comes first, so the sums run over those balances only.
        rows, totals = Item.objects.filter(shelf), {}
    if search:
        rows = rows.filter(Q(sku__icontains=search) | Q(name__icontains=search))
    if category is not None:
        rows = rows.filter(category=category)
    rows = rows.annotate(
        on_shelf=Sum("balances__on_hand", **totals),
        reserved=Sum("balances__reserved", **totals),
        lot_count=Count("balances", **totals),
        # What the counter also sees on that shelf but must leave out (lots in QC or
        # rejected, counted by lot): shown next to the item so it is not counted in.
        kept_apart=Subquery(
            StockBalance.objects.filter(item=OuterRef("pk"), store=store, has_stock=True)
            .exclude(on_shelf_q())
            .values("item")
            .annotate(total=Sum("on_hand"))
            .values("total")
        ),
    )
    return list(rows.order_by("sku", "pk")[: SHEET_LINES + 1])
