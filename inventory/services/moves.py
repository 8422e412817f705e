"""Reversals of single movements, through the pipeline (transfers: transfers.py)."""

from inventory import rules
from inventory.exceptions import InsufficientStock, NotReversible
from inventory.locks import lock_purchase_order
from inventory.models import LedgerEntry

from .posting import Posting, StockResult, check_take_out, require_active_to_add
from .receipt_reversal import take_back_receipt
from .transactions import document_transaction, retry_on_conflict

Kind = LedgerEntry.Kind


# What a manager can do instead when part of what came in has left (found by a QA pass).
TAKE_BACK_PART = (
    " A reversal takes back the whole movement: to take back only what is left, record an"
    " adjustment (reason Return to supplier, Damage or Loss)."
)
# The same for a transfer: what is left goes back by a transfer, not out of the stock.
TRANSFER_BACK_PART = (
    " A reversal takes back the whole transfer: to move back only what is left, record a"
    " transfer the other way."
)


REVERSIBLE = {
    Kind.RECEIVE,
    Kind.ADJUST,
    Kind.ISSUE,
    Kind.RETURN,
    Kind.TRANSFER_OUT,
    Kind.TRANSFER_IN,
}


@retry_on_conflict
def ledger_entry_reverse(
    *, actor, entry: LedgerEntry, note: str = "", idempotency_key: str | None = None
) -> StockResult:
    """Write the compensating entry (both halves for a transfer), once per entry.

    A purchase order's receipt is taken back with its order too (receipt_reversal); a
    sales order's movements and reservations are changed through the order instead. A
    reversal that would take stock below zero (or below what is reserved) is refused.
    """
    if entry.reverses_id is not None:
        raise NotReversible("This movement is itself a reversal; record a new movement instead.")
    # The order first: a shipment's ISSUE also released its reservation (reserved_delta
    # < 0), and "reservations are released" would send the user the wrong way.
    if entry.so_line_id:
        raise NotReversible(
            "This movement belongs to a sales order; change it from the order (a return "
            "takes back a shipment, a cancellation releases what is reserved)."
        )
    if entry.kind not in REVERSIBLE or entry.reserved_delta != 0:
        raise NotReversible("Reservations are released, not reversed.")
    originals = [entry, *_transfer_twin(entry)]
    with document_transaction():
        posting = Posting(kind="REVERSAL", actor=actor, idempotency_key=idempotency_key)
        if replayed := posting.claim():
            return replayed
        # A receipt's purchase order, first: the document row, then the balances.
        order = lock_purchase_order(entry.po_line.order_id) if entry.po_line_id else None
        posting.lock(
            rows=[(o.store_id, o.lot_id) for o in originals],
            stocked=_taken_from_sellable(originals, posting.today),
        )
        # Checked under the locks: a concurrent reversal of the same entry has committed
        # by now, and the unique `reverses` column would otherwise fail with a 500.
        reversed_ids = set(
            LedgerEntry.objects.filter(reverses__in=originals).values_list("reverses", flat=True)
        )
        if entry.pk in reversed_ids:
            raise NotReversible(f"Movement #{entry.pk} has already been reversed.")
        if reversed_ids:  # the twin read before the locks went with its identical sibling
            originals = [entry, *_transfer_twin(entry)]
            if len(originals) == 1:
                raise NotReversible(f"Movement #{entry.pk} has already been reversed.")
        for original in originals:
            balance = posting.balances[(original.store_id, original.lot_id)]
            if original.kind in (Kind.TRANSFER_OUT, Kind.TRANSFER_IN):
                rules.check_movable(balance.lot, balance.item, posting.today)
            require_active_to_add(-original.on_hand_delta, balance.item, balance.store)
            if original.on_hand_delta > 0:
                try:
                    check_take_out(posting, balance, original.on_hand_delta)
                except InsufficientStock as short:
                    transfer = original.kind == Kind.TRANSFER_IN
                    short.message += TRANSFER_BACK_PART if transfer else TAKE_BACK_PART
                    raise
        for original in originals:
            posting.post(
                posting.balances[(original.store_id, original.lot_id)],
                kind=original.kind,
                quantity=original.quantity,
                on_hand=-original.on_hand_delta,
                reverses=original,
                reason=LedgerEntry.Reason.REVERSAL,
                note=note,
                po_line_id=original.po_line_id,
            )
        if order is not None:
            details = take_back_receipt(order, entry)
            return posting.write(
                action="purchase_order.receipt_reverse",
                obj=order,
                details={**details, "note": note},
            )
        return posting.write(
            action="stock.reverse", obj=entry.item, details={"reversed": [o.pk for o in originals]}
        )


def _taken_from_sellable(originals, today) -> list[tuple[int, int]]:
    """The (item_id, store_id) pairs a reversal takes sellable stock from, as read before
    the locks: their stock is locked too, to check what is available (check_take_out)."""
    return [
        (o.item_id, o.store_id)
        for o in originals
        if o.on_hand_delta > 0 and rules.is_sellable(o.lot, today)
    ]


def _transfer_twin(entry: LedgerEntry) -> list[LedgerEntry]:
    if entry.kind not in (Kind.TRANSFER_OUT, Kind.TRANSFER_IN):
        return []
    twin_kind = Kind.TRANSFER_IN if entry.kind == Kind.TRANSFER_OUT else Kind.TRANSFER_OUT
    # A transfer's lines of one lot (one naming it, one drawing from it) may write two
    # identical pairs: the twin is one not reversed yet, or the second would be refused.
    twin = (
        LedgerEntry.objects.filter(
            operation_id=entry.operation_id,
            kind=twin_kind,
            lot_id=entry.lot_id,
            quantity=entry.quantity,
            reversed_by__isnull=True,
        )
        .exclude(store_id=entry.store_id)
        .order_by("pk")
        .first()
    )
    return [twin] if twin is not None else []
