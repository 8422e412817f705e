from django.contrib import admin
from django.urls import include, path

from inventory.views.home import home

from .health import favicon, healthz

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    # Browsers ask for /favicon.ico on pages without an icon link (the Django admin).
    path("favicon.ico", favicon, name="favicon"),
    path("", home, name="home"),
    path("", include("accounts.urls")),
    path("", include("inventory.urls")),
    path("", include("api.urls")),  # /api/ (REST API, schema, docs) and the API tokens page
]

# Styled pages that render without the database (see errors.py).
handler400 = "inventory_system.errors.bad_request"
handler403 = "inventory_system.errors.permission_denied"
handler404 = "inventory_system.errors.page_not_found"
handler500 = "inventory_system.errors.server_error"
