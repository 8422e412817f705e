"""Stock levels (by item, by store, by lot), lots with their QC actions, stock actions."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView, get_object_or_404
from rest_framework.response import Response

from accounts.roles import Role
from inventory.models import Item, StockBalance, Store
from inventory.selectors.levels import stock_level_list
from inventory.services.qc import lot_approve, lot_quarantine, lot_reject, lot_set_expiry
from inventory.services.stock import stock_adjust, stock_transfer, stock_transfer_lines

from ..filters import LotBalanceFilter, LotFilter, StockLevelFilter
from ..idempotency import Outcome, run_idempotent
from ..pagination import NewestFirstPagination
from ..schema import KEY_OPTIONAL, KEY_REQUIRED
from ..selectors import item_stock, lot_balances, lot_list, operation_movements
from ..serializers.stock import (
    AdjustmentInput,
    ItemStockSerializer,
    LotBalanceSerializer,
    LotDecisionInput,
    LotExpiryInput,
    LotRejectInput,
    LotSerializer,
    MovementSerializer,
    StockLevelSerializer,
    StockResultSerializer,
    TransferInput,
)
from .base import ApiViewMixin


def stock_result_body(result) -> dict:
    return {
        "operation": result.operation.pk,
        "movements": MovementSerializer(operation_movements(result.operation), many=True).data,
    }


class StockViewSet(ApiViewMixin, viewsets.GenericViewSet):
    """Stock figures: on hand, reserved, available, quarantined and expired."""

    serializer_class = StockLevelSerializer
    # The filter set parses and documents the query; the selector does the filtering.
    filterset_class = StockLevelFilter
    queryset = StockBalance.objects.none()  # for the schema; rows come from the selectors

    def _query(self, filter_class) -> dict:
        filterset = filter_class(self.request.query_params)
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        return filterset.form.cleaned_data

    def _params(self) -> dict:
        data = self._query(StockLevelFilter)
        return {
            "store": data.get("store"),
            "item": data.get("item"),
            "search": (data.get("q") or "").strip()[:100],
            "low_only": bool(data.get("low")),
        }

    def _page(self, rows):
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(StockLevelSerializer(page, many=True).data)

    @extend_schema(responses=StockLevelSerializer(many=True))
    def list(self, request):
        """Figures per item and store; filter by store, item, text (`q`) or `low=true`."""
        return self._page(stock_level_list(**self._params()))

    # The store is the path's: a `store` in the query is not read, so not documented.
    @extend_schema(
        responses=StockLevelSerializer(many=True),
        parameters=[OpenApiParameter("store", exclude=True)],
    )
    @action(detail=False, methods=["get"], url_path="by_store/<str:store_id>")
    def by_store(self, request, store_id=None):
        """Figures of every item stocked in one store."""
        params = self._params()
        params["store"] = get_object_or_404(Store, pk=store_id)
        return self._page(stock_level_list(**params))

    @extend_schema(filters=False, responses=ItemStockSerializer)
    @action(detail=False, methods=["get"], url_path="by_item/<str:item_id>")
    def by_item(self, request, item_id=None):
        """One item: its totals, and its figures in each store that stocks it."""
        item = get_object_or_404(Item, pk=item_id)
        return Response(ItemStockSerializer(item_stock(item=item)).data)

    @extend_schema(responses=LotBalanceSerializer(many=True))
    @action(detail=False, methods=["get"], filterset_class=LotBalanceFilter)
    def by_lot(self, request):
        """Balances per lot and store, earliest expiry first; filter by item, store or lot."""
        data = self._query(LotBalanceFilter)
        rows = lot_balances(item=data.get("item"), store=data.get("store"), lot=data.get("lot"))
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(LotBalanceSerializer(page, many=True).data)


class LotViewSet(
    ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Lots, emptied ones too (`in_stock=true|false` tells them apart; `awaiting_qc=true`
    lists what the QC queue shows); Managers approve, reject (with a `note` saying why) or
    quarantine them."""

    serializer_class = LotSerializer
    filterset_class = LotFilter
    # Every receipt makes a lot, so the list grows at its top: a cursor, not numbered
    # pages, lest a client paging through it read a lot twice while goods arrive.
    pagination_class = NewestFirstPagination
    action_roles = {
        "approve": Role.MANAGER,
        "reject": Role.MANAGER,
        "quarantine": Role.MANAGER,
        "expiry": Role.MANAGER,
    }

    def get_queryset(self):
        return lot_list()

    def _decide(self, request, service, input_class):
        lot = self.get_object()

        def handler(_key):
            data = input_class(data=request.data)
            data.is_valid(raise_exception=True)
            decided = service(actor=self.actor(), lot=lot, note=data.validated_data["note"])
            return Outcome(200, LotSerializer(lot_list().get(pk=decided.pk)).data)

        return run_idempotent(request, handler, required=False)

    @extend_schema(request=LotDecisionInput, responses=LotSerializer, parameters=[KEY_OPTIONAL])
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve a lot in quarantine: its stock becomes available."""
        return self._decide(request, lot_approve, LotDecisionInput)

    @extend_schema(request=LotRejectInput, responses=LotSerializer, parameters=[KEY_OPTIONAL])
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Reject a lot for good, saying why in `note` (`reason`, its former name, is
        deprecated). Orders that reserved it keep their reservations and ship from other
        lots."""
        return self._decide(request, lot_reject, LotRejectInput)

    @extend_schema(request=LotDecisionInput, responses=LotSerializer, parameters=[KEY_OPTIONAL])
    @action(detail=True, methods=["post"])
    def quarantine(self, request, pk=None):
        """Put an approved lot back on hold. Orders that reserved it keep their
        reservations and ship from other lots."""
        return self._decide(request, lot_quarantine, LotDecisionInput)

    @extend_schema(request=LotExpiryInput, responses=LotSerializer, parameters=[KEY_OPTIONAL])
    @action(detail=True, methods=["post"])
    def expiry(self, request, pk=None):
        """Correct the expiry date a lot was received with. Its stock goes out of sale (a
        date before today) or back on sale at once; the same date again changes nothing."""
        lot = self.get_object()

        def handler(_key):
            data = LotExpiryInput(data=request.data)
            data.is_valid(raise_exception=True)
            lot_set_expiry(actor=self.actor(), lot=lot, **data.validated_data)
            return Outcome(200, LotSerializer(lot_list().get(pk=lot.pk)).data)

        return run_idempotent(request, handler, required=False)


