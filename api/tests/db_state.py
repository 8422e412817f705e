"""What a refused API call must leave unchanged, in one comparable value."""

from api.models import IdempotentRequest
from inventory.models import (
    AuditEvent,
    Category,
    Item,
    LedgerEntry,
    Operation,
    PurchaseOrder,
    PurchaseOrderLine,
    SalesOrder,
    SalesOrderLine,
    StockBalance,
)


def db_state() -> dict:
    return {
        "ledger": LedgerEntry.objects.count(),
        "operations": Operation.objects.count(),
        "audit": AuditEvent.objects.count(),
        "stored answers": IdempotentRequest.objects.count(),
        "categories": Category.objects.count(),
        "items": sorted(Item.objects.values_list("pk", "unit_price", "unit_cost")),
        "purchase orders": sorted(PurchaseOrder.objects.values_list("pk", "status")),
        "purchase lines": sorted(
            PurchaseOrderLine.objects.values_list(
                "pk", "quantity_ordered", "quantity_received", "unit_cost"
            )
        ),
        "sales orders": sorted(SalesOrder.objects.values_list("pk", "status")),
        "sales lines": sorted(
            SalesOrderLine.objects.values_list(
                "pk", "quantity", "quantity_reserved", "quantity_shipped"
            )
        ),
        "balances": sorted(StockBalance.objects.values_list("pk", "on_hand", "reserved")),
    }
