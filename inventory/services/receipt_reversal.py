"""Taking back a receipt recorded against a purchase order: a mis-keyed quantity, the
wrong lot or the wrong order. The compensating RECEIVE row keeps its order line, the
line's received quantity goes down, and the order is open again for what is now
outstanding (a closed-short order stays closed). Through the pipeline, as any
reversal: the order row first, then the balance."""

from django.db.models import F
from django.utils import timezone

from inventory import rules
from inventory.exceptions import NotReversible
from inventory.locks import lock_purchase_order
from inventory.models import LedgerEntry, PurchaseOrder, PurchaseOrderLine

from .posting import Posting, StockResult, check_take_out
from .purchasing import DIRECT
from .transactions import document_transaction, retry_on_conflict

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


@retry_on_conflict
def purchase_receipt_reverse(
    *, actor, entry: LedgerEntry, note: str = "", idempotency_key: str | None = None
) -> StockResult:
    """Reverse one RECEIVE row of a purchase order, once. Refused when that stock is no
    longer free in the lot and store it came into (sold, moved on or reserved since)."""
    with document_transaction():
        posting = Posting(kind="REVERSAL", actor=actor, idempotency_key=idempotency_key)
        if replayed := posting.claim():
            return replayed
        order = lock_purchase_order(entry.po_line.order_id)
        sellable = rules.is_sellable(entry.lot, posting.today)  # read before the locks
        posting.lock(
            rows=[(entry.store_id, entry.lot_id)],
            stocked=[(entry.item_id, entry.store_id)] if sellable else (),
        )
        if LedgerEntry.objects.filter(reverses=entry).exists():
            raise NotReversible(f"Movement #{entry.pk} has already been reversed.")
        balance = posting.balances[(entry.store_id, entry.lot_id)]
        check_take_out(posting, balance, entry.on_hand_delta)
        posting.post(
            balance,
            kind=Kind.RECEIVE,
            quantity=entry.quantity,
            on_hand=-entry.on_hand_delta,
            reverses=entry,
            reason=LedgerEntry.Reason.REVERSAL,
            note=note,
            po_line_id=entry.po_line_id,
        )
        PurchaseOrderLine.objects.filter(pk=entry.po_line_id).update(
            quantity_received=F("quantity_received") - entry.on_hand_delta
        )
        from_status = order.status
        direct = entry.operation.kind == DIRECT
        order.status = status_after_reversal(order, order.lines.all(), direct=direct)
        PurchaseOrder.objects.filter(pk=order.pk).update(
            status=order.status, updated_at=timezone.now()
        )
        return posting.write(
            action="purchase_order.receipt_reverse",
            obj=order,
            details={
                **(
                    {"from": from_status, "to": order.status} if from_status != order.status else {}
                ),
                "reversed": [entry.pk],
                "item": balance.item.sku,
                "lot": balance.lot.code,
                "quantity": entry.quantity,
                "note": note,
            },
        )
