"""A manager corrects a lot's expiry date (keyed wrong on the receipt), with the reason."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path

from accounts.permissions import role_required
from accounts.roles import Role
from inventory.exceptions import InventoryError
from inventory.forms.purchasing import LotExpiryForm
from inventory.models import Lot
from inventory.selectors.purchasing import lot_stock
from inventory.services.qc import lot_set_expiry

from .common import actor_for, attach_error


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
            return redirect("inventory:item_detail", lot.item_id)
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
            return redirect("inventory:item_detail", lot.item_id)
    return render(
        request,
        "inventory/lots/expiry.html",
        {"lot": lot, "form": form, "balances": lot_stock(lot)},
    )


urlpatterns = [path("lots/<int:pk>/expiry/", lot_expiry_view, name="lot_expiry")]
