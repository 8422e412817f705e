"""Each views module owns its urlpatterns; this file only gathers them."""

from .views import (
    audit,
    catalog,
    catalog_import,
    counts,
    dashboard,
    items,
    ledger,
    lots,
    pickers,
    printing,
    purchasing,
    qc,
    reorder,
    reports,
    sales,
    stock,
)

app_name = "inventory"

urlpatterns = [
    *items.urlpatterns,
    *stock.urlpatterns,
    *counts.urlpatterns,
    *ledger.urlpatterns,
    *catalog.urlpatterns,
    *catalog_import.urlpatterns,
    *purchasing.urlpatterns,
    *reorder.urlpatterns,
    *qc.urlpatterns,
    *lots.urlpatterns,
    *sales.urlpatterns,
    *dashboard.urlpatterns,
    *audit.urlpatterns,
    *pickers.urlpatterns,
    *printing.urlpatterns,
    *reports.urlpatterns,
]
