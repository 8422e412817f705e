"""Stock levels for everyone; transfers and adjustments for managers."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode

from accounts.permissions import role_required
from accounts.roles import Role
from inventory.exceptions import InventoryError
from inventory.forms.filtering import unknown_choice
from inventory.forms.stock import AdjustmentForm, TransferForm, TransferLineFormSet
from inventory.models import Store
from inventory.quantities import fmt_amount
from inventory.selectors.levels import STOCK_CSV_HEADER, stock_level_csv_rows, stock_level_list
from inventory.services.stock import stock_adjust, stock_transfer_lines

from .common import (
    actor_for,
    adds_a_line,
    attach_error,
    filtered,
    id_param,
    line_added,
    report_replay,
)
from .csv_export import csv_response
from .form_tokens import token_initial
from .paging import numbered_page

PER_PAGE = 50
LINES = "lines"  # the transfer lines' formset prefix
MOVED_SHOWN = 5  # a success message names this many lines, then says how many more


def _store_from(request):
    store_id = id_param(request, "store")
    return None if store_id is None else Store.objects.filter(pk=store_id).first()


def _movements_url(item) -> str:
    return f"{reverse('inventory:ledger_list')}?{urlencode({'item': item.pk})}"


def _operation_url(operation) -> str:
    return f"{reverse('inventory:ledger_list')}?{urlencode({'operation': operation.pk})}"


def _initial(request, item_id) -> dict:
    # The one-time token is kept in the page's URL, so Back and submit again moves once.
    return {**({"item": item_id} if item_id else {}), **token_initial(request)}


def _level_filters(request) -> tuple:
    store = _store_from(request)
    refusal = unknown_choice(request, "store", "Store", store)
    search = request.GET.get("q", "").strip()[:100]
    return refusal, {
        "store": store,
        "search": search,
        "low_only": request.GET.get("low") in ("1", "on", "true"),
    }


@role_required(Role.MANAGER)
def stock_export(request):
    """The stock screen's rows, whatever their number, as CSV, valued at cost."""
    refusal, filters = _level_filters(request)
    if refusal:
        # Never export more than was asked for: the screen, with the refusal.
        return stock_levels(request, status=400)
    return csv_response(header=STOCK_CSV_HEADER, rows=stock_level_csv_rows(**filters), name="stock")


@role_required(Role.STAFF)
def stock_levels(request, status=200):
    """Stock per item and store; ?low=1 keeps the rows below their reorder level."""
    refusal, filters = _level_filters(request)
    store, search, low_only = filters["store"], filters["search"], filters["low_only"]
    rows = [] if refusal else stock_level_list(**filters)
    page = numbered_page(rows, request.GET.get("page"), per_page=PER_PAGE, count_apart=True)
    return render(
        request,
        "inventory/stock/levels.html",
        {
            "page": page,
            "refusal": refusal,
            "filtered": filtered(request),
            "stores": Store.objects.all(),
            "store": store,
            "search": search,
            "low_only": low_only,
            "near_expiry_days": settings.NEAR_EXPIRY_DAYS,
            "export_query": request.GET.urlencode(),
        },
        status=status,
    )


@role_required(Role.MANAGER)
def transfer_new(request):
    """One transfer of one or several lines between two stores; ?item= fills in line 1."""
    item_id = id_param(request, "item")
    posted = request.POST if request.method == "POST" else None
    form = TransferForm(posted, initial=token_initial(request), user=request.user)
    # ?item= (the item page's link): line 1 is that item, and no blank line under it.
    initial = [{"item": item_id}] if item_id else None
    formset = TransferLineFormSet(posted, prefix=LINES, initial=initial)
    if item_id:
        formset.extra = 0
    if adds_a_line(request):
        form, formset = line_added(form, formset)
    elif posted is not None and form.is_valid() and formset.is_valid():
        data, rows, lines = form.cleaned_data, formset.kept_forms(), formset.lines()
        try:
            result = stock_transfer_lines(
                actor=actor_for(request),
                from_store=data["from_store"],
                to_store=data["to_store"],
                lines=lines,
                note=data["note"],
                idempotency_key=data["idempotency_key"],
            )
        except InventoryError as exc:
            attach_error(form, exc, rows=rows, request=request)
        else:
            url = _operation_url(result.operation)
            if not report_replay(request, result, "This transfer", url=url):
                messages.success(request, _moved(lines, data))
            # One item: all its movements, as before lines; several: this transfer's.
            items = {item for item, _, _ in lines}
            return redirect(_movements_url(lines[0][0]) if len(items) == 1 else url)
    return render(request, "inventory/stock/transfer_form.html", {"form": form, "formset": formset})


def _moved(lines, data) -> str:
    """What a transfer moved, for its success message: each line up to MOVED_SHOWN."""
    where = f"from {data['from_store'].name} to {data['to_store'].name}"
    said = [
        f"{fmt_amount(quantity, item.unit)} of {item.sku}" + (f" (lot {lot.code})" if lot else "")
        for item, quantity, lot in lines
    ]
    if len(said) == 1:
        return f"Moved {said[0]} {where}."
    more = len(said) - MOVED_SHOWN
    shown = ", ".join(said[:MOVED_SHOWN]) + (f" and {more} more" if more > 0 else "")
    return f"Moved {len(said)} lines {where}: {shown}."


@role_required(Role.MANAGER)
def adjustment_new(request):
    item_id = id_param(request, "item")
    if request.method == "POST":
        form = AdjustmentForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                result = stock_adjust(
                    actor=actor_for(request),
                    lot=data["lot"],
                    store=data["store"],
                    quantity=data["quantity"],
                    reason=data["reason"],
                    note=data["note"],
                    idempotency_key=data["idempotency_key"],
                )
            except InventoryError as exc:
                attach_error(form, exc, request=request)
            else:
                if not report_replay(
                    request, result, "This adjustment", url=_operation_url(result.operation)
                ):
                    item, quantity = data["item"], data["quantity"]
                    sign = "+" if quantity > 0 else ""
                    into = result.entries[0].lot
                    amount = f"{sign}{fmt_amount(quantity, item.unit)}"
                    # Found stock of a QC item goes into a new quarantine lot: say where.
                    text = (
                        f"Found {amount} of {item.sku} in {data['store'].name}: recorded in a "
                        f"new quarantine lot {into.code} (from lot {data['lot'].code}), for "
                        "QC to inspect."
                        if into.pk != data["lot"].pk
                        else f"Adjusted {item.sku} lot {data['lot'].code} in "
                        f"{data['store'].name} by {amount}."
                    )
                    messages.success(request, text)
                return redirect(_movements_url(data["item"]))
    else:
        form = AdjustmentForm(initial=_initial(request, item_id), user=request.user)
    return render(request, "inventory/stock/adjustment_form.html", {"form": form})


urlpatterns = [
    path("stock/", stock_levels, name="stock_levels"),
    path("stock/export.csv", stock_export, name="stock_export"),
    path("transfers/new/", transfer_new, name="transfer_new"),
    path("adjustments/new/", adjustment_new, name="adjustment_new"),
]
