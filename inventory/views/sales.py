"""Sales screens: order list, new/edit draft, detail with its legal actions, ship, quick sale.

Views only translate: form -> service -> message and redirect. Every stock-changing
form carries a one-time token that the service uses as its idempotency key.
"""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.timezone import localdate as today

from accounts.permissions import role_required
from accounts.roles import Role
from inventory import rules
from inventory.exceptions import DocumentChanged, InventoryError, ShortLines
from inventory.forms.common import line_names
from inventory.forms.sales import (
    OrderActionForm,
    QuickSaleForm,
    ReturnForm,
    SalesDraftForm,
    SalesEditForm,
    SalesFilterForm,
    SalesLineFormSet,
    ShipForm,
)
from inventory.models import SalesOrder, SalesOrderLine
from inventory.quantities import fmt_amount
from inventory.selectors.sales import (
    sales_order_figures,
    sales_order_history,
    sales_order_lines,
    sales_orders_list,
)
from inventory.services.sales import (
    allowed_actions,
    sales_order_cancel,
    sales_order_confirm,
    sales_order_create,
    sales_order_return,
    sales_order_ship,
    sales_order_update,
    sales_quick_sale,
)

from .common import (
    actor_for,
    adds_a_line,
    attach_error,
    document_action,
    line_added,
    refused_lines,
    report_replay,
)
from .form_tokens import token_initial
from .paging import keyset_page_for

PER_PAGE = 25
LINES = "lines"
# The store of this browser's last quick sale: a counter's browser stays in its store,
# across sign-ins and whoever signs in, and a cookie costs no database write.
QUICK_STORE = "quick_store"
QUICK_STORE_AGE = 365 * 24 * 3600


