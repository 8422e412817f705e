"""Sales orders: drafts, confirm (reserve), ship, cancel, returns, and the quick sale,
each through inventory.services.sales. Staff and up, as on the web screens."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from inventory.models import SalesOrderLine
from inventory.rules import ALL
from inventory.services.sales import (
    sales_order_cancel,
    sales_order_confirm,
    sales_order_create,
    sales_order_return,
    sales_order_ship,
    sales_order_update,
    sales_quick_sale,
)

from ..filters import SalesOrderFilter
from ..idempotency import Outcome, run_idempotent
from ..pagination import NewestFirstPagination
from ..problems import Problem
from ..schema import KEY_OPTIONAL, KEY_REQUIRED
from ..serializers.orders import (
    ReturnInput,
    SalesOrderInput,
    SalesOrderSerializer,
    SalesResultSerializer,
    ShipInput,
)
from .base import ApiViewMixin
from .orders import result_body, sales_order_body, sales_orders


def _order_fields(data) -> dict:
    fields = dict(data)
    fields["lines"] = [(ln["item"], ln["quantity"], ln["unit_price"]) for ln in fields["lines"]]
    return fields


def _shipments(lines) -> dict:
    """{line id: quantity}, each quantity as sent, for the service to check one by one.

    A line named twice is refused rather than summed: summed, "2" and "-1" would ship 1
    and hide a quantity the service never saw (receipts differ: each is its own lot).
    """
    shipments = {}
    for entry in lines:
        if entry["line"] in shipments:
            message = (
                f"Line {entry['line']} is named twice; send it once with the whole "
                "quantity to ship."
            )
            raise Problem(
                400, "validation", "Invalid request", message, errors={"lines": [message]}
            )
        shipments[entry["line"]] = entry["quantity"]
    return shipments


class SalesOrderViewSet(
    ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = SalesOrderSerializer
    filterset_class = SalesOrderFilter
    http_method_names = ["get", "post", "put", "head", "options"]

    pagination_class = NewestFirstPagination

    def get_queryset(self):
        return sales_orders().order_by("-pk")

    @extend_schema(
        request=SalesOrderInput, responses={201: SalesOrderSerializer}, parameters=[KEY_OPTIONAL]
    )
    def create(self, request):
        """Record a DRAFT order; nothing is reserved until it is confirmed."""

        def handler(_key):
            data = SalesOrderInput(data=request.data)
            data.is_valid(raise_exception=True)
            order = sales_order_create(actor=self.actor(), **_order_fields(data.validated_data))
            return Outcome(201, sales_order_body(order.pk))

        return run_idempotent(request, handler, required=False)

    @extend_schema(request=SalesOrderInput, responses=SalesOrderSerializer)
    def update(self, request, pk=None):
        """Replace a DRAFT order's header and lines (PUT: a retry sets the same values)."""
        order = self.get_object()
        data = SalesOrderInput(data=request.data)
        data.is_valid(raise_exception=True)
        sales_order_update(actor=self.actor(), order=order, **_order_fields(data.validated_data))
        return Response(sales_order_body(order.pk))

    def _stock_action(self, request, call, *, takes_body=False):
        order = self.get_object()

        def handler(key):
            if not takes_body:
                self.refuse_any_body(request)
            result = call(order, key)
            body = result_body(sales_order_body(order.pk), result.stock)
            return Outcome(200, body, result.replayed)

        return run_idempotent(request, handler, required=True)

    @extend_schema(request=None, responses=SalesResultSerializer, parameters=[KEY_REQUIRED])
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        """Confirm a DRAFT: reserve every line, all or nothing (a shortage names each line)."""
        return self._stock_action(
            request,
            lambda order, key: sales_order_confirm(
                actor=self.actor(), order=order, idempotency_key=key
            ),
        )

    @extend_schema(request=None, responses=SalesResultSerializer, parameters=[KEY_REQUIRED])
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel; what is still reserved is released, what was shipped stays shipped."""
        return self._stock_action(
            request,
            lambda order, key: sales_order_cancel(
                actor=self.actor(), order=order, idempotency_key=key
            ),
        )

    @extend_schema(request=ShipInput, responses=SalesResultSerializer, parameters=[KEY_REQUIRED])
    @action(detail=True, methods=["post"])
    def ship(self, request, pk=None):
        """Ship part or all of each line from its reservation (omit `lines` to ship all)."""

        def call(order, key):
            data = ShipInput(data=request.data)
            data.is_valid(raise_exception=True)
            lines = data.validated_data.get("lines")
            # Everything reserved is read by the service once it holds the order's lock:
            # figures read here could be stale by then (another till shipped some).
            shipments = ALL if lines is None else _shipments(lines)
            return sales_order_ship(
                actor=self.actor(), order=order, shipments=shipments, idempotency_key=key
            )

        return self._stock_action(request, call, takes_body=True)

    @extend_schema(
        request=ReturnInput, responses={201: SalesResultSerializer}, parameters=[KEY_REQUIRED]
    )
    @action(detail=True, methods=["post"])
    def returns(self, request, pk=None):
        """Take back part of a shipped line (into its lots, or quarantine when QC applies)."""
        order = self.get_object()

        def handler(key):
            data = ReturnInput(data=request.data)
            data.is_valid(raise_exception=True)
            line = (
                SalesOrderLine.objects.select_related("order", "item")
                .filter(pk=data.validated_data["line"], order=order)
                .first()
            )
            if line is None:
                raise Problem(
                    400,
                    "validation",
                    "Invalid request",
                    f"That line does not belong to {order.number}.",
                    errors={"line": [f"That line does not belong to {order.number}."]},
                )
            result = sales_order_return(
                actor=self.actor(),
                line=line,
                quantity=data.validated_data["quantity"],
                note=data.validated_data["note"],
                damaged=data.validated_data["damaged"],
                idempotency_key=key,
            )
            body = result_body(sales_order_body(order.pk), result.stock)
            return Outcome(201, body, result.replayed)

        return run_idempotent(request, handler, required=True)

    @extend_schema(
        request=SalesOrderInput, responses={201: SalesResultSerializer}, parameters=[KEY_REQUIRED]
    )
    @action(detail=False, methods=["post"], url_path="quick")
    def quick_sale(self, request):
        """A counter sale: create, confirm and ship in one step, or record nothing at all."""

        def handler(key):
            data = SalesOrderInput(data=request.data)
            data.is_valid(raise_exception=True)
            result = sales_quick_sale(
                actor=self.actor(), **_order_fields(data.validated_data), idempotency_key=key
            )
            written = None if result.replayed else (result.order, result.lines)
            body = result_body(sales_order_body(result.order.pk, written=written), result.stock)
            return Outcome(201, body, result.replayed)

        return run_idempotent(request, handler, required=True)
