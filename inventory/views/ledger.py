"""Movements: the filtered list, its streamed CSV export, one movement and its reversal."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.permissions import role_required
from accounts.roles import Role, has_role
from inventory.exceptions import InventoryError
from inventory.filters.ledger import LedgerEntryFilter
from inventory.forms.stock import ReverseForm
from inventory.models import LedgerEntry
from inventory.selectors.ledger import (
    CSV_HEADER,
    ledger_csv_rows,
    ledger_entry_detail,
    ledger_entry_list,
)
from inventory.services.stock import ledger_entry_reverse

from .common import actor_for, report_replay
from .csv_export import csv_response
from .paging import keyset_page_for

PER_PAGE = 50


def _list_page(request, status: int = 200):
    filterset = LedgerEntryFilter(request.GET or None, queryset=ledger_entry_list())
    page = keyset_page_for(request, filterset.form.listed(filterset.qs), per_page=PER_PAGE)
    return render(
        request,
        "inventory/ledger/list.html",
        {
            "filter": filterset,
            "page": page,
            "can_export": has_role(request.user, Role.MANAGER),
            "query": page.newest_query,  # the filters without the cursor
        },
        status=status,
    )


@role_required(Role.STAFF)
def ledger_list(request):
    """List movements newest first, filtered, a keyset page at a time (no total count)."""
    return _list_page(request)


def _csv_rows(queryset):
    zone = timezone.get_current_timezone()
    for row in ledger_csv_rows(queryset):
        # created_at (column 1) in local time; every text cell is neutralised by csv_response.
        row[1] = row[1].astimezone(zone).isoformat()
        yield row


@role_required(Role.MANAGER)
def ledger_export(request):
    """Stream the filtered movements as CSV, a chunk of rows at a time."""
    filterset = LedgerEntryFilter(request.GET or None, queryset=LedgerEntry.objects.all())
    if filterset.form.refusal():
        # Never export more than was asked for: the list, its errors by the fields.
        return _list_page(request, status=400)
    return csv_response(header=CSV_HEADER, rows=_csv_rows(filterset.qs), name="movements")


@role_required(Role.STAFF)
def ledger_detail(request, pk):
    context = ledger_entry_detail(pk=pk)
    context["can_reverse"] = has_role(request.user, Role.MANAGER)
    context["reverse_form"] = ReverseForm()
    return render(request, "inventory/ledger/detail.html", context)


@role_required(Role.MANAGER)
@require_POST
def ledger_reverse(request, pk):
    entry = get_object_or_404(LedgerEntry, pk=pk)
    form = ReverseForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The form expired; reload the page and try again.")
        return redirect(entry)
    try:
        result = ledger_entry_reverse(
            actor=actor_for(request),
            entry=entry,
            note=form.cleaned_data["note"],
            idempotency_key=form.cleaned_data["idempotency_key"],
        )
    except InventoryError as exc:
        messages.error(request, exc.message)
        return redirect(entry)
    if not report_replay(request, result):
        numbers = ", ".join(f"#{e.pk}" for e in result.entries)
        messages.success(request, f"Movement #{entry.pk} reversed by {numbers}.")
    return redirect(entry)


urlpatterns = [
    path("ledger/", ledger_list, name="ledger_list"),
    path("ledger/export.csv", ledger_export, name="ledger_export"),
    path("ledger/<int:pk>/", ledger_detail, name="ledger_detail"),
    path("ledger/<int:pk>/reverse/", ledger_reverse, name="ledger_reverse"),
]
