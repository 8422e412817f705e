"""Building blocks shared by the stock services: validation, operations, ledger rows.

Only services call these, inside their own transaction and after taking locks.
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from inventory.exceptions import IdempotencyConflict, InactiveRecord, InvalidQuantity
from inventory.models import LedgerEntry, Operation, QCStatus, StockBalance

from .actor import Actor
from .posting_io import build_instance

MAX_QUANTITY = Decimal("99999999999.999")  # what Decimal(14,3) can hold
QTY_STEP = Decimal("0.001")


@dataclass
class StockResult:
    """What a stock operation wrote; `replayed` is True when the key had been used already.

    post_entry() stages ledger rows in `pending`; each service writes them with
    posting_io.write_posting() before it returns, so `entries` have primary keys then.
    """

    operation: Operation
    entries: list[LedgerEntry] = field(default_factory=list)
    replayed: bool = False
    touched: set = field(default_factory=set)  # (item_id, store_id) pairs for alerts
    levels: dict = field(default_factory=dict)  # item_id -> reorder level, for alerts
    # When: ledger rows and new lots. Looked up at call time, so that a patched clock
    # (the demo history, tests) applies.
    at: object = field(default_factory=lambda: timezone.now())
    pending: list = field(default_factory=list)  # (LedgerEntry, StockBalance) not yet written
    # (item_id, store_id) -> every balance of the pair that holds stock, locked: the
    # pair's available stock is known without a query.
    pairs: dict = field(default_factory=dict)

    def available(self, pair) -> Decimal:
        return sum((b.available for b in approved(self.pairs[pair])), Decimal("0"))


def clean_quantity(value, *, allow_negative: bool = False, label: str = "Quantity") -> Decimal:
    """Return the quantity as a Decimal with 3 places, or refuse it with a clear message."""
    try:
        quantity = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise InvalidQuantity(f"{label} must be a number.") from None
    if not quantity.is_finite():
        raise InvalidQuantity(f"{label} must be a number.")
    # Before quantize(): a huge value (1e100) would overflow the decimal context there.
    if abs(quantity) > MAX_QUANTITY:
        raise InvalidQuantity(f"{label} is too large.")
    if quantity != quantity.quantize(QTY_STEP):
        raise InvalidQuantity(f"{label} can have at most 3 decimal places.")
    if quantity == 0:
        raise InvalidQuantity(f"{label} must not be zero.")
    if quantity < 0 and not allow_negative:
        raise InvalidQuantity(f"{label} must be greater than zero.")
    return quantity.quantize(QTY_STEP)


def require_active(obj, what: str, *, field_name: str | None = None) -> None:
    if not obj.is_active:
        raise InactiveRecord(f"{what} {obj} is deactivated.", field=field_name)


def begin_operation(*, kind: str, actor: Actor, idempotency_key: str | None):
    """Insert the operation row that claims the idempotency key.

    Return (operation, replayed). When the key was used before, return that first
    operation with replayed=True; the caller must then write nothing. Call it first
    in the transaction, before any lock, so that a concurrent twin waits on the key
    rather than on a balance row.
    """
    key = clean_idempotency_key(idempotency_key)
    # No look-up first: a fresh key (the usual case) costs one INSERT; a used key fails
    # it on the unique index, and the first operation is read back below.
    try:
        with transaction.atomic():
            operation = Operation.objects.create(kind=kind, idempotency_key=key, actor=actor.user)
    except IntegrityError:
        # The key was used before, or a twin submission committed it while we waited.
        existing = Operation.objects.filter(idempotency_key=key).first()
        if existing is None:
            raise
        return _replay(existing, kind), True
    return operation, False


def clean_idempotency_key(value) -> str | None:
    key = (value or "").strip() or None
    if key is not None and len(key) > 64:
        raise IdempotencyConflict("The form token is invalid; reload the page and try again.")
    return key


def _replay(operation: Operation, kind: str) -> Operation:
    if operation.kind != kind:
        raise IdempotencyConflict(
            "This form token was already used for another operation; reload the page."
        )
    return operation


def replayed_result(operation: Operation) -> StockResult:
    return StockResult(
        operation=operation, entries=list(operation.entries.order_by("pk")), replayed=True
    )


def balance_for(*, store, lot) -> StockBalance:
    """Return the (store, lot) balance row, creating an empty one if it is missing."""
    balance, _ = StockBalance.objects.get_or_create(
        store=store, lot=lot, defaults={"item_id": lot.item_id}
    )
    return balance


def post_entry(
    result: StockResult,
    *,
    balance: StockBalance,
    kind: str,
    quantity: Decimal,
    on_hand_delta: Decimal = Decimal("0"),
    reserved_delta: Decimal = Decimal("0"),
    actor: Actor,
    **links,
) -> LedgerEntry:
    """Stage one ledger row that moves its (locked, or new) balance by the same deltas.

    The row and the F() update are written by posting_io.write_posting(); a balance
    or lot without a primary key is created there first.
    """
    lot = balance.lot
    values = {
        "operation_id": result.operation.pk,
        "kind": kind,
        "item_id": balance.item_id,
        "store_id": balance.store_id,
        "lot_id": lot.pk,  # None for a lot that write_posting() creates
        "quantity": quantity,
        "on_hand_delta": on_hand_delta,
        "reserved_delta": reserved_delta,
        "unit_cost": lot.unit_cost,
        "actor_id": actor.user.pk,
        "reason": links.pop("reason", ""),
        "note": links.pop("note", ""),
    }
    # The lot is the locked row's, so audit details need no query for it.
    related = {"operation": result.operation, "lot": lot, "actor": actor.user}
    for name in ("po_line", "so_line", "reverses"):
        linked = links.pop(name, None)
        if linked is not None:
            values[f"{name}_id"], related[name] = linked.pk, linked
    if links:
        raise TypeError(f"post_entry() got unexpected ledger fields: {sorted(links)}")
    entry = build_instance(LedgerEntry, values, adding=True, **related)
    balance.on_hand += on_hand_delta
    balance.reserved += reserved_delta
    result.pending.append((entry, balance))
    result.entries.append(entry)
    result.touched.add((balance.item_id, balance.store_id))
    if _BALANCE_ITEM.is_cached(balance):  # locked rows carry their item: no query
        result.levels.setdefault(balance.item_id, balance.item.reorder_level)
    return entry


_BALANCE_ITEM = StockBalance._meta.get_field("item")


def fefo_key(balance: StockBalance):
    """Earliest expiry first (no expiry last), then oldest receipt."""
    lot = balance.lot
    return (
        lot.expires_on is None,
        lot.expires_on or lot.received_at.date(),
        lot.received_at,
        lot.pk,
    )


def refresh_lot_statuses(balances: list[StockBalance]) -> None:
    """Re-read QC status after locking: a QC decision may have committed while we waited."""
    from inventory.models import Lot

    statuses = dict(
        Lot.objects.filter(pk__in={b.lot_id for b in balances}).values_list("pk", "qc_status")
    )
    for balance in balances:
        balance.lot.qc_status = statuses[balance.lot_id]


def approved(balances):
    return [b for b in balances if b.lot.qc_status == QCStatus.APPROVED]


def held_reservations(*, item, store, so_line=None) -> dict[int, Decimal]:
    """Return {lot_id: reserved quantity} held by one sales order line (or by no line)."""
    holder = Q(so_line=so_line) if so_line is not None else Q(so_line__isnull=True)
    rows = (
        LedgerEntry.objects.filter(holder, item=item, store=store)
        .exclude(reserved_delta=0)
        .values("lot_id")
        .annotate(held=_sum("reserved_delta"))
    )
    return {row["lot_id"]: row["held"] for row in rows if row["held"] > 0}


def _sum(name):
    from django.db.models import Sum

    return Sum(name)
