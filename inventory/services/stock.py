"""Single-item stock documents: receive, reserve, unreserve, issue and adjust.

Each is one transaction through the posting pipeline (services/posting.py): claim
the key, lock, decide with inventory.rules, write in bulk. Orders (sales.py,
purchasing.py) run the same pipeline for all their lines at once. Transfers (of one
line or several) are in transfers.py, reversals in moves.py.
"""

from inventory import rules
from inventory.exceptions import InsufficientStock, InventoryError, LotNotApproved
from inventory.models import LedgerEntry, QCStatus
from inventory.quantities import fmt_amount

from .moves import ledger_entry_reverse
from .posting import Posting, StockResult, require_active, require_active_to_add
from .receipts import clean_receipt, post_receipts
from .reservations import make_room, short_pairs
from .transactions import document_transaction, retry_on_conflict
from .transfers import stock_transfer, stock_transfer_lines

Kind = LedgerEntry.Kind
ADJUST_REASONS = set(LedgerEntry.Reason.values) - {"REVERSAL"}

__all__ = [
    "ledger_entry_reverse",
    "stock_adjust",
    "stock_issue",
    "stock_receive",
    "stock_reserve",
    "stock_transfer",
    "stock_transfer_lines",
    "stock_unreserve",
]


@retry_on_conflict
def stock_receive(
    *,
    actor,
    item,
    store,
    quantity,
    unit_cost=None,
    lot_code: str = "",
    expires_on=None,
    supplier=None,
    note: str = "",
    idempotency_key: str | None = None,
) -> StockResult:
    """Receive stock into a new lot of the item, or into a named lot on record.

    A new lot starts in QUARANTINE when the item needs QC, otherwise APPROVED, and
    keeps the receipt's unit cost. A lot on record is extended only at the same cost,
    and never for an item that needs QC (see receipts.check_receipt_into).
    """
    receipt = clean_receipt(
        item=item,
        quantity=quantity,
        unit_cost=unit_cost,
        lot_code=lot_code,
        expires_on=expires_on,
        supplier=supplier,
        note=note,
        label="",
    )
    require_active(store, "Store", field_name="store")
    with document_transaction():
        posting = Posting(kind="RECEIVE", actor=actor, idempotency_key=idempotency_key)
        if replayed := posting.claim():
            return replayed
        (lot,) = post_receipts(posting, store=store, receipts=[receipt])
        return posting.write(
            action="stock.receive",
            obj=item,
            details={
                "store": store.code,
                "lot": lot.code,
                "qc_status": lot.qc_status,
                "quantity": receipt.quantity,
                "unit_cost": receipt.unit_cost,
            },
        )


def _check_lot(item, lot, posting: Posting) -> None:
    """A named lot must be the item's, and sellable (re-read after the locks)."""
    if lot is None:
        return
    if lot.item_id != item.pk:
        raise InventoryError(f"Lot {lot.code} is not a lot of {item.sku}.", field="lot")
    current = next((b.lot for b in posting.balances.values() if b.lot_id == lot.pk), lot)
    current.item = item
    if current.qc_status != QCStatus.APPROVED:
        raise LotNotApproved(current)
    if rules.is_expired(current, posting.today):
        raise InventoryError(
            f"Lot {current.code} of {item.sku} expired on {current.expires_on}; expired "
            "stock leaves only through an adjustment.",
            field="lot",
        )


@retry_on_conflict
def stock_reserve(
    *, actor, item, store, quantity, lot=None, idempotency_key: str | None = None
) -> StockResult:
    """Reserve sellable stock (APPROVED, not expired) of the item in the store, FEFO.

    Reserving more than is available is refused and writes nothing. With `lot`, draw
    from that lot only.
    """
    return _draw_available(
        Kind.RESERVE,
        "stock.reserve",
        lambda take: {"reserved": take},
        actor=actor,
        item=item,
        store=store,
        quantity=quantity,
        lot=lot,
        idempotency_key=idempotency_key,
    )


@retry_on_conflict
def stock_unreserve(
    *, actor, item, store, quantity, idempotency_key: str | None = None
) -> StockResult:
    """Release reservations held by no order line, latest expiry first."""
    from .sales_common import held_reservations

    quantity = rules.clean_quantity(quantity, unit=item.unit)
    with document_transaction():
        posting = Posting(kind="UNRESERVE", actor=actor, idempotency_key=idempotency_key)
        if replayed := posting.claim():
            return replayed
        posting.lock(stocked=[(item.pk, store.pk)])
        held = held_reservations(lines=None, item=item, store=store).get(None, {})
        total = sum(held.values(), rules.ZERO)
        if total < quantity:
            raise InsufficientStock(
                item=item, store=store, requested=quantity, available=total, what="reserved"
            )
        balances = posting.stocked_balances(item.pk, store.pk)
        for balance, take in rules.draw_release(quantity, balances, held):
            posting.post(balance, kind=Kind.UNRESERVE, quantity=take, reserved=-take)
        return posting.write(
            action="stock.unreserve", obj=item, details={"store": store.code, "quantity": quantity}
        )


