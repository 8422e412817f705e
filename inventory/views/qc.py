"""The QC queue: managers approve or reject quarantined lots, each decision with a note;
staff see the queue read-only (DESIGN.md: staff view lots). A manager also takes an
approved lot out of sale (a recall, a complaint): on hold, back to the queue, or rejected."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from accounts.permissions import role_required
from accounts.roles import Role, has_role
from inventory.exceptions import InventoryError
from inventory.forms.purchasing import LotDecisionForm, LotHoldForm, LotRejectForm
from inventory.models import Lot, QCStatus
from inventory.selectors.purchasing import lot_stock, qc_queue, recent_lot_decisions, with_age
from inventory.services.qc import lot_approve, lot_quarantine, lot_reject

from .common import actor_for, attach_error
from .paging import numbered_page

PER_PAGE = 25


@role_required(Role.STAFF)
def lot_queue(request, refused=None):
    """List QUARANTINE lots (item, stores, quantity, supplier, received, age, expiry) and
    decisions; only a manager is offered the decision forms. `refused`: a decision's
    form sent back, shown on its lot's card with the note as typed."""
    page = numbered_page(qc_queue(), request.GET.get("page"), per_page=PER_PAGE)
    with_age(page.object_list)
    on_page = refused is not None and any(lot.pk == refused["lot"] for lot in page.object_list)
    if refused is not None and not on_page:
        messages.error(request, f"Lot {refused['code']}: {' '.join(refused['errors'])}")
    return render(
        request,
        "inventory/lots/queue.html",
        {
            "page": page,
            "lots": page.object_list,
            "decisions": recent_lot_decisions(),
            "can_decide": has_role(request.user, Role.MANAGER),
            "refused": refused if on_page else None,
        },
    )


def _decide(request, pk, *, form_class, service, verb):
    lot = get_object_or_404(Lot.objects.select_related("item"), pk=pk)
    form = form_class(request.POST)
    if not form.is_valid():
        # Next to the note box of the lot's card, where the manager typed it.
        errors = [error for errors in form.errors.values() for error in errors]
        note = form.data.get("note", "").replace("\x00", "")
        refused = {"lot": lot.pk, "code": lot.code, "verb": verb, "errors": errors, "note": note}
        return lot_queue(request, refused=refused)
    try:
        service(
            actor=actor_for(request),
            lot=lot,
            note=form.cleaned_data["note"],
            shown=form.cleaned_data["shown"],
        )
    except InventoryError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Lot {lot.code} of {lot.item.sku} {verb}.")
    return redirect("inventory:lot_queue")


@role_required(Role.MANAGER)
@require_POST
def lot_approve_view(request, pk):
    return _decide(request, pk, form_class=LotDecisionForm, service=lot_approve, verb="approved")


@role_required(Role.MANAGER)
@require_POST
def lot_reject_view(request, pk):
    return _decide(request, pk, form_class=LotRejectForm, service=lot_reject, verb="rejected")


@role_required(Role.MANAGER)
def lot_hold_view(request, pk):
    """Put an approved lot on hold or reject it, with a reason, from the item page."""
    lot = get_object_or_404(Lot.objects.select_related("item"), pk=pk)
    form = LotHoldForm(request.POST or None, initial={"shown": lot.qc_status})
    if request.method == "POST" and form.is_valid():
        rejecting = form.cleaned_data["decision"] == "reject"
        try:
            (lot_reject if rejecting else lot_quarantine)(
                actor=actor_for(request),
                lot=lot,
                note=form.cleaned_data["note"],
                shown=form.cleaned_data["shown"],
            )
        except InventoryError as exc:
            attach_error(form, exc)
        else:
            done = "rejected" if rejecting else "on hold: it waits in the QC queue"
            messages.success(request, f"Lot {lot.code} of {lot.item.sku} is {done}.")
            return redirect("inventory:item_detail", lot.item_id)
        lot.refresh_from_db(fields=["qc_status"])
    return render(
        request,
        "inventory/lots/hold.html",
        {
            "lot": lot,
            "form": form,
            "balances": lot_stock(lot),
            "approved": lot.qc_status == QCStatus.APPROVED,
        },
    )


urlpatterns = [
    path("lots/", lot_queue, name="lot_queue"),
    path("lots/<int:pk>/approve/", lot_approve_view, name="lot_approve"),
    path("lots/<int:pk>/reject/", lot_reject_view, name="lot_reject"),
    path("lots/<int:pk>/hold/", lot_hold_view, name="lot_hold"),
]
