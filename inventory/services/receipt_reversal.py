"""Taking back a receipt recorded against a purchase order: a mis-keyed quantity, the
wrong lot or the wrong order. The compensating RECEIVE row keeps its order line, the
line's received quantity goes down, and the order is open again for what is now
outstanding (a closed-short order or a direct purchase stays closed). The reversal
itself is any movement's (services.moves.ledger_entry_reverse), which locks the order
row first, then the balance."""

from django.db.models import F
from django.utils import timezone

from inventory.models import LedgerEntry, PurchaseOrder, PurchaseOrderLine

from .purchasing import DIRECT

Kind = LedgerEntry.Kind
Status = PurchaseOrder.Status


def status_after_reversal(order, lines, *, direct: bool) -> str:
    """What an order is once a receipt is taken back: still closed when it was closed
    (cancelled short), closed when it was a direct purchase (nothing was ever ordered to
    come: "Closed short", or "Cancelled" when nothing is left), else ordered or partly
    received by what its lines still hold."""
    if direct or order.status == Status.CANCELLED:
        return Status.CANCELLED
    if any(line.quantity_received > 0 for line in lines):
        return Status.PARTIALLY_RECEIVED
    return Status.ORDERED


def take_back_receipt(order, entry: LedgerEntry) -> dict:
    """Once its reversal is staged (services.moves.ledger_entry_reverse, under the order's
    lock): the line received that much less, and the order's status by what is left.
    Return what the audit event says of it."""
    PurchaseOrderLine.objects.filter(pk=entry.po_line_id).update(
        quantity_received=F("quantity_received") - entry.on_hand_delta
    )
    from_status = order.status
    direct = entry.operation.kind == DIRECT
    order.status = status_after_reversal(order, order.lines.all(), direct=direct)
    PurchaseOrder.objects.filter(pk=order.pk).update(status=order.status, updated_at=timezone.now())
    changed = {"from": from_status, "to": order.status} if from_status != order.status else {}
    return {
        **changed,
        "reversed": [entry.pk],
        "item": entry.item.sku,
        "lot": entry.lot.code,
        "quantity": entry.quantity,
    }
