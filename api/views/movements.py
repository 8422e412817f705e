"""Movements (the ledger): read-only, the web screen's filters, cursor pages; reversals."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action

from accounts.roles import Role
from inventory.filters.ledger import LedgerEntryFilter
from inventory.models import LedgerEntry
from inventory.services.stock import ledger_entry_reverse

from ..idempotency import Outcome, run_idempotent
from ..pagination import MovementCursorPagination
from ..schema import KEY_REQUIRED
from ..serializers.stock import MovementSerializer, ReversalInput, StockResultSerializer
from .base import ApiViewMixin
from .stock import stock_result_body


class MovementViewSet(
    ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Every ledger row, newest first; filter by item, store, lot code, kind, user, dates."""

    serializer_class = MovementSerializer
    filterset_class = LedgerEntryFilter
    pagination_class = MovementCursorPagination
    action_roles = {"reverse": Role.MANAGER}

    def get_queryset(self):
        # Ordered by -id (the cursor's key): at a million rows a page is one index range.
        return LedgerEntry.objects.select_related("item", "store", "lot", "actor").order_by("-id")

    @extend_schema(
        request=ReversalInput, responses={201: StockResultSerializer}, parameters=[KEY_REQUIRED]
    )
    @action(detail=True, methods=["post"])
    def reverse(self, request, pk=None):
        """Compensate this movement with its opposite; a movement is reversed at most once."""
        entry = self.get_object()

        def handler(key):
            data = ReversalInput(data=request.data)
            data.is_valid(raise_exception=True)
            result = ledger_entry_reverse(
                actor=self.actor(),
                entry=entry,
                note=data.validated_data["note"],
                idempotency_key=key,
            )
            return Outcome(201, stock_result_body(result), result.replayed)

        return run_idempotent(request, handler, required=True)
