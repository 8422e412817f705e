"""Item import from a CSV file (Manager and Admin): the upload page and its template file.

Every row is bound to the item form, then all of them go to
inventory.services.catalog_import.items_import in one transaction: either every row
becomes an item or none does, and the page lists each refused row.
"""

import csv
import io

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.views.generic import FormView, View

from accounts.permissions import ManagerRequiredMixin
from inventory.forms.catalog_import import COLUMNS, MAX_ROWS, TEMPLATE_ROWS, ItemImportForm
from inventory.selectors.catalog import skus_taken
from inventory.services.catalog_import import ImportRefused, items_import

from .common import actor_for

SHOWN_ERRORS = 50  # refusals listed on the page; the rest are counted


class ItemImportView(ManagerRequiredMixin, FormView):
    """Upload a CSV of new items; all are created or, if any row is refused, none."""

    form_class = ItemImportForm
    template_name = "inventory/items/item_import.html"

    def form_valid(self, form):
        rows, refused = form.row_errors()
        try:
            created = items_import(actor=actor_for(self.request), rows=rows, refused=refused)
        except ImportRefused as exc:
            errors = exc.errors
        else:
            messages.success(self.request, f"Imported {len(created)} items.")
            return redirect("inventory:item_list")
        # Sent twice (a double click, Back and send): every SKU is there from the first time.
        all_taken = skus_taken(row.get("sku", "") for _, row in form.rows) == len(form.rows)
        return self.render_to_response(
            self.get_context_data(
                form=form,
                errors=errors[:SHOWN_ERRORS],
                more_errors=max(len(errors) - SHOWN_ERRORS, 0),
                refused_rows=len({error.row for error in errors}),
                row_count=len(form.rows),
                all_taken=all_taken,
            )
        )

    def get_context_data(self, **kwargs):
        kwargs.setdefault("columns", COLUMNS)
        kwargs.setdefault("max_rows", MAX_ROWS)
        return super().get_context_data(**kwargs)


class ItemImportTemplateView(ManagerRequiredMixin, View):
    """The CSV to fill in: the header row and one example row."""

    http_method_names = ["get", "head"]

    def get(self, request):
        buffer = io.StringIO()
        csv.writer(buffer).writerows(TEMPLATE_ROWS)
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="items-template.csv"'
        return response


urlpatterns = [
    path("items/import/", ItemImportView.as_view(), name="item_import"),
    path(
        "items/import/template.csv", ItemImportTemplateView.as_view(), name="item_import_template"
    ),
]
