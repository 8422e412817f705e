from django.contrib import admin
from django.urls import include, path

from inventory.views.home import home

from .health import healthz

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("", home, name="home"),
    path("", include("accounts.urls")),
    path("", include("inventory.urls")),
]
