"""Catalogue: items, categories, stores, suppliers, customers.

Everyone with a role reads; Managers and Admins create, update and (de)activate,
through the catalogue services. Nothing is deleted.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.roles import Role
from inventory.filters.catalog import CategoryFilter, CustomerFilter, StoreFilter, SupplierFilter
from inventory.models import Item
from inventory.selectors.catalog import category_list, customer_list, store_list, supplier_list
from inventory.selectors.stock import items_with_stock
from inventory.services import catalog as services

from ..filters import ItemFilter
from ..idempotency import Outcome, run_idempotent
from ..schema import KEY_OPTIONAL
from ..serializers.catalog import (
    CategorySerializer,
    CustomerSerializer,
    ItemSerializer,
    StoreSerializer,
    SupplierSerializer,
)
from .base import ApiViewMixin

WRITES = {
    "create": Role.MANAGER,
    "partial_update": Role.MANAGER,
    "deactivate": Role.MANAGER,
    "activate": Role.MANAGER,
}


class CatalogViewSet(
    ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """List, read, create, update (PATCH), deactivate and activate one kind of record."""

    http_method_names = ["get", "post", "patch", "head", "options"]
    action_roles = WRITES
    model_name = ""  # the services' noun: item_create, store_update, ...

    def _service(self, verb):
        return getattr(services, f"{self.model_name}_{verb}")

    def _answer(self, obj, status: int) -> Outcome:
        # Re-read through the list queryset so annotated figures are there too.
        fresh = self.get_queryset().get(pk=obj.pk)
        return Outcome(status=status, body=self.get_serializer(fresh).data)

    @extend_schema(parameters=[KEY_OPTIONAL])
    def create(self, request, *args, **kwargs):
        def handler(_key):
            serializer = self.get_serializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            obj = self._service("create")(actor=self.actor(), data=serializer.validated_data)
            return self._answer(obj, 201)

        return run_idempotent(request, handler, required=False)

    def partial_update(self, request, *args, **kwargs):
        obj = self.get_object()
        serializer = self.get_serializer(obj, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        updated = self._service("update")(
            actor=self.actor(), **{self.model_name: obj}, data=serializer.validated_data
        )
        # PATCH sets values, so a retry changes nothing more: no Idempotency-Key needed.
        return Response(self._answer(updated, 200).body)

    def _set_active(self, request, verb):
        obj = self.get_object()

        def handler(_key):
            self.refuse_any_body(request)
            changed = self._service(verb)(actor=self.actor(), **{self.model_name: obj})
            return self._answer(changed, 200)

        return run_idempotent(request, handler, required=False)

    @extend_schema(request=None, parameters=[KEY_OPTIONAL])
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        """Deactivate: history stays, and it can no longer be used for new documents."""
        return self._set_active(request, "deactivate")

    @extend_schema(request=None, parameters=[KEY_OPTIONAL])
    @action(detail=True, methods=["post"])
    def activate(self, request, pk=None):
        """Make a deactivated record usable again."""
        return self._set_active(request, "activate")


class ItemViewSet(CatalogViewSet):
    serializer_class = ItemSerializer
    filterset_class = ItemFilter
    model_name = "item"

    def get_queryset(self):
        return items_with_stock(Item.objects.select_related("category")).order_by("sku", "pk")


class CategoryViewSet(CatalogViewSet):
    serializer_class = CategorySerializer
    filterset_class = CategoryFilter
    model_name = "category"

    def get_queryset(self):
        return category_list().order_by("name", "pk")


class StoreViewSet(CatalogViewSet):
    serializer_class = StoreSerializer
    filterset_class = StoreFilter
    model_name = "store"

    def get_queryset(self):
        return store_list().order_by("code", "pk")


class SupplierViewSet(CatalogViewSet):
    serializer_class = SupplierSerializer
    filterset_class = SupplierFilter
    model_name = "supplier"

    def get_queryset(self):
        return supplier_list().order_by("name", "pk")


class CustomerViewSet(CatalogViewSet):
    serializer_class = CustomerSerializer
    filterset_class = CustomerFilter
    model_name = "customer"

    def get_queryset(self):
        return customer_list().order_by("name", "pk")
