"""JSON options for the pickers of the stock forms (static/js/picker.js): items, lots,
customers and suppliers.

Staff and up, like the forms that use them. Bad parameters never fail: an unknown
or malformed store or item gives no figures or no lots, never a 500.
"""

from django.http import JsonResponse
from django.urls import path
from django.views.decorators.http import require_GET

from accounts.permissions import role_required
from accounts.roles import Role
from inventory.models import Customer, Item, QCStatus, Store, Supplier
from inventory.quantities import fmt_amount, fmt_qty
from inventory.selectors.pickers import (
    item_by_code,
    picker_items,
    picker_lots,
    picker_parties,
    picker_query,
)

# Ids are 64-bit at most; a longer run of digits is no id (and would overflow the query).
MAX_ID_DIGITS = 18


def _id_param(request, name) -> int | None:
    value = request.GET.get(name, "")
    if value.isascii() and value.isdigit() and len(value) <= MAX_ID_DIGITS:
        return int(value)
    return None


def _qty(value) -> str | None:
    return None if value is None else fmt_qty(value)


def _words(*parts) -> str:
    return " · ".join(filter(None, parts))


def _described(option: dict, name: str, *details) -> dict:
    """An option with the words picker.js shows, so their wording and units are written
    here alone: `detail` after its label in the list, `caption` under the box once
    chosen (the name first, where the label does not carry it)."""
    option["detail"] = _words(*details)
    option["caption"] = _words(name, option["detail"])
    return option


def _available(value, unit) -> str:
    return "" if value is None else f"{fmt_amount(value, unit)} available"


@role_required(Role.STAFF)
@require_GET
def picker_item_options(request):
    """?q= text; ?store= id for available figures; ?scope=all adds deactivated items."""
    store_id = _id_param(request, "store")
    store = Store.objects.filter(pk=store_id).first() if store_id else None
    rows = picker_items(
        query=request.GET.get("q", ""),
        store=store,
        include_inactive=request.GET.get("scope") == "all",
    )
    results = [
        _described(
            {
                "id": row["id"],
                "value": row["sku"],
                "label": f"{row['sku']} {row['name']}",
                "name": row["name"],
                "unit": row["unit"],
                # The item's own price: a sale's running total (sales.js) for blank prices.
                "price": f"{row['unit_price']:.2f}",
                "active": row["is_active"],
                "available": _qty(row.get("available")),
            },
            row["name"],
            "" if row["is_active"] else "deactivated",
            _available(row.get("available"), row["unit"]),
        )
        for row in rows
    ]
    return JsonResponse({"results": results, "store": store.name if store else None})


@role_required(Role.STAFF)
@require_GET
def picker_lot_options(request):
    """?item= id (or ?sku= when the item was typed, not chosen), ?store= id, ?q= part of a
    lot code."""
    item_id = _id_param(request, "item")
    if item_id:
        item = Item.objects.filter(pk=item_id).first()
    else:
        item = item_by_code(picker_query(request.GET.get("sku")))
    if item is None:
        return JsonResponse({"results": [], "item": None})
    store_id = _id_param(request, "store")
    store = Store.objects.filter(pk=store_id).first() if store_id else None
    rows = picker_lots(item=item, store=store, query=request.GET.get("q", ""))
    results = [
        _described(
            {
                "id": row["id"],
                "value": row["code"],
                "label": row["code"],
                "qc_status": row["qc_status"],
                "qc_label": QCStatus(row["qc_status"]).label,
                "expires_on": row["expires_on"].isoformat() if row["expires_on"] else None,
                "expired": row["expired"],
                "on_hand": _qty(row["on_hand"]),
                "available": _qty(row["available"]),
                "unit": item.unit,
            },
            "",
            QCStatus(row["qc_status"]).label,
            _expiry(row["expires_on"], row["expired"]),
            _lot_stock(row, item.unit),
        )
        for row in rows
    ]
    return JsonResponse({"results": results, "item": item.sku})


def _lot_stock(row, unit) -> str:
    """A sellable lot's available stock; what any other lot holds (expired, in quarantine,
    rejected: never available), so that a manager writing it off or moving it sees it."""
    if row["sellable"]:
        return _available(row["available"], unit)
    return f"{fmt_amount(row['on_hand'], unit)} on hand"


def _expiry(expires_on, expired) -> str:
    if not expires_on:
        return ""
    return f"{'expired' if expired else 'expires'} {expires_on.isoformat()}"


def _party_options(request, model):
    rows = picker_parties(
        model, query=request.GET.get("q", ""), include_inactive=request.GET.get("scope") == "all"
    )
    results = [
        _described(
            {
                "id": row["id"],
                "value": row["name"],
                "label": row["name"],
                "active": row["is_active"],
            },
            "",
            "" if row["is_active"] else "deactivated",
            row["email"],
            row["phone"],
        )
        for row in rows
    ]
    return JsonResponse({"results": results})


@role_required(Role.STAFF)
@require_GET
def picker_customer_options(request):
    """?q= part of an active customer's name; ?scope=all adds deactivated customers."""
    return _party_options(request, Customer)


@role_required(Role.STAFF)
@require_GET
def picker_supplier_options(request):
    """?q= part of an active supplier's name; ?scope=all adds deactivated suppliers."""
    return _party_options(request, Supplier)


urlpatterns = [
    path("pickers/items/", picker_item_options, name="picker_items"),
    path("pickers/lots/", picker_lot_options, name="picker_lots"),
    path("pickers/customers/", picker_customer_options, name="picker_customers"),
    path("pickers/suppliers/", picker_supplier_options, name="picker_suppliers"),
]
