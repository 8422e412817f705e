"""Catalogue screens (Manager and Admin): lists, create, edit, deactivate and activate.

Categories, stores, suppliers and customers each get a list with search, filters,
a whitelisted `?sort=` and pagination; items get create, edit and (de)activate here
(their list and detail pages live in views/items.py). Nothing is ever deleted.
Every change goes form -> inventory.services.catalog -> message and redirect.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.db.models import Model
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import DetailView, FormView, ListView, View

from accounts.permissions import ManagerRequiredMixin
from inventory.exceptions import InventoryError
from inventory.filters.catalog import CategoryFilter, CustomerFilter, StoreFilter, SupplierFilter
from inventory.forms.catalog import (
    CategoryForm,
    CustomerForm,
    ItemForm,
    StoreForm,
    SupplierForm,
)
from inventory.models import Category, Customer, Item, Store, Supplier
from inventory.selectors import catalog as catalog_selectors
from inventory.services import catalog as services

from .common import actor_for, attach_error, filtered, sort_columns
from .paging import keyset_page_for

PER_PAGE = 25


@dataclass(frozen=True)
class Area:
    """One catalogue model's screens: its form, filter, services and URL names."""

    model: type[Model]
    form: Any
    key: str  # the services' keyword for the row: item=, store=, ...
    list_name: str | None  # None for items: their list is views/items.py
    after_save: str  # URL name to go to after create or edit

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name)

    @property
    def detail_url_name(self) -> str:
        return f"inventory:{self.key}_detail"

    @property
    def plural(self) -> str:
        return str(self.model._meta.verbose_name_plural).capitalize()

    def service(self, action: str):
        return getattr(services, f"{self.key}_{action}")

    def url_after_save(self, obj) -> str:
        if self.after_save.endswith("_list"):
            return reverse(f"inventory:{self.after_save}")
        return reverse(f"inventory:{self.after_save}", args=[obj.pk])


ITEMS = Area(Item, ItemForm, "item", None, "item_detail")
CATEGORIES = Area(Category, CategoryForm, "category", "category_list", "category_list")
STORES = Area(Store, StoreForm, "store", "store_list", "store_list")
SUPPLIERS = Area(Supplier, SupplierForm, "supplier", "supplier_list", "supplier_detail")
CUSTOMERS = Area(Customer, CustomerForm, "customer", "customer_list", "customer_detail")


# Suppliers and customers share one list layout.
PARTY_LIST = "inventory/catalog/party_list.html"
PARTY_COLUMNS = (
    ("name", "Name"),
    ("email", "Email"),
    ("orders", "Last order"),
    ("active", "Status"),
)


class CatalogListView(ManagerRequiredMixin, ListView):
    """A filtered, sorted, paginated list. `columns` names the sortable columns."""

    area: Area | None = None
    filterset_class: Any = None
    selector: Any = None
    columns: tuple[tuple[str, str], ...] = ()  # (sort parameter, heading)
    paginate_by = PER_PAGE

    def get_queryset(self):
        self.filterset = self.filterset_class(self.request.GET or None, queryset=self.selector())
        qs = self.filterset.qs
        # A stable order (primary key last) so pages never repeat or skip a row.
        return qs.order_by(*(qs.query.order_by or self.area.model._meta.ordering), "pk")

    template_name: str | None = None  # default: inventory/catalog/<key>_list.html

    def get_template_names(self):
        return [self.template_name or f"inventory/catalog/{self.area.key}_list.html"]

    def _sort_columns(self):
        current = self.filterset.form.cleaned_data.get("sort") if self.filterset.is_bound else None
        return sort_columns((current or [""])[0], self.columns)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            area=self.area,
            filter=self.filterset,
            page=context["page_obj"],
            sort_columns=self._sort_columns(),
            create_url=reverse(f"inventory:{self.area.key}_create"),
            # An empty list says "none yet, add the first" unless filters emptied it.
            filtered=filtered(self.request),
        )
        return context


class CatalogFormView(ManagerRequiredMixin, FormView):
    """Create (no pk) or edit (pk) one catalogue row through its service."""

    area: Area | None = None
    template_name = "inventory/catalog/form.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = None

    def get_object(self):
        if "pk" in self.kwargs and self.object is None:
            self.object = get_object_or_404(self.area.model, pk=self.kwargs["pk"])
        return self.object

    def get_form_class(self):
        return self.area.form

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        obj = self.get_object()
        if obj is not None:
            # A copy: the form writes its input onto the instance, the page shows the saved row.
            kwargs["instance"] = self.area.model.objects.get(pk=obj.pk)
        return kwargs

    def form_valid(self, form):
        actor = actor_for(self.request)
        obj = self.get_object()
        try:
            if obj is None:
                obj = self.area.service("create")(actor=actor, data=form.service_data)
                verb = "created"
            else:
                obj = self.area.service("update")(
                    actor=actor, **{self.area.key: obj}, data=form.service_data
                )
                verb = "saved"
        except InventoryError as exc:
            attach_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"{self.area.label.capitalize()} {obj} {verb}.")
        return redirect(self.area.url_after_save(obj))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        obj = self.get_object()
        if obj is None:
            title = f"New {self.area.label}"
            cancel = (
                reverse(f"inventory:{self.area.list_name}") if self.area.list_name else "/items/"
            )
        else:
            title = f"Edit {self.area.label} {obj}"
            cancel = self.area.url_after_save(obj)
        context.update(area=self.area, object=obj, title=title, cancel_url=cancel)
        return context