class StockDocumentView(ApiViewMixin, GenericAPIView):
    """A Manager's POST that records one stock document through `service`, once per
    Idempotency-Key: the input validated by `serializer_class`, 201 with the movements."""

    required_role = Role.MANAGER
    service = None  # staticmethod(the stock service)

    def post_document(self, request):
        def handler(key):
            data = self.serializer_class(data=request.data)
            data.is_valid(raise_exception=True)
            result = self.service(actor=self.actor(), **data.validated_data, idempotency_key=key)
            return Outcome(201, stock_result_body(result), result.replayed)

        return run_idempotent(request, handler, required=True)


def _transfer(*, lines=None, item=None, quantity=None, lot=None, **document):
    """A transfer's body to its service: one item, or several lines at once."""
    if lines is None:
        return stock_transfer(item=item, quantity=quantity, lot=lot, **document)
    moves = [(line["item"], line["quantity"], line["lot"]) for line in lines]
    return stock_transfer_lines(lines=moves, **document)


class TransferView(StockDocumentView):
    serializer_class = TransferInput
    service = staticmethod(_transfer)

    @extend_schema(
        request=TransferInput, responses={201: StockResultSerializer}, parameters=[KEY_REQUIRED]
    )
    def post(self, request):
        """Move stock of an item, or of several (`lines`, all or nothing), from one store to
        another (earliest expiry first, unless a lot is named)."""
        return self.post_document(request)


class AdjustmentView(StockDocumentView):
    serializer_class = AdjustmentInput
    service = staticmethod(stock_adjust)

    @extend_schema(
        request=AdjustmentInput, responses={201: StockResultSerializer}, parameters=[KEY_REQUIRED]
    )
    def post(self, request):
        """Correct the stock of one lot in one store, with a reason (count, damage, loss...)."""
        return self.post_document(request)
