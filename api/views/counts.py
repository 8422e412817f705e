"""POST /api/v1/stock-counts/: a scanner's or a till's stock count, as the web's count sheet."""

from drf_spectacular.utils import extend_schema
from rest_framework.generics import GenericAPIView

from accounts.roles import Role
from inventory.services.counts import stock_count

from ..idempotency import Outcome, run_idempotent
from ..schema import KEY_REQUIRED
from ..serializers.stock import CountInput, StockResultSerializer
from .base import ApiViewMixin
from .stock import stock_result_body


class StockCountView(ApiViewMixin, GenericAPIView):
    required_role = Role.MANAGER
    serializer_class = CountInput

    @extend_schema(
        request=CountInput, responses={201: StockResultSerializer}, parameters=[KEY_REQUIRED]
    )
    def post(self, request):
        """Record what was found of some lots in one store; each difference is a COUNT
        adjustment, and a lot whose stock moved since `expected` refuses the count."""

        def handler(key):
            data = CountInput(data=request.data)
            data.is_valid(raise_exception=True)
            result = stock_count(actor=self.actor(), **data.validated_data, idempotency_key=key)
            return Outcome(201, stock_result_body(result), result.replayed)

        return run_idempotent(request, handler, required=True)
