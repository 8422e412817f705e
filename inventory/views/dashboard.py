"""The managers' dashboard: figures for a store and a range of days."""

from django.conf import settings
from django.shortcuts import render
from django.urls import path
from django.utils.http import urlencode

from accounts.permissions import role_required
from accounts.roles import Role
from inventory.forms.dashboard import DashboardFilterForm
from inventory.selectors.dashboard import dashboard_figures

COUNT_LABELS = [
    ("Stores", "stores"),
    ("Categories", "categories"),
    ("Items", "items"),
    ("Customers", "customers"),
    ("Suppliers", "suppliers"),
    ("Purchase orders", "purchases"),
    ("Sales orders", "sales"),
]


@role_required(Role.MANAGER)
def dashboard(request):
    form = DashboardFilterForm(request.GET or None)
    period, store = form.selected_period(), form.selected_store()
    if period is None:  # the filters cannot be read: their errors, no figures
        return render(request, "inventory/dashboard/dashboard.html", {"form": form})
    figures = dashboard_figures(period=period, store=store)
    ledger_query = {"date_from": period.date_from, "date_to": period.date_to}
    if store is not None:
        ledger_query["store"] = store.pk
    return render(
        request,
        "inventory/dashboard/dashboard.html",
        {
            "form": form,
            "store": store,
            "currency": settings.CURRENCY,
            "count_cards": [(label, key, figures["counts"][key]) for label, key in COUNT_LABELS],
            "ledger_query": urlencode(ledger_query),
            **figures,
        },
    )


urlpatterns = [path("dashboard/", dashboard, name="dashboard")]