@retry_on_conflict
def stock_issue(
    *,
    actor,
    item,
    store,
    quantity,
    lot=None,
    note: str = "",
    idempotency_key: str | None = None,
) -> StockResult:
    """Issue available stock out of the store: APPROVED, unexpired lots, FEFO.

    Issuing more than is available is refused and writes nothing. With `lot`, draw
    from that lot only. Orders ship their reservations through sales_order_ship.
    """
    return _draw_available(
        Kind.ISSUE,
        "stock.issue",
        lambda take: {"on_hand": -take, "note": note},
        actor=actor,
        item=item,
        store=store,
        quantity=quantity,
        lot=lot,
        idempotency_key=idempotency_key,
        details={"from_reservation": False},
    )


def _draw_available(
    kind, action, fields, *, actor, item, store, quantity, lot, idempotency_key, details=None
) -> StockResult:
    """Draw `quantity` of the pair's available stock, FEFO, as `kind` rows whose deltas
    `fields(take)` gives: one document, refused whole when the stock is short."""
    quantity = rules.clean_quantity(quantity, unit=item.unit)
    require_active(item, "Item", field_name="item")
    with document_transaction():
        posting = Posting(kind=kind, actor=actor, idempotency_key=idempotency_key)
        if replayed := posting.claim():
            return replayed
        posting.lock(stocked=[(item.pk, store.pk)])
        _check_lot(item, lot, posting)
        for balance, take in rules.draw_available(
            item=item,
            store=store,
            quantity=quantity,
            balances=posting.stocked_balances(item.pk, store.pk),
            today=posting.today,
            lot=lot,
        ):
            posting.post(balance, kind=kind, quantity=take, **fields(take))
        return posting.write(
            action=action,
            obj=item,
            details={"store": store.code, "quantity": quantity, **(details or {})},
        )


@retry_on_conflict
def stock_adjust(
    *,
    actor,
    lot,
    store,
    quantity,
    reason: str,
    note: str = "",
    idempotency_key: str | None = None,
) -> StockResult:
    """Correct the stock of one lot in one store by a signed quantity, for a stated reason.

    A decrease below what the lot reserves moves those reservations onto the item's
    other sellable lots (reservations.make_room), or is refused when they cannot take
    them; it is the only way stock of a REJECTED or expired lot leaves. Found stock of
    an item that needs QC goes into a new QUARANTINE lot (for inspection), like any new
    stock of such an item.
    """
    quantity = rules.clean_quantity(quantity, allow_negative=True, unit=lot.item.unit)
    if reason not in ADJUST_REASONS:
        raise InventoryError("Choose a reason for the adjustment.", field="reason")
    if reason in rules.NEGATIVE_REASONS and quantity > 0:
        raise InventoryError(
            f"{LedgerEntry.Reason(reason).label} takes stock out: enter a negative quantity.",
            field="quantity",
        )
    if reason in rules.POSITIVE_REASONS and quantity < 0:
        raise InventoryError(
            "Found stock adds to stock: enter a positive quantity.", field="quantity"
        )
    with document_transaction():
        posting = Posting(kind="ADJUST", actor=actor, idempotency_key=idempotency_key)
        if replayed := posting.claim():
            return replayed
        # Taking reserved stock out moves its reservations to the item's other lots.
        keeps = {lot.pk: lambda on_hand: on_hand + quantity}
        stocked = short_pairs(store.pk, keeps) if quantity < 0 else ()
        locked = posting.lock(lots=[lot.pk], rows=[(store.pk, lot.pk)], stocked=stocked)[lot.pk]
        balance = posting.balances[(store.pk, lot.pk)]
        item = balance.item
        require_active_to_add(quantity, item, balance.store)
        if quantity < 0 and balance.on_hand < -quantity:
            raise InsufficientStock(
                item=item,
                store=store,
                requested=-quantity,
                available=balance.on_hand,
                what=f"in lot {locked.code}",
            )
        if quantity < 0:
            left = balance.on_hand + quantity
            why = f"more than the {fmt_amount(left, item.unit)} left after this"
            make_room(posting, balance, keep=left, why=why, field="quantity")
        target = balance
        if quantity > 0 and item.qc_required and locked.qc_status != QCStatus.QUARANTINE:
            found = posting.quarantine_lot(locked, item, "F")
            target = posting.balance(store.pk, found, item)
        posting.post(
            target,
            kind=Kind.ADJUST,
            quantity=abs(quantity),
            on_hand=quantity,
            reason=reason,
            note=note,
        )
        return posting.write(
            action="stock.adjust",
            obj=item,
            details={
                "store": store.code,
                "lot": target.lot.code,
                "quantity": quantity,
                "reason": reason,
                "note": note,
            },
        )
