"""Reports: sales by item for a store and a range of days, on screen and as CSV."""

from decimal import Decimal

from django.conf import settings
from django.shortcuts import render
from django.urls import path
from django.utils.http import urlencode

from accounts.permissions import role_required
from accounts.roles import Role
from inventory.forms.dashboard import DashboardFilterForm
from inventory.rules import QTY_STEP
from inventory.selectors.dashboard import dashboard_totals, margin_percent, money
from inventory.selectors.replica import read_alias, replica_reads
from inventory.selectors.sales_by_item import ORDERS, sales_by_item

from .csv_export import csv_response
from .paging import numbered_page

PER_PAGE = 50
CSV_HEADER = [
    "sku",
    "name",
    "unit",
    "shipped",
    "returned",
    "net_quantity",
    "sold_value",
    "cost_of_goods",
    "gross_margin",
    "gross_margin_percent",
]


def _filters(request):
    """The report's form, period, store and order; no period when the filters are refused."""
    form = DashboardFilterForm(request.GET or None)
    order = request.GET.get("order")
    return form, form.selected_period(), form.selected_store(), order if order in ORDERS else ""


def _row(row) -> dict:
    value, cost = money(row["value"]), money(row["cost"])
    return {
        **row,
        # SQLite sums come back as 1.50000000000: each quantity at its stored places.
        **{name: Decimal(row[name]).quantize(QTY_STEP) for name in ("shipped", "returned", "net")},
        "value": value,
        "cost": cost,
        "margin": value - cost,
        "margin_percent": margin_percent(value, value - cost),
    }


@role_required(Role.MANAGER)
@replica_reads()
def sales_report(request, status=200):
    """What each item sold in the period, largest value (or margin) first, with the
    period's totals as the dashboard gives them."""
    form, period, store, order = _filters(request)
    context = {"form": form, "period": period, "store": store, "order": order}
    if period is not None:
        rows = sales_by_item(period=period, store=store, order=order or "value")
        page = numbered_page(rows, request.GET.get("page"), per_page=PER_PAGE)
        page.object_list = [_row(row) for row in page.object_list]
        query = {"date_from": period.date_from, "date_to": period.date_to}
        if store is not None:
            query["store"] = store.pk
        context |= {
            "page": page,
            "totals": dashboard_totals(period=period, store=store),
            "query": urlencode(query),
            "currency": settings.CURRENCY,
        }
    return render(request, "inventory/reports/sales_by_item.html", context, status=status)


@role_required(Role.MANAGER)
def sales_report_export(request):
    """The report's every row as CSV, in the screen's order."""
    form, period, store, order = _filters(request)
    if period is None:
        # Never export more than was asked for: the screen, with the refusal.
        return sales_report(request, status=400)
    # Streamed after the view returns, so the queryset itself names where it reads.
    rows = sales_by_item(period=period, store=store, order=order or "value").using(read_alias())
    return csv_response(
        header=CSV_HEADER,
        rows=(_csv_row(_row(row)) for row in rows.iterator()),
        name="sales-by-item",
    )


def _csv_row(row) -> list:
    return [
        row["item__sku"],
        row["item__name"],
        row["item__unit"],
        row["shipped"],
        row["returned"],
        row["net"],
        row["value"],
        row["cost"],
        row["margin"],
        row["margin_percent"],
    ]


urlpatterns = [
    path("reports/sales-by-item/", sales_report, name="sales_report"),
    path("reports/sales-by-item.csv", sales_report_export, name="sales_report_export"),
]
