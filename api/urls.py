"""/api/v1/ resources, the schema and its docs under /api/, and the API tokens page."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from .views import audit, catalog, counts, docs, movements, purchasing, sales, stock, tokens

# Path converters, not regexes; `str` ids reach the view, which answers 404 for any
# that is not a number (a problem, like every API error).
router = SimpleRouter(use_regex_path=False)
router.register("items", catalog.ItemViewSet, basename="item")
router.register("categories", catalog.CategoryViewSet, basename="category")
router.register("stores", catalog.StoreViewSet, basename="store")
router.register("suppliers", catalog.SupplierViewSet, basename="supplier")
router.register("customers", catalog.CustomerViewSet, basename="customer")
router.register("stock", stock.StockViewSet, basename="stock")
router.register("lots", stock.LotViewSet, basename="lot")
router.register("movements", movements.MovementViewSet, basename="movement")
router.register("purchase-orders", purchasing.PurchaseOrderViewSet, basename="purchase-order")
router.register("sales-orders", sales.SalesOrderViewSet, basename="sales-order")
router.register("audit-events", audit.AuditEventViewSet, basename="audit-event")
router.register("alerts", audit.AlertViewSet, basename="alert")

v1 = [
    *router.urls,
    path("transfers/", stock.TransferView.as_view(), name="transfer"),
    path("adjustments/", stock.AdjustmentView.as_view(), name="adjustment"),
    path("stock-counts/", counts.StockCountView.as_view(), name="stock-count"),
]

api_patterns = [
    path("v1/", include(v1)),
    path("schema/", docs.SchemaView.as_view(), name="schema"),
    path("docs/", docs.swagger_ui, name="swagger-ui"),
    path("redoc/", docs.redoc, name="redoc"),
    # Anything else under /api/ is a 404 problem, not the site's HTML page.
    path("<path:rest>", docs.not_found, name="not-found"),
]

urlpatterns = [
    path("api/", include((api_patterns, "api"))),
    *tokens.urlpatterns,
]
