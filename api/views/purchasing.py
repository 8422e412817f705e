"""Purchase orders: drafts (Managers), placing and cancelling (Managers), receipts and
direct purchases (Staff and up), each through inventory.services.purchasing."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.roles import Role
from inventory.rules import ALL
from inventory.services.purchasing import (
    purchase_direct,
    purchase_order_cancel,
    purchase_order_create,
    purchase_order_place,
    purchase_order_receive,
    purchase_order_update,
)

from ..filters import PurchaseOrderFilter
from ..idempotency import Outcome, run_idempotent
from ..pagination import NewestFirstPagination
from ..schema import KEY_OPTIONAL, KEY_REQUIRED
from ..serializers.orders import (
    DirectPurchaseInput,
    PurchaseOrderInput,
    PurchaseOrderSerializer,
    ReceiptResultSerializer,
    ReceiveInput,
)
from .base import ApiViewMixin
from .orders import purchase_order_body, purchase_orders, result_body


def _order_lines(lines) -> list[tuple]:
    return [(line["item"], line["quantity"], line["unit_cost"]) for line in lines]


class PurchaseOrderViewSet(
    ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = PurchaseOrderSerializer
    filterset_class = PurchaseOrderFilter
    http_method_names = ["get", "post", "put", "head", "options"]
    action_roles = {
        "create": Role.MANAGER,
        "update": Role.MANAGER,
        "place": Role.MANAGER,
        "cancel": Role.MANAGER,
    }

    pagination_class = NewestFirstPagination

    def get_queryset(self):
        return purchase_orders().order_by("-pk")

    @extend_schema(
        request=PurchaseOrderInput,
        responses={201: PurchaseOrderSerializer},
        parameters=[KEY_OPTIONAL],
    )
    def create(self, request):
        """Create a DRAFT order with its lines (a blank unit cost takes the item's)."""

        def handler(_key):
            data = PurchaseOrderInput(data=request.data)
            data.is_valid(raise_exception=True)
            fields = dict(data.validated_data)
            lines = _order_lines(fields.pop("lines"))
            order = purchase_order_create(actor=self.actor(), **fields, lines=lines)
            return Outcome(201, purchase_order_body(order.pk))

        return run_idempotent(request, handler, required=False)

    @extend_schema(request=PurchaseOrderInput, responses=PurchaseOrderSerializer)
    def update(self, request, pk=None):
        """Replace a DRAFT order's header and lines (PUT: a retry sets the same values)."""
        order = self.get_object()
        data = PurchaseOrderInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        lines = _order_lines(fields.pop("lines"))
        purchase_order_update(actor=self.actor(), order=order, **fields, lines=lines)
        return Response(purchase_order_body(order.pk))

    def _transition(self, request, service):
        order = self.get_object()

        def handler(_key):
            self.refuse_any_body(request)
            service(actor=self.actor(), order=order)
            return Outcome(200, purchase_order_body(order.pk))

        return run_idempotent(request, handler, required=False)

    @extend_schema(request=None, responses=PurchaseOrderSerializer, parameters=[KEY_OPTIONAL])
    @action(detail=True, methods=["post"])
    def place(self, request, pk=None):
        """Place a DRAFT order with its supplier (it becomes ORDERED)."""
        return self._transition(request, purchase_order_place)

    @extend_schema(request=None, responses=PurchaseOrderSerializer, parameters=[KEY_OPTIONAL])
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel a DRAFT or ORDERED order."""
        return self._transition(request, purchase_order_cancel)

    @extend_schema(
        request=ReceiveInput,
        responses={201: ReceiptResultSerializer},
        parameters=[KEY_REQUIRED],
    )
    @action(detail=True, methods=["post"])
    def receive(self, request, pk=None):
        """Receive part or all of an ORDERED or PARTIALLY_RECEIVED order into lots."""
        order = self.get_object()

        def handler(key):
            data = ReceiveInput(data=request.data)
            data.is_valid(raise_exception=True)
            receipts = data.validated_data.get("receipts")
            if data.validated_data["all"]:  # what is outstanding once the order is locked
                receipts = ALL
            result = purchase_order_receive(
                actor=self.actor(), order=order, receipts=receipts, idempotency_key=key
            )
            body = result_body(purchase_order_body(order.pk), result.stock)
            return Outcome(201, body, result.replayed)

        return run_idempotent(request, handler, required=True)

    @extend_schema(
        request=DirectPurchaseInput,
        responses={201: ReceiptResultSerializer},
        parameters=[KEY_REQUIRED],
    )
    @action(detail=False, methods=["post"])
    def direct(self, request):
        """Record goods that arrived without an order: a RECEIVED order and its lots at once."""

        def handler(key):
            data = DirectPurchaseInput(data=request.data)
            data.is_valid(raise_exception=True)
            fields = dict(data.validated_data)
            result = purchase_direct(actor=self.actor(), **fields, idempotency_key=key)
            body = result_body(purchase_order_body(result.order.pk), result.stock)
            return Outcome(201, body, result.replayed)

        return run_idempotent(request, handler, required=True)
