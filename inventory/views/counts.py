"""Stock counts (Manager): pick a store and, if it is large, an item or a category; enter
what was found of each lot, or of each item for loose goods (`by=item`: all its lots on
the shelf together); the differences are posted as COUNT adjustments at once."""

import re

from django.contrib import messages
from django.db.models.functions import Lower
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode

from accounts.permissions import role_required
from accounts.roles import Role
from inventory.exceptions import DocumentChanged, InventoryError
from inventory.forms.stock import CountForm, ItemCountForm
from inventory.models import Category, LedgerEntry, QCStatus, Store
from inventory.selectors.counts import SHEET_LINES, count_sheet, count_sheet_items
from inventory.services.counts import stock_count

from .common import actor_for, id_param, refreshed_token, report_replay
from .form_tokens import token_initial

COUNT_FIELD = re.compile(r"count_([0-9]{1,18})")
ITEM_FIELD = re.compile(r"item_([0-9]{1,18})")


# Found stock of an item that needs QC goes to a new lot waiting for inspection (not on
# an item sheet, which counts the lots on sale): said, so it is not counted twice.
QC_FOUND = " Stock found of an item that needs QC went to a new lot waiting for inspection."


def _found_for_qc(result) -> bool:
    return any(
        e.on_hand_delta > 0 and e.lot.qc_status == QCStatus.QUARANTINE for e in result.entries
    )


def _by_item(source) -> bool:
    """Whether the sheet counts by item (loose goods) rather than by lot."""
    return source.get("by") == "item"


def _blind(source) -> bool:
    """Whether the sheet hides the figures on record, so counters are not primed by them."""
    return source.get("blind") in ("1", "on")


def _picked(request, name, model, source=None):
    pk = id_param(request, name, source=source)
    return None if pk is None else model.objects.filter(pk=pk).first()


@role_required(Role.MANAGER)
def count_new(request):
    if request.method == "POST":
        return _record(request)
    store = _picked(request, "store", Store)
    search = request.GET.get("q", "").strip()[:100]
    category = _picked(request, "category", Category)
    # An old bookmark or a mistyped link must not count a wider scope than it named.
    for name, picked in (("store", store), ("category", category)):
        if request.GET.get(name) and picked is None:
            messages.error(request, f"No such {name}: choose one from the list.")
            store = None
    if "store" in request.GET and not request.GET["store"]:  # "Open count sheet", no store
        messages.error(request, "Choose the store to count, then open the count sheet.")
    by_item = _by_item(request.GET)
    sheet, form_class = (count_sheet_items, ItemCountForm) if by_item else (count_sheet, CountForm)
    rows = sheet(store=store, search=search, category=category) if store else []
    form = form_class(
        rows=rows[:SHEET_LINES],
        initial={**token_initial(request), "store": store},
        blind=_blind(request.GET),
    )
    return _page(request, form, store=store, search=search, category=category, more=rows)


def _record(request):
    store = Store.objects.filter(pk=id_param(request, "store", source=request.POST)).first()
    # The sheet's lines are the lots the post names: stock may have moved since it was
    # read, which the service checks line by line.
    if by_item := _by_item(request.POST):
        ids = {int(m[1]) for m in map(ITEM_FIELD.fullmatch, request.POST) if m}
        rows = count_sheet_items(store=store, item_ids=ids) if store and ids else []
        form = ItemCountForm(request.POST, rows=rows[:SHEET_LINES], blind=_blind(request.POST))
    else:
        lot_ids = {int(m[1]) for m in map(COUNT_FIELD.fullmatch, request.POST) if m}
        rows = count_sheet(store=store, lot_ids=lot_ids) if store and lot_ids else []
        form = CountForm(request.POST, rows=rows[:SHEET_LINES], blind=_blind(request.POST))
    reopen = False  # stock moved since the sheet was read: offer a fresh one
    if form.is_valid():
        data = form.cleaned_data
        try:
            result = stock_count(
                actor=actor_for(request),
                store=data["store"],
                counts=form.counts(),
                note=data["note"],
                idempotency_key=data["idempotency_key"],
            )
        except InventoryError as exc:
            form.show_refusal(exc, token=refreshed_token(request, exc))
            reopen = isinstance(exc, DocumentChanged)
            if reopen:
                form.take_current_figures()
        else:
            if not report_replay(request, result, "This count"):
                # The lots corrected: a count may also move reservations (other rows).
                changed = sum(e.kind == LedgerEntry.Kind.ADJUST for e in result.entries)
                moved = sum(e.kind == LedgerEntry.Kind.RESERVE for e in result.entries)
                counted, what = len(form.counts()), "item" if by_item else "lot"
                corrected = f"{changed} lot{'s' if changed != 1 else ''}" if by_item else changed
                messages.success(
                    request,
                    f"Count of {counted} {what}{'s' if counted != 1 else ''} in "
                    f"{data['store'].name} recorded: "
                    + (f"{corrected} corrected." if changed else "every figure matched.")
                    + (" Reservations moved to other lots of the item." if moved else "")
                    + (QC_FOUND if _found_for_qc(result) else ""),
                )
            levels = reverse("inventory:stock_levels")
            return redirect(f"{levels}?{urlencode({'store': data['store'].pk})}")
    search = request.POST.get("q", "").strip()[:100]
    category = _picked(request, "category", Category, source=request.POST)
    return _page(
        request, form, store=store, search=search, category=category, more=rows, reopen=reopen
    )


def _page(request, form, *, store, search, category, more, reopen=False):
    return render(
        request,
        "inventory/stock/count.html",
        {
            "form": form,
            "rows": form.bound_rows(),
            "store": store,
            # Deactivated stores too: their remaining stock is still counted down (README).
            "stores": Store.objects.order_by("-is_active", Lower("code")),
            "categories": Category.objects.all(),  # by name, any case (Meta.ordering)
            "category": category,
            "search": search,
            "truncated": len(more) > SHEET_LINES,
            "sheet_lines": SHEET_LINES,
            "reopen": reopen,
            "by_item": isinstance(form, ItemCountForm),
            "blind": form.blind,
            # A hidden figure refused (a damaged or forged post) has no box to sit by.
            "hidden_refused": any(form.errors.get(f.name) for f in form.hidden_fields()),
        },
    )


urlpatterns = [path("stock/count/", count_new, name="stock_count")]
