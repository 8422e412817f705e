"""Purchase screens: list, detail, draft orders, receipts and direct purchases.

Each view translates: form -> service -> message and redirect. Rules live in
inventory.services.purchasing.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path

from accounts.permissions import role_required
from accounts.roles import Role, has_role
from inventory.exceptions import DocumentChanged, InventoryError
from inventory.forms.common import line_names
from inventory.forms.purchasing import (
    DirectLineFormSet,
    DirectPurchaseForm,
    OrderLineFormSet,
    PurchaseActionForm,
    PurchaseDraftForm,
    PurchaseEditForm,
    PurchaseFilterForm,
    ReceiveForm,
    ReceiveLineFormSet,
    kept_forms,
    kept_lines,
)
from inventory.models import PurchaseOrder
from inventory.quantities import fmt_amount
from inventory.selectors.purchasing import (
    purchase_order_actions,
    purchase_order_detail,
    purchase_order_history,
    purchase_order_lines,
    purchase_order_list,
    purchase_order_receipts,
    purchase_order_value,
)
from inventory.services.purchasing import (
    RECEIVABLE,
    purchase_direct,
    purchase_order_cancel,
    purchase_order_create,
    purchase_order_place,
    purchase_order_receive,
    purchase_order_update,
)

from .common import (
    actor_for,
    adds_a_line,
    attach_error,
    document_action,
    line_added,
    report_replay,
)
from .form_tokens import token_initial
from .paging import keyset_page_for
from .reorder import reorder_prefill

PER_PAGE = 25


def _order_or_404(pk) -> PurchaseOrder:
    try:
        return purchase_order_detail(pk=pk)
    except PurchaseOrder.DoesNotExist:
        raise Http404("No such purchase order.") from None


@role_required(Role.STAFF)
def purchase_list(request):
    """List orders newest first with filters (status, supplier, store, dates), a keyset
    page at a time (no total count)."""
    filter_form = PurchaseFilterForm(request.GET or None)
    orders = filter_form.listed(purchase_order_list(**filter_form.filters()))
    page = keyset_page_for(request, orders, per_page=PER_PAGE)
    return render(
        request,
        "inventory/purchases/list.html",
        {"filter_form": filter_form, "page": page, "orders": page.object_list},
    )


@role_required(Role.STAFF)
def purchase_detail(request, pk):
    """Show lines (ordered, received, outstanding), value, lots received, history, actions."""
    order = _order_or_404(pk)
    lines = purchase_order_lines(order=order)
    return render(
        request,
        "inventory/purchases/detail.html",
        {
            "order": order,
            "lines": lines,
            "order_value": purchase_order_value(lines),
            "receipts": purchase_order_receipts(order=order),
            "history": purchase_order_history(order=order),
            "actions": purchase_order_actions(order=order, user=request.user),
            "can_reverse": has_role(request.user, Role.MANAGER),
        },
    )


def _order_lines(formset) -> list[tuple]:
    return [(d["item"], d["quantity"], d.get("unit_cost")) for d in kept_lines(formset)]


def _render_order_form(request, form, formset, order=None):
    return render(
        request,
        "inventory/purchases/order_form.html",
        {"form": form, "formset": formset, "order": order},
    )


@role_required(Role.MANAGER)
def purchase_order_new(request):
    """Create a draft purchase order with its lines (filled in from Reorder: ?reorder=1)."""
    header, lines = reorder_prefill(request) or ({}, None)
    # The one-time token is kept in the page's URL, so Back and submit again saves one.
    form = PurchaseDraftForm(
        request.POST or None, initial={**token_initial(request), **header}, user=request.user
    )
    formset = OrderLineFormSet(request.POST or None, prefix="lines", initial=lines)
    if adds_a_line(request):
        form, formset = line_added(form, formset)
    elif request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            order = purchase_order_create(
                actor=actor_for(request), **form.cleaned_data, lines=_order_lines(formset)
            )
        except InventoryError as exc:
            attach_error(form, exc, rows=kept_forms(formset), request=request)
        else:
            if not report_replay(request, order, "This draft", document=order):
                messages.success(request, f"Draft {order.number} saved.")
            return redirect(order)
    return _render_order_form(request, form, formset)


@role_required(Role.MANAGER)
def purchase_edit(request, pk):
    """Edit a draft: replace its header and lines."""
    order = _order_or_404(pk)
    if order.status != PurchaseOrder.Status.DRAFT:
        messages.error(request, f"{order.number} is no longer a draft; it cannot be edited.")
        return redirect(order)
    initial = {
        "supplier": order.supplier,
        "store": order.store,
        "expected_on": order.expected_on,
        "note": order.note,
    }
    line_initial = [
        # The item itself, not its id: the picker shows its SKU without a query per line.
        {"item": line.item, "quantity": line.quantity_ordered, "unit_cost": line.unit_cost}
        for line in order.lines.select_related("item").order_by("pk")
    ]
    form = PurchaseEditForm(
        request.POST or None, initial={**initial, "shown": order.version}, user=request.user
    )
    formset = OrderLineFormSet(request.POST or None, prefix="lines", initial=line_initial)
    if adds_a_line(request):
        form, formset = line_added(form, formset)
    elif request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            order = purchase_order_update(
                actor=actor_for(request),
                order=order,
                **form.cleaned_data,
                lines=_order_lines(formset),
            )
        except DocumentChanged as exc:
            # The page shows the order as it was: open it afresh, with the reason.
            messages.error(request, exc.message)
            return redirect("inventory:purchase_edit", pk=order.pk)
        except InventoryError as exc:
            attach_error(form, exc, rows=kept_forms(formset), request=request)
        else:
            messages.success(request, f"Draft {order.number} saved.")
            return redirect(order)
    return _render_order_form(request, form, formset, order)


@role_required(Role.MANAGER)
@document_action("inventory:purchase_detail")
def purchase_place(request, pk):
    order = _order_or_404(pk)
    form = PurchaseActionForm(request.POST)
    if not form.is_valid():
        return _expired(request, order)
    try:
        purchase_order_place(
            actor=actor_for(request), order=order, shown=form.cleaned_data["shown"]
        )
    except InventoryError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{order.number} placed with {order.supplier}.")
    return redirect(order)


@role_required(Role.MANAGER)
@document_action("inventory:purchase_detail")
def purchase_cancel(request, pk):
    order = _order_or_404(pk)
    form = PurchaseActionForm(request.POST)
    if not form.is_valid():
        return _expired(request, order)
    try:
        order = purchase_order_cancel(
            actor=actor_for(request), order=order, shown=form.cleaned_data["shown"]
        )
    except InventoryError as exc:
        messages.error(request, exc.message)
    else:
        # From the order as cancelled (not as read before the lock): a receipt may have
        # come in first, and then it was closed short.
        short = order.status_label == "Closed short"
        messages.success(
            request,
            f"{order.number} closed short: what was received stays; the rest is no longer expected."
            if short
            else f"{order.number} cancelled.",
        )
    return redirect(order)


def _expired(request, order):
    """A place or cancel whose hidden fields cannot be read: nothing is done."""
    messages.error(request, "The form has expired; reload the page and try again.")
    return redirect(order)


def _receipt_message(result) -> str:
    parts = [
        f"{fmt_amount(e.quantity, e.item.unit)} {e.item.sku} into lot {e.lot.code}"
        + (" (quarantine)" if e.lot.qc_status == "QUARANTINE" else "")
        for e in result.stock.entries
    ]
    return f"{result.order.number}: received " + "; ".join(parts) + "."


@role_required(Role.STAFF)
def purchase_receive(request, pk):
    """Receive per line: quantity now, lot code (generated if blank), expiry. One transaction."""
    order = _order_or_404(pk)
    every_line = purchase_order_lines(order=order)
    lines = [line for line in every_line if line.outstanding > 0]
    if request.method != "POST" and order.status not in RECEIVABLE:
        messages.error(
            request, f"{order.number} is {order.status_label.lower()}; it cannot be received."
        )
        return redirect(order)
    form = ReceiveForm(request.POST or None, initial=token_initial(request))
    formset = ReceiveLineFormSet(
        request.POST or None, prefix="receipts", initial=[{"line": line.pk} for line in lines]
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        receipts = [
            {
                "line": d["line"],
                "quantity": d.get("quantity"),
                "lot_code": d.get("lot_code", ""),
                "expires_on": d.get("expires_on"),
            }
            for d in kept_lines(formset)  # a blank extra row is no receipt (and has no line)
        ]
        try:
            result = purchase_order_receive(
                actor=actor_for(request),
                order=order,
                receipts=receipts,
                idempotency_key=form.cleaned_data["idempotency_key"],
            )
        except InventoryError as exc:
            order.refresh_from_db(fields=["status"])
            if order.status not in RECEIVABLE:
                # Received in full (or cancelled) in another tab: nothing left to receive.
                messages.error(request, exc.message)
                return redirect(order)
            attach_error(form, exc, rows=kept_forms(formset), request=request)
        else:
            if not report_replay(request, result, "This receipt", document=order, preposition="on"):
                messages.success(request, _receipt_message(result))
            return redirect(result.order or order)
    by_id = {line.pk: line for line in every_line}  # a line received since still has its item
    rows = []
    for line_form in formset.forms:
        try:
            line = by_id.get(int(line_form["line"].value()))
        except (TypeError, ValueError):
            line = None
        rows.append((line_form, line))
    # Each row's boxes are named after its item (a row of no known line keeps "line N").
    names = line_names([line.item.sku if line else "" for _, line in rows])
    for (line_form, line), name in zip(rows, names, strict=True):
        if line is not None:
            line_form.describe(name)
    return render(
        request,
        "inventory/purchases/receive.html",
        {"order": order, "form": form, "formset": formset, "rows": rows},
    )


@role_required(Role.STAFF)
def purchase_new(request):
    """Direct purchase: what arrived without an order, received at once into lots."""
    form = DirectPurchaseForm(
        request.POST or None, initial=token_initial(request), user=request.user
    )
    formset = DirectLineFormSet(request.POST or None, prefix="lines")
    if adds_a_line(request):
        form, formset = line_added(form, formset)
    elif request.method == "POST" and form.is_valid() and formset.is_valid():
        lines = kept_lines(formset)
        if not lines:
            form.add_error(None, "Add at least one line.")
        else:
            try:
                result = purchase_direct(
                    actor=actor_for(request),
                    supplier=form.cleaned_data["supplier"],
                    store=form.cleaned_data["store"],
                    note=form.cleaned_data["note"],
                    lines=lines,
                    idempotency_key=form.cleaned_data["idempotency_key"],
                )
            except InventoryError as exc:
                attach_error(form, exc, rows=kept_forms(formset), request=request)
            else:
                if not report_replay(request, result, "This purchase", document=result.order):
                    messages.success(request, _receipt_message(result))
                return redirect(result.order)
    return render(request, "inventory/purchases/direct.html", {"form": form, "formset": formset})


urlpatterns = [
    path("purchases/", purchase_list, name="purchase_list"),
    path("purchases/new/", purchase_new, name="purchase_new"),
    path("purchases/order/new/", purchase_order_new, name="purchase_order_new"),
    path("purchases/<int:pk>/", purchase_detail, name="purchase_detail"),
    path("purchases/<int:pk>/edit/", purchase_edit, name="purchase_edit"),
    path("purchases/<int:pk>/place/", purchase_place, name="purchase_place"),
    path("purchases/<int:pk>/cancel/", purchase_cancel, name="purchase_cancel"),
    path("purchases/<int:pk>/receive/", purchase_receive, name="purchase_receive"),
]
