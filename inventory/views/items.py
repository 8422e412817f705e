"""Read-only item screens for Staff and above: the item list and an item's stock and history."""

from django.conf import settings
from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.views.decorators.http import require_safe

from accounts.permissions import role_required
from accounts.roles import Role, has_role
from inventory.forms.filtering import unknown_choice
from inventory.models import Category, Item, StockBalance, Store
from inventory.selectors.ledger import ledger_entries_for_item
from inventory.selectors.pickers import barcode_is
from inventory.selectors.stock import (
    ITEM_FIGURES,
    item_page_figures,
    items_with_stock,
    low_stock,
    never_stocked_q,
    stock_by_lot_for_item,
    stock_by_store_for_item,
    stock_totals_for_item,
)
from inventory.views.common import filtered, id_param, sort_columns
from inventory.views.paging import keyset_page_for, numbered_page

PER_PAGE = 25
# ?sort= parameter, column heading, and the order it means (a leading "-" reverses it).
SORTABLE = (
    ("sku", "SKU", "sku"),
    ("name", "Name", "name"),
    ("category", "Category", "category__name"),
    ("on_hand", "On hand", "on_hand"),
    ("reserved", "Reserved", "reserved"),
    ("available", "Available", "available"),
    ("reorder", "Reorder level", "reorder_level"),
)
SORTS = {param: order for param, _, order in SORTABLE}
SORT_COLUMNS = tuple((param, heading) for param, heading, _ in SORTABLE)
# The same orders as a menu in the filters: a phone shows no column headers, and the
# filter form keeps the order when it is submitted.
SORT_CHOICES = tuple(
    choice
    for param, heading, _ in SORTABLE
    for choice in ((param, f"{heading}, ascending"), (f"-{param}", f"{heading}, descending"))
)
MOVEMENTS_PER_PAGE = 25


def _pick(request, name, model):
    """Return the active-or-not record the query string names by primary key, or None."""
    pk = id_param(request, name)
    return None if pk is None else model.objects.filter(pk=pk).first()


@role_required(Role.STAFF)
@require_safe
def item_list(request):
    """Items with on hand, reserved and available (in one store when one is chosen).

    "Low stock" keeps the items whose available quantity is below their reorder level
    in a store that stocks them (in the chosen store, when there is one), and, without
    a store, those with a reorder level never stocked anywhere.
    """
    search = request.GET.get("q", "").strip()[:100]
    category = _pick(request, "category", Category)
    store = _pick(request, "store", Store)
    refusal = unknown_choice(request, "category", "Category", category) or unknown_choice(
        request, "store", "Store", store
    )
    low_only = request.GET.get("low") in ("1", "on", "true")
    show_inactive = request.GET.get("inactive") in ("1", "on", "true")

    items = Item.objects.select_related("category")
    if refusal:
        items = items.none()
    if not show_inactive:
        items = items.filter(is_active=True)
    if search:
        items = items.filter(
            Q(sku__icontains=search) | Q(name__icontains=search) | barcode_is(search)
        )
    if category is not None:
        items = items.filter(category=category)
    if store is not None:
        items = items.filter(pk__in=StockBalance.objects.filter(store=store).values("item_id"))
    low_ids = set()
    if low_only:
        low_ids = {row["item_id"] for row in low_stock(store=store)}
        # Without a store, an item never stocked anywhere is as low as it gets.
        items = items.filter(Q(pk__in=low_ids) | (never_stocked_q() if store is None else Q()))
    sort = request.GET.get("sort", "")
    order = SORTS.get(sort.removeprefix("-"))
    if order is None:
        sort, ordering = "", ["sku"]
    else:
        ordering = [f"-{order}" if sort.startswith("-") else order, "sku"]
        if order in ITEM_FIGURES:  # sorted by a figure: the database computes it per row
            items = items_with_stock(items, store=store, only=(order,))
    # Sorted by a figure, every row is computed to be sorted: the page counts them too.
    # Otherwise an index gives the order, and a count apart keeps the page to its rows.
    page = numbered_page(
        items.order_by(*ordering),
        request.GET.get("page"),
        per_page=PER_PAGE,
        count_apart=order not in ITEM_FIGURES,
    )
    # The figures and the low flags of the page's rows only: a scan of every balance
    # would grow with the catalogue.
    page_low = item_page_figures(list(page), store=store)
    if not low_only:
        low_ids = page_low
    stores = list(Store.objects.values("pk", "code", "name"))
    if store is None:  # "Low stock" names the stores it is low in
        codes = {s["pk"]: s["code"] for s in stores}
        for item in page:
            item.low_in = ", ".join(sorted(codes[pk] for pk in item.low_store_ids))
    return render(
        request,
        "inventory/items/item_list.html",
        {
            "page": page,
            "refusal": refusal,
            "filtered": filtered(request),
            "can_add": has_role(request.user, Role.MANAGER),
            "low_ids": low_ids,
            "search": search,
            "category": category,
            "store": store,
            "low_only": low_only,
            "show_inactive": show_inactive,
            "sort_columns": sort_columns(sort, SORT_COLUMNS),
            "sort_choices": SORT_CHOICES,
            "sort": sort or "sku",
            # Plain rows for the filter menus: no model instances to build.
            "categories": Category.objects.values("pk", "name"),  # Meta.ordering
            "stores": stores,
        },
    )


@role_required(Role.STAFF)
@require_safe
def item_detail(request, pk):
    """One item: its figures overall, per store and per lot, and its movements (a keyset
    page: Older/Newer links, as fast at the item's first movement as at its last)."""
    item = get_object_or_404(Item.objects.select_related("category", "supplier"), pk=pk)
    return render(
        request,
        "inventory/items/item_detail.html",
        {
            "item": item,
            "totals": stock_totals_for_item(item=item),
            "near_expiry_days": settings.NEAR_EXPIRY_DAYS,
            "by_store": stock_by_store_for_item(item=item),
            "by_lot": stock_by_lot_for_item(item=item),
            "can_decide": has_role(request.user, Role.MANAGER),
            "page": keyset_page_for(
                request, ledger_entries_for_item(item=item), per_page=MOVEMENTS_PER_PAGE
            ),
        },
    )


urlpatterns = [
    path("items/", item_list, name="item_list"),
    path("items/<int:pk>/", item_detail, name="item_detail"),
]
