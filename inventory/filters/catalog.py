"""Filters for the catalogue lists: a search box, active or inactive, and a whitelisted sort.

`?sort=` accepts only the names listed in each FilterSet's OrderingFilter (with a
leading "-" for descending); anything else is ignored and the default order holds.
"""

from functools import reduce
from operator import or_

import django_filters
from django.db.models import Q

from inventory.models import Category, Customer, Store, Supplier

STATUS_CHOICES = [("active", "Active"), ("inactive", "Inactive")]


class CatalogFilter(django_filters.FilterSet):
    """Base: `q` searches `search_fields` (icontains), `status` picks active or inactive rows."""

    search_fields: tuple[str, ...] = ("name",)

    q = django_filters.CharFilter(method="filter_search", label="Search")
    status = django_filters.ChoiceFilter(
        choices=STATUS_CHOICES, method="filter_status", label="Status", empty_label="All"
    )

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            reduce(or_, (Q(**{f"{field}__icontains": value}) for field in self.search_fields))
        )

    def filter_status(self, queryset, name, value):
        return queryset.filter(is_active=(value == "active"))


class CategoryFilter(CatalogFilter):
    search_fields = ("name", "description")
    sort = django_filters.OrderingFilter(
        fields=(("name", "name"), ("item_count", "items"), ("is_active", "active")),
        label="Sort",
    )

    class Meta:
        model = Category
        fields: list[str] = []


class StoreFilter(CatalogFilter):
    search_fields = ("code", "name", "address", "contact")
    kind = django_filters.ChoiceFilter(choices=Store.Kind.choices, empty_label="Any kind")
    sort = django_filters.OrderingFilter(
        fields=(("code", "code"), ("name", "name"), ("kind", "kind"), ("is_active", "active")),
        label="Sort",
    )

    class Meta:
        model = Store
        fields: list[str] = []


class PartyFilter(CatalogFilter):
    """Suppliers and customers: the same search and the same sort columns."""

    search_fields = ("name", "email", "phone", "address")
    sort = django_filters.OrderingFilter(
        fields=(
            ("name", "name"),
            ("email", "email"),
            ("last_order_at", "orders"),  # ?sort=orders: by the newest order
            ("is_active", "active"),
        ),
        label="Sort",
    )


class SupplierFilter(PartyFilter):
    class Meta:
        model = Supplier
        fields: list[str] = []


class CustomerFilter(PartyFilter):
    class Meta:
        model = Customer
        fields: list[str] = []