def _remembered_store(request) -> int | None:
    value = request.COOKIES.get(QUICK_STORE, "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


@role_required(Role.STAFF)
def sales_list(request):
    """List orders newest first, filtered, a keyset page at a time (no total count)."""
    form = SalesFilterForm(request.GET or None)
    orders = form.listed(sales_orders_list(**form.filters()))
    page = keyset_page_for(request, orders, per_page=PER_PAGE)
    return render(request, "inventory/sales/list.html", {"form": form, "page": page})


def _order_form_page(request, *, order=None):
    initial_lines = None
    if order is not None:
        initial_lines = [
            {"item": line.item, "quantity": line.quantity, "unit_price": line.unit_price}
            for line in order.lines.select_related("item")
        ]
    header_initial = (
        {"store": order.store, "customer": order.customer, "note": order.note} if order else {}
    )
    if order is None:
        # A new draft carries a one-time token (kept in the page's URL, so Back keeps it).
        form = SalesDraftForm(
            request.POST or None, initial=token_initial(request), user=request.user
        )
    else:
        form = SalesEditForm(
            request.POST or None,
            initial={**header_initial, "shown": order.version},
            user=request.user,
        )
    formset = SalesLineFormSet(request.POST or None, prefix=LINES, initial=initial_lines)
    if adds_a_line(request):
        form, formset = line_added(form, formset)
    elif request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        args = {
            "actor": actor_for(request),
            "store": data["store"],
            "customer": data["customer"],
            "note": data["note"],
            "lines": formset.lines(),
        }
        try:
            if order is None:
                order = sales_order_create(**args, idempotency_key=data["idempotency_key"])
                if not report_replay(request, order, "This draft", document=order):
                    messages.success(request, f"Draft {order.number} saved. Confirm it to reserve.")
            else:
                order = sales_order_update(order=order, **args, shown=data["shown"])
                messages.success(request, f"Draft {order.number} updated.")
        except DocumentChanged as exc:
            # The page shows the order as it was: open it afresh, with the reason.
            messages.error(request, exc.message)
            return redirect("inventory:sales_edit", pk=order.pk)
        except InventoryError as exc:
            attach_error(form, exc, rows=formset.kept_forms(), request=request)
        else:
            return redirect(order)
    return render(
        request,
        "inventory/sales/order_form.html",
        {"form": form, "formset": formset, "order": order},
    )


@role_required(Role.STAFF)
def sales_new(request):
    return _order_form_page(request)


@role_required(Role.STAFF)
def sales_edit(request, pk):
    order = get_object_or_404(SalesOrder, pk=pk)
    if order.status != SalesOrder.Status.DRAFT:
        messages.error(
            request,
            f"{order.number} is {order.get_status_display().lower()}; only drafts can be edited.",
        )
        return redirect(order)
    return _order_form_page(request, order=order)


@role_required(Role.STAFF)
def sales_detail(request, pk):
    order = get_object_or_404(SalesOrder.objects.select_related("customer", "store"), pk=pk)
    return _detail_page(request, order)


def _detail_page(request, order, returning=None, refused=None):
    """The order with its lines; `returning` (line pk, posted data, the service's refusal
    or None) shows a refused return on its own line, with what was typed; `refused` (a
    refused confirmation) marks the lines it names."""
    lines = list(sales_order_lines(order=order))
    marks = dict(reversed(refused_lines(refused))) if refused is not None else {}
    names = line_names([line.item.sku for line in lines])  # what each line's boxes say
    for index, line in enumerate(lines):
        line.refusal = marks.get(index)
        name = names[index]
        line.return_form = ReturnForm(line=line, name=name) if line.returnable > 0 else None
        if returning is not None and line.pk == returning[0]:
            _, data, refusal = returning
            if line.return_form is None:  # nothing left to return: no form to show it on
                why = refusal or "nothing of it is left to return."
                messages.error(request, f"Return of {line.item.sku} not recorded: {why}")
                continue
            line.return_form = ReturnForm(data, line=line, name=name)
            if line.return_form.is_valid() and refusal is not None:
                attach_error(line.return_form, refusal, request=request)
    return render(
        request,
        "inventory/sales/detail.html",
        {
            "order": order,
            "lines": lines,
            "figures": sales_order_figures(order=order),
            "history": sales_order_history(order=order),
            "actions": allowed_actions(order),
            "confirm_form": OrderActionForm(auto_id="id_confirm_%s"),
            "cancel_form": OrderActionForm(auto_id="id_cancel_%s"),
        },
    )


def _order_action(request, pk, service, done: str, what: str):
    order = get_object_or_404(SalesOrder, pk=pk)
    form = OrderActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The form has expired; reload the page and try again.")
        return redirect(order)
    try:
        result = service(
            actor=actor_for(request),
            order=order,
            idempotency_key=form.cleaned_data["idempotency_key"],
            shown=form.cleaned_data["shown"],
        )
    except InventoryError as exc:
        if marked := {index for index, _ in refused_lines(exc)}:  # which to change or restock
            lines = "the line" if len(marked) == 1 else f"the {len(marked)} lines"
            lead = f"{order.number} was not {done.split(':')[0]}: see {lines} marked below."
            messages.error(request, f"{lead} {exc.message}")
            return _detail_page(request, order, refused=exc)
        messages.error(request, exc.message)
        return redirect(order)
    if not report_replay(request, result, what, document=order, preposition="for"):
        messages.success(request, f"{order.number} {done}.")
    return redirect(order)


@role_required(Role.STAFF)
@document_action("inventory:sales_detail")
def sales_confirm(request, pk):
    return _order_action(
        request,
        pk,
        sales_order_confirm,
        "confirmed: its stock is reserved",
        "This confirmation",
    )


@role_required(Role.STAFF)
@document_action("inventory:sales_detail")
def sales_cancel(request, pk):
    return _order_action(
        request,
        pk,
        sales_order_cancel,
        "cancelled: what was still reserved is released",
        "This cancellation",
    )


@role_required(Role.STAFF)
def sales_ship(request, pk):
    order = get_object_or_404(SalesOrder.objects.select_related("customer", "store"), pk=pk)
    if "ship" not in allowed_actions(order):
        messages.error(
            request,
            f"{order.number} is {order.get_status_display().lower()}; there is nothing to ship.",
        )
        return redirect(order)
    lines = list(order.lines.select_related("item").order_by("pk"))
    form = ShipForm(request.POST or None, lines=lines, initial=token_initial(request))
    if request.method == "POST" and form.is_valid():
        try:
            result = sales_order_ship(
                actor=actor_for(request),
                order=order,
                shipments=form.shipments(),
                idempotency_key=form.cleaned_data["idempotency_key"],
                shown=form.cleaned_data["shown"],
            )
        except DocumentChanged as exc:
            # The quantities were typed against old figures: show the page afresh.
            messages.error(request, exc.message)
            return redirect("inventory:sales_ship", pk=order.pk)
        except InventoryError as exc:
            _attach_ship_errors(request, form, exc)
        else:
            if not report_replay(
                request, result, "This shipment", document=order, preposition="on"
            ):
                whole = result.order.status == SalesOrder.Status.SHIPPED
                messages.success(
                    request,
                    f"{order.number} shipped in full."
                    if whole
                    else f"{order.number} partly shipped; the rest stays reserved.",
                )
            return redirect(order)
    return render(
        request, "inventory/sales/ship.html", {"order": order, "lines": lines, "form": form}
    )


def _attach_ship_errors(request, form, exc: InventoryError) -> None:
    if isinstance(exc, ShortLines):
        for shortage in exc.shortages:
            field = form.field_for(shortage.line) if hasattr(shortage, "line") else None
            form.add_error(field, shortage.message)
        return
    attach_error(form, exc, request=request)


@role_required(Role.STAFF)
@document_action("inventory:sales_detail")
def sales_return(request, pk, line_pk):
    line = get_object_or_404(
        SalesOrderLine.objects.select_related("order", "item"), pk=line_pk, order_id=pk
    )
    order = line.order
    form = ReturnForm(request.POST, line=line)
    if not form.is_valid():
        return _detail_page(request, order, returning=(line.pk, request.POST, None))
    try:
        result = sales_order_return(
            actor=actor_for(request),
            line=line,
            quantity=form.cleaned_data["quantity"],
            note=form.cleaned_data["note"],
            damaged=form.cleaned_data["damaged"],
            idempotency_key=form.cleaned_data["idempotency_key"],
        )
    except InventoryError as exc:
        return _detail_page(request, order, returning=(line.pk, request.POST, exc))
    if not report_replay(request, result, "This return", document=order, preposition="on"):
        held = [e.lot.code for e in result.stock.entries if e.lot.qc_status == "QUARANTINE"]
        where = f" into quarantine for inspection (lot {', '.join(held)})" if held else ""
        # Back into a lot it left that has expired since: not for sale again.
        for lot in {e.lot for e in result.stock.entries if rules.is_expired(e.lot, today())}:
            where += f"; lot {lot.code} expired on {lot.expires_on}: write it off or return it"
            where += " to the supplier"
        messages.success(
            request,
            f"Return of {fmt_amount(form.cleaned_data['quantity'], line.item.unit)} of "
            f"{line.item.sku} recorded{where}.",
        )
    return redirect(order)


@role_required(Role.STAFF)
def sales_quick(request):
    # The counter is usually in the same store as last time.
    form = QuickSaleForm(
        request.POST or None,
        initial={"store": _remembered_store(request), **token_initial(request)},
        user=request.user,
    )
    formset = SalesLineFormSet(request.POST or None, prefix=LINES)
    if request.method != "POST":
        # Ready for the first scan when the store is known from last time.
        first = formset.forms[0].fields["item"] if form.initial["store"] else form.fields["store"]
        first.widget.attrs["autofocus"] = True
    if adds_a_line(request):
        form, formset = line_added(form, formset)
    elif request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        try:
            result = sales_quick_sale(
                actor=actor_for(request),
                store=data["store"],
                customer=data["customer"],
                note=data["note"],
                lines=formset.lines(),
                idempotency_key=data["idempotency_key"],
            )
        except InventoryError as exc:
            attach_error(form, exc, rows=formset.kept_forms(), request=request)
        else:
            if not report_replay(request, result, "This sale", document=result.order):
                messages.success(
                    request,
                    format_html(
                        # Focused on arrival: Enter starts the next customer's sale.
                        'Sale {} recorded and issued from {}. <a href="{}" class="alert-link" '
                        "autofocus>Next sale</a>",
                        result.order.number,
                        result.order.store.name,
                        reverse("inventory:sales_quick"),
                    ),
                )
            response = redirect(result.order)
            if _remembered_store(request) != result.order.store_id:
                response.set_cookie(
                    QUICK_STORE,
                    str(result.order.store_id),
                    max_age=QUICK_STORE_AGE,
                    secure=settings.SESSION_COOKIE_SECURE,
                    httponly=True,
                    samesite="Lax",
                )
            return response
    return render(request, "inventory/sales/quick.html", {"form": form, "formset": formset})


urlpatterns = [
    path("sales/", sales_list, name="sales_list"),
    path("sales/new/", sales_new, name="sales_new"),
    path("sales/quick/", sales_quick, name="sales_quick"),
    path("sales/<int:pk>/", sales_detail, name="sales_detail"),
    path("sales/<int:pk>/edit/", sales_edit, name="sales_edit"),
    path("sales/<int:pk>/confirm/", sales_confirm, name="sales_confirm"),
    path("sales/<int:pk>/cancel/", sales_cancel, name="sales_cancel"),
    path("sales/<int:pk>/ship/", sales_ship, name="sales_ship"),
    path("sales/<int:pk>/lines/<int:line_pk>/return/", sales_return, name="sales_return"),
]
