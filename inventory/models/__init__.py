from .append_only import AppendOnlyError
from .audit import Alert, AuditEvent
from .catalog import Category, Customer, Item, Store, Supplier
from .orders import (
    EDITABLE_PURCHASE_STATUSES,
    OPEN_PURCHASE_STATUSES,
    OPEN_SALES_STATUSES,
    PURCHASE_TRANSITIONS,
    SALES_TRANSITIONS,
    UNFINISHED_SALES_STATUSES,
    PurchaseOrder,
    PurchaseOrderLine,
    SalesOrder,
    SalesOrderLine,
)
from .stock import LedgerEntry, Lot, LotDecision, Operation, QCStatus, StockBalance

__all__ = [
    "EDITABLE_PURCHASE_STATUSES",
    "PURCHASE_TRANSITIONS",
    "SALES_TRANSITIONS",
    "OPEN_PURCHASE_STATUSES",
    "OPEN_SALES_STATUSES",
    "UNFINISHED_SALES_STATUSES",
    "Alert",
    "AppendOnlyError",
    "AuditEvent",
    "Category",
    "Customer",
    "Item",
    "LedgerEntry",
    "Lot",
    "LotDecision",
    "Operation",
    "PurchaseOrder",
    "PurchaseOrderLine",
    "QCStatus",
    "SalesOrder",
    "SalesOrderLine",
    "StockBalance",
    "Store",
    "Supplier",
]
