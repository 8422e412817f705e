"""What to order again (Manager): a store's items below their reorder level, with what is
already coming, grouped by supplier; each group opens a new purchase order's form filled
in with its lines, to check and save as a draft (nothing is saved from this page)."""

from django.contrib import messages
from django.shortcuts import render
from django.urls import path

from accounts.permissions import role_required
from accounts.roles import Role
from inventory.forms.common import MAX_LINES
from inventory.models import Item, Store, Supplier
from inventory.quantities import fmt_qty
from inventory.selectors.purchasing import TO_RECEIVE
from inventory.selectors.reorder import REORDER_ROWS, by_supplier, reorder_rows

from .common import id_param

NO_SUPPLIER = "none"  # ?supplier=none: the items with no usual supplier


def _store(request):
    """The store asked for, or the only active one; None when none is chosen."""
    stores = Store.objects.filter(is_active=True)
    if pk := id_param(request, "store"):
        return stores.filter(pk=pk).first()
    only = list(stores[:2])
    return only[0] if len(only) == 1 else None


@role_required(Role.MANAGER)
def purchase_reorder(request):
    store = _store(request)
    if request.GET.get("store") and store is None:
        messages.error(request, "No such store: choose one from the list.")
    rows = reorder_rows(store=store) if store else []
    return render(
        request,
        "inventory/purchases/reorder.html",
        {
            "store": store,
            "stores": Store.objects.filter(is_active=True),
            "groups": by_supplier(rows[:REORDER_ROWS]),
            "truncated": len(rows) > REORDER_ROWS,
            "shown": REORDER_ROWS,
            "no_supplier": NO_SUPPLIER,
            "to_receive": TO_RECEIVE,  # the purchases list's filter of placed orders
        },
    )


def reorder_prefill(request) -> tuple[dict, list[dict]] | None:
    """For a new purchase order opened from the reorder page (?reorder=1&store=&supplier=):
    its header and its lines, each item at the quantity suggested; None otherwise."""
    if request.method != "GET" or request.GET.get("reorder") != "1":
        return None
    store = _store(request)
    named = request.GET.get("supplier")
    supplier = Supplier.objects.filter(pk=id_param(request, "supplier")).first()
    if store is None or (named != NO_SUPPLIER and supplier is None):
        messages.error(request, "That reorder list is gone: open it again from Reorder.")
        return None
    rows = [
        r
        for r in reorder_rows(store=store, supplier_id=supplier and supplier.pk)
        if r["suggested"] > 0
    ]
    items = Item.objects.in_bulk([r["item_id"] for r in rows[:MAX_LINES]])
    lines = [
        {"item": items[r["item_id"]], "quantity": fmt_qty(r["suggested"])} for r in rows[:MAX_LINES]
    ]
    if not lines:
        messages.info(request, "Nothing to order from this supplier for this store now.")
    elif len(rows) > MAX_LINES:
        messages.info(
            request,
            f"The first {MAX_LINES} of {len(rows)} items to order: save this draft, then"
            " open Reorder again for the rest.",
        )
    else:
        messages.info(request, "Filled in from Reorder: check the quantities and costs, then save.")
    return {"store": store, "supplier": supplier}, lines


urlpatterns = [path("purchases/reorder/", purchase_reorder, name="purchase_reorder")]
