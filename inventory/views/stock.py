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
from inventory.forms.stock import AdjustmentForm, TransferForm
from inventory.models import Store
from inventory.quantities import fmt_amount
from inventory.selectors.levels import STOCK_CSV_HEADER, stock_level_csv_rows, stock_level_list
from inventory.services.stock import stock_adjust, stock_transfer

from .common import actor_for, attach_error, filtered, id_param, report_replay
from .csv_export import csv_response
from .form_tokens import token_initial
from .paging import numbered_page

PER_PAGE = 50


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
            "stores": Store.objects.order_by("code"),
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
    item_id = id_param(request, "item")
    if request.method == "POST":
        form = TransferForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                result = stock_transfer(
                    actor=actor_for(request),
                    item=data["item"],
                    from_store=data["from_store"],
                    to_store=data["to_store"],
                    quantity=data["quantity"],
                    lot=data["lot"],
                    note=data["note"],
                    idempotency_key=data["idempotency_key"],
                )
            except InventoryError as exc:
                attach_error(form, exc, request=request)
            else:
                if not report_replay(
                    request, result, "This transfer", url=_operation_url(result.operation)
                ):
                    item = data["item"]
                    messages.success(
                        request,
                        f"Moved {fmt_amount(data['quantity'], item.unit)} of {item.sku} from "
                        f"{data['from_store'].name} to {data['to_store'].name}.",
                    )
                return redirect(_movements_url(data["item"]))
    else:
        form = TransferForm(initial=_initial(request, item_id), user=request.user)
    return render(request, "inventory/stock/transfer_form.html", {"form": form})


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
