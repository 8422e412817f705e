"""POST /api/v1/stock-counts/: a scanner's or a till's stock count, as the web's count sheet."""

from drf_spectacular.utils import extend_schema

from inventory.services.counts import stock_count

from ..schema import KEY_REQUIRED
from ..serializers.stock import CountInput, StockResultSerializer
from .stock import StockDocumentView


class StockCountView(StockDocumentView):
    serializer_class = CountInput
    service = staticmethod(stock_count)

    @extend_schema(
        request=CountInput, responses={201: StockResultSerializer}, parameters=[KEY_REQUIRED]
    )
    def post(self, request):
        """Record what was found of some lots in one store; each difference is a COUNT
        adjustment, and a lot whose stock moved since `expected` refuses the count. A line
        may name an `item` instead of a `lot` (loose goods counted in bulk): its figure is
        spread over the item's approved lots in the store, the oldest counted down first."""
        return self.post_document(request)
