"""Audit log (list and CSV export) and low-stock alerts, for Managers and Admins."""

import json

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import role_required
from accounts.roles import Role
from inventory.exceptions import InventoryError
from inventory.filters.audit import AuditEventFilter
from inventory.models import Alert, AuditEvent
from inventory.selectors.replica import read_alias
from inventory.selectors.stock import stock_available_by_pair
from inventory.services.alerts import alert_acknowledge

from .common import actor_for
from .csv_export import csv_response
from .paging import keyset_page_for

PER_PAGE = 50
CSV_HEADER = [
    "time",
    "user",
    "action",
    "object_type",
    "object_id",
    "object",
    "ip_address",
    "user_agent",
    "details",
]


def _filtered_events(request) -> AuditEventFilter:
    return AuditEventFilter(request.GET or None, queryset=AuditEvent.objects.all())


@role_required(Role.MANAGER)
@require_GET
def audit_list(request):
    """List audit events, newest first, filtered, a keyset page at a time (one query)."""
    return _list_page(request)


def _list_page(request, status: int = 200):
    event_filter = _filtered_events(request)
    page = keyset_page_for(request, event_filter.form.listed(event_filter.qs), per_page=PER_PAGE)
    return render(
        request,
        "inventory/audit/audit_list.html",
        {"filter": event_filter, "page": page, "events": page.object_list},
        status=status,
    )


CSV_FIELDS = [
    "created_at",
    "actor_username",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "ip_address",
    "user_agent",
    "details",
]


def _csv_rows(events):
    """Rows read as tuples in chunks; every text cell is neutralised by csv_response."""
    zone = timezone.get_current_timezone()
    rows = events.values_list(*CSV_FIELDS).iterator(chunk_size=2000)
    for at, user, action, kind, pk, name, ip, agent, details in rows:
        yield [
            at.astimezone(zone).isoformat(timespec="seconds"),
            user,
            action,
            kind,
            pk,
            name,
            ip,
            agent,
            json.dumps(details, sort_keys=True, ensure_ascii=False),
        ]


@role_required(Role.MANAGER)
@require_GET
def audit_export(request):
    """Stream the filtered audit events as CSV, without holding them all in memory."""
    event_filter = _filtered_events(request)
    if event_filter.form.refusal():
        # Never export more than was asked for: the list, its errors by the fields.
        return _list_page(request, status=400)
    events = event_filter.qs.using(read_alias()).order_by("-created_at", "-pk")
    return csv_response(header=CSV_HEADER, rows=_csv_rows(events), name="audit")


@role_required(Role.MANAGER)
@require_GET
def alert_list(request):
    """Show open and acknowledged low-stock alerts with what is available now."""
    alerts = list(
        Alert.objects.filter(~Q(status=Alert.Status.RESOLVED))
        .select_related("item", "store", "closed_by")
        .order_by("-status", "-opened_at", "-pk")  # OPEN before ACKNOWLEDGED
    )
    available = stock_available_by_pair(pairs={(a.item_id, a.store_id) for a in alerts})
    rows = [(alert, available[(alert.item_id, alert.store_id)]) for alert in alerts]
    return render(request, "inventory/audit/alert_list.html", {"rows": rows})


@role_required(Role.MANAGER)
@require_POST
def alert_acknowledge_view(request, pk):
    alert = get_object_or_404(Alert.objects.select_related("item", "store"), pk=pk)
    try:
        alert_acknowledge(actor=actor_for(request), alert=alert)
    except InventoryError as exc:  # acknowledged or resolved meanwhile
        messages.info(request, exc.message)
        return redirect("inventory:alert_list")
    messages.success(
        request,
        f"Alert for {alert.item.sku} at {alert.store.name} acknowledged; "
        "a new one opens after stock recovers and falls again.",
    )
    return redirect("inventory:alert_list")


urlpatterns = [
    path("audit/", audit_list, name="audit_list"),
    path("audit/export.csv", audit_export, name="audit_export"),
    path("alerts/", alert_list, name="alert_list"),
    path("alerts/<int:pk>/acknowledge/", alert_acknowledge_view, name="alert_acknowledge"),
]
