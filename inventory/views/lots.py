"""A lot's page for Staff and above: what the batch is, where its stock is now, which
customers it went to, what happened to it (QC decisions, movements). What a recall, a
complaint or a supplier's query needs on one page. A manager corrects its expiry date
(keyed wrong on the receipt) with the reason."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.http import require_safe

from accounts.permissions import role_required
from accounts.roles import Role, has_role
from inventory.exceptions import InventoryError
from inventory.forms.purchasing import LotExpiryForm
from inventory.models import LedgerEntry, Lot
from inventory.selectors.lots import (
    CUSTOMERS_SHOWN,
    DEPTH_FOLLOWED,
    MADE_SHOWN,
    lot_customers,
    lot_decisions,
    lot_detail,
    lot_flows,
    lot_made_flows,
    lot_made_from,
    lot_movements,
    lot_purchase_orders,
    lot_stock_valued,
)
from inventory.selectors.purchasing import lot_stock
from inventory.services.qc import lot_set_expiry

from .common import actor_for, attach_error
from .paging import keyset_page_for

MOVEMENTS_PER_PAGE = 25


@role_required(Role.STAFF)
@require_safe
def lot_detail_view(request, pk):
    """One lot: its header, stock per store, the customers who got units of it, from it
    or from the lots made from it (the most recent CUSTOMERS_SHOWN), its stock changes by
    reason, the lots made from it (their stock and changes apart), its QC decisions and
    its movements (a keyset page, Older/Newer)."""
    lot = lot_detail(pk=pk)
    made = lot_made_from(lot=lot)
    customers = lot_customers(lot=lot, made=made["lots"], limit=CUSTOMERS_SHOWN)
    return render(
        request,
        "inventory/lots/detail.html",
        {
            "lot": lot,
            "item": lot.item,
            "orders": lot_purchase_orders(lot=lot),
            "stock": lot_stock_valued(lot=lot),
            "customers": customers[:CUSTOMERS_SHOWN],
            "more_customers": len(customers) > CUSTOMERS_SHOWN,
            "issue_kind": LedgerEntry.Kind.ISSUE,
            "flows": lot_flows(lot=lot),
            "made_flows": lot_made_flows(made=made["lots"]),
            "decisions": lot_decisions(lot=lot),
            "made": made["lots"][:MADE_SHOWN],
            "made_count": len(made["lots"]),
            "made_on_hand": made["on_hand"],
            "deeper": made["deeper"],
            "depth_followed": DEPTH_FOLLOWED,
            "can_decide": has_role(request.user, Role.MANAGER),
            "page": keyset_page_for(request, lot_movements(lot=lot), per_page=MOVEMENTS_PER_PAGE),
        },
    )


def _said(expires_on) -> str:
    return f"expires on {expires_on:%Y-%m-%d}" if expires_on else "has no expiry date"


@role_required(Role.MANAGER)
def lot_expiry_view(request, pk):
    lot = get_object_or_404(Lot.objects.select_related("item"), pk=pk)
    form = LotExpiryForm(request.POST or None, initial={"expires_on": lot.expires_on})
    if request.method == "POST" and form.is_valid():
        expires_on = form.cleaned_data["expires_on"]
        if expires_on == lot.expires_on:  # sent twice, or nothing changed
            messages.info(request, f"Lot {lot.code} already {_said(expires_on)}: nothing changed.")
            return redirect("inventory:lot_detail", lot.pk)
        try:
            lot_set_expiry(
                actor=actor_for(request),
                lot=lot,
                expires_on=expires_on,
                note=form.cleaned_data["note"],
            )
        except InventoryError as exc:
            attach_error(form, exc)
        else:
            messages.success(request, f"Lot {lot.code} of {lot.item.sku} now {_said(expires_on)}.")
            return redirect("inventory:lot_detail", lot.pk)
    return render(
        request,
        "inventory/lots/expiry.html",
        {"lot": lot, "form": form, "balances": lot_stock(lot)},
    )


urlpatterns = [
    path("lots/<int:pk>/", lot_detail_view, name="lot_detail"),
    path("lots/<int:pk>/expiry/", lot_expiry_view, name="lot_expiry"),
]