class CatalogSetActiveView(ManagerRequiredMixin, View):
    """POST only: deactivate or activate a row, then go back where the button was."""

    http_method_names = ["post"]
    area: Area | None = None
    active = False

    def post(self, request, pk):
        obj = get_object_or_404(self.area.model, pk=pk)
        action = "activate" if self.active else "deactivate"
        try:
            obj = self.area.service(action)(actor=actor_for(request), **{self.area.key: obj})
        except InventoryError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"{self.area.label.capitalize()} {obj} {action}d.")
        return redirect(self._next_url(obj))

    def _next_url(self, obj) -> str:
        target = self.request.POST.get("next", "")
        if target.startswith("/") and url_has_allowed_host_and_scheme(
            target, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        ):
            return target
        return self.area.url_after_save(obj)


def _period_days(request) -> int:
    """Return the figures' period chosen by ?days= (30, 90 or 365), else 30."""
    days = request.GET.get("days", "")
    return int(days) if days in {str(d) for d in catalog_selectors.PERIOD_DAYS} else 30


class PartyDetailView(ManagerRequiredMixin, DetailView):
    """A supplier or customer page: a keyset page of its orders, figures for a period."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        days = _period_days(self.request)
        context["page"] = keyset_page_for(self.request, self.orders(), per_page=PER_PAGE)
        context["days"] = days
        context["period_days"] = catalog_selectors.PERIOD_DAYS
        context.update(self.figures(since=catalog_selectors.period_start(days)))
        return context


class SupplierDetailView(PartyDetailView):
    """A supplier, its purchase orders and what has been received from it lately."""

    model = Supplier
    template_name = "inventory/catalog/supplier_detail.html"
    context_object_name = "supplier"

    def orders(self):
        return catalog_selectors.supplier_purchase_orders(supplier=self.object)

    def figures(self, *, since):
        return {"received": catalog_selectors.supplier_received(supplier=self.object, since=since)}


class CustomerDetailView(PartyDetailView):
    """A customer, their sales orders and recent totals."""

    model = Customer
    template_name = "inventory/catalog/customer_detail.html"
    context_object_name = "customer"

    def orders(self):
        return catalog_selectors.customer_sales_orders(customer=self.object)

    def figures(self, *, since):
        return {"totals": catalog_selectors.customer_totals(customer=self.object, since=since)}


def _area_urls(prefix: str, area: Area, *, list_view=None) -> list:
    key = area.key
    urls = [
        path(f"{prefix}/new/", CatalogFormView.as_view(area=area), name=f"{key}_create"),
        path(f"{prefix}/<int:pk>/edit/", CatalogFormView.as_view(area=area), name=f"{key}_edit"),
        path(
            f"{prefix}/<int:pk>/deactivate/",
            CatalogSetActiveView.as_view(area=area, active=False),
            name=f"{key}_deactivate",
        ),
        path(
            f"{prefix}/<int:pk>/activate/",
            CatalogSetActiveView.as_view(area=area, active=True),
            name=f"{key}_activate",
        ),
    ]
    if list_view is not None:
        urls.insert(0, path(f"{prefix}/", list_view, name=area.list_name))
    return urls


urlpatterns = [
    *_area_urls("items", ITEMS),
    *_area_urls(
        "categories",
        CATEGORIES,
        list_view=CatalogListView.as_view(
            area=CATEGORIES,
            filterset_class=CategoryFilter,
            selector=catalog_selectors.category_list,
            columns=(("name", "Name"), ("items", "Items"), ("active", "Status")),
        ),
    ),
    *_area_urls(
        "stores",
        STORES,
        list_view=CatalogListView.as_view(
            area=STORES,
            filterset_class=StoreFilter,
            selector=catalog_selectors.store_list,
            columns=(("code", "Code"), ("name", "Name"), ("kind", "Kind"), ("active", "Status")),
        ),
    ),
    *_area_urls(
        "suppliers",
        SUPPLIERS,
        list_view=CatalogListView.as_view(
            area=SUPPLIERS,
            filterset_class=SupplierFilter,
            selector=catalog_selectors.supplier_list,
            columns=PARTY_COLUMNS,
            template_name=PARTY_LIST,
        ),
    ),
    path("suppliers/<int:pk>/", SupplierDetailView.as_view(), name="supplier_detail"),
    *_area_urls(
        "customers",
        CUSTOMERS,
        list_view=CatalogListView.as_view(
            area=CUSTOMERS,
            filterset_class=CustomerFilter,
            selector=catalog_selectors.customer_list,
            columns=PARTY_COLUMNS,
            template_name=PARTY_LIST,
        ),
    ),
    path("customers/<int:pk>/", CustomerDetailView.as_view(), name="customer_detail"),
]
