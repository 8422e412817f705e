"""Transfers between stores: one document of one or several lines, through the pipeline."""

from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from inventory import rules
from inventory.exceptions import InsufficientStock, InventoryError, LineChecks
from inventory.models import Item, LedgerEntry, Lot, StockBalance

from .posting import Posting, StockResult, check_take_out, refuse_unreserved, require_active
from .transactions import document_transaction, retry_on_conflict

Kind = LedgerEntry.Kind
# What an unnamed line of an item may draw when other lines name lots of it: those go first.
BESIDES_NAMED = "available (besides the lots named on other lines)"


@dataclass
class _Move:
    """The lines of one item and one lot (or of one item without a lot), merged."""

    item: Item
    lot: Lot | None
    parts: list[Decimal] = field(default_factory=list)
    indexes: list[int] = field(default_factory=list)

    @property
    def quantity(self) -> Decimal:
        return sum(self.parts, rules.ZERO)


def stock_transfer(
    *,
    actor,
    item,
    from_store,
    to_store,
    quantity,
    lot=None,
    note: str = "",
    idempotency_key: str | None = None,
) -> StockResult:
    """Move one item (or one lot of it): a transfer of one line (stock_transfer_lines)."""
    quantity = rules.clean_quantity(quantity, unit=item.unit)  # "Quantity ...", as one box
    try:
        return stock_transfer_lines(
            actor=actor,
            from_store=from_store,
            to_store=to_store,
            lines=[(item, quantity, lot)],
            note=note,
            idempotency_key=idempotency_key,
        )
    except InventoryError as exc:
        exc.index = exc.indexes = None  # one line: its refusal is the document's
        raise


@retry_on_conflict
def stock_transfer_lines(
    *,
    actor,
    from_store,
    to_store,
    lines,
    note: str = "",
    idempotency_key: str | None = None,
) -> StockResult:
    """Move each line (item, quantity[, lot]) between two stores as TRANSFER_OUT and
    TRANSFER_IN rows keeping lot identity, all or nothing, as one operation.

    Without a lot, a line moves sellable stock (APPROVED, unexpired) earliest expiry
    first; with a lot, that lot's unreserved stock whatever its QC status (quarantined
    stock stays quarantined), except a REJECTED or expired lot's, which leaves only
    through an adjustment. Lines of the same item and lot (or of the same item without
    one) are merged: moved as one quantity, and a refusal names each of them. Lines
    naming a lot take it before the item's lines without one draw what is left.
    Refusals name their lines (`index`, `indexes`), every bad line at once.
    """
    if from_store.pk == to_store.pk:
        raise InventoryError("Choose two different stores.", field="to_store")
    require_active(to_store, "Store", field_name="to_store")
    moves = _merged(lines)
    with document_transaction():
        posting = Posting(kind="TRANSFER", actor=actor, idempotency_key=idempotency_key)
        if replayed := posting.claim():
            return replayed
        # Source and destination balances in one statement, in primary-key order:
        # A->B and B->A cannot deadlock. Destination rows exist (empty) before it.
        source_lots = _stocked_lot_ids(moves, from_store)
        posting.lock(
            stocked=[(item_id, from_store.pk) for item_id in {m.item.pk for m in moves}],
            rows=[(to_store.pk, lot_id) for lots in source_lots.values() for lot_id in lots],
        )
        _refuse_inactive(posting, moves, to_store)
        checks = LineChecks()
        named = {m.item.pk for m in moves if m.lot is not None}
        # A line without a lot of an item other lines name lots of goes after them.
        for move in sorted(moves, key=lambda m: m.lot is None and m.item.pk in named):
            with _on_lines(checks, move):
                # A lot stocked after the read above has no destination row locked: left out.
                sources = [
                    b
                    for b in posting.stocked_balances(move.item.pk, from_store.pk)
                    if b.lot_id in source_lots.get(move.item.pk, ())
                ]
                what = BESIDES_NAMED if move.item.pk in named else "available"
                plan = _plan(posting, move, from_store, sources, what)
                for source, take in plan:
                    posting.post(
                        source, kind=Kind.TRANSFER_OUT, quantity=take, on_hand=-take, note=note
                    )
                    target = posting.balance(to_store.pk, source.lot, move.item)
                    posting.post(
                        target, kind=Kind.TRANSFER_IN, quantity=take, on_hand=take, note=note
                    )
        checks.refuse()
        return posting.write(
            action="stock.transfer",
            obj=_audited(moves, posting),
            details={
                "from_store": from_store.code,
                "to_store": to_store.code,
                **_lines_detail(moves),
            },
        )


def _merged(lines) -> list[_Move]:
    """Check every line (refusing each bad one, by its index) and merge the lines of
    the same item and lot; a document of no line is refused."""
    moves: dict[tuple, _Move] = {}
    checks = LineChecks()
    for index, (item, quantity, *rest) in enumerate(lines):
        lot = rest[0] if rest else None
        with checks.on_line(index):
            require_active(item, "Item", field_name="item")
            label = f"Quantity of {item.sku}"
            quantity = rules.clean_quantity(quantity, label=label, unit=item.unit)
            rules.check_lot_of_item(lot, item)
            key = (item.pk, lot.pk if lot is not None else None)
            move = moves.setdefault(key, _Move(item=item, lot=lot))
            move.parts.append(quantity)
            move.indexes.append(index)
    checks.refuse()
    if not moves:
        raise InventoryError("Add at least one line to the transfer.")
    return list(moves.values())


@contextmanager
def _on_lines(checks: LineChecks, move: _Move):
    """Keep a refusal of merged lines marked on each of them, its shortage said per line."""
    with checks.on_line(move.indexes[0]):
        try:
            yield
        except InsufficientStock as short:
            if len(move.parts) < 2 or short.parts:
                short.indexes = move.indexes
                raise
            shared = InsufficientStock(
                item=short.item,
                store=short.store,
                requested=short.requested,
                available=short.available,
                what=short.what,
                parts=move.parts,
            )
            shared.index, shared.indexes = move.indexes[0], move.indexes
            raise shared from None
        except InventoryError as exc:
            exc.indexes = move.indexes
            raise


def _plan(posting: Posting, move: _Move, store, sources, what) -> list[tuple]:
    """[(source balance, quantity)] for one move, decided by inventory.rules."""
    item, lot, quantity = move.item, move.lot, move.quantity
    if lot is None:
        return rules.draw_available(
            item=item,
            store=store,
            quantity=quantity,
            balances=sources,
            today=posting.today,
            what=what,
            parts=move.parts if len(move.parts) > 1 else None,
        )
    # A named lot moves whatever its QC state (quarantined stock may go to be inspected
    # elsewhere); from a sellable one, no more than is available.
    sources = [b for b in sources if b.lot_id == lot.pk]
    current = sources[0].lot if sources else lot
    rules.check_movable(current, item, posting.today)
    if not sources:
        refuse_unreserved(item, store, current, quantity)
    check_take_out(posting, sources[0], quantity)
    return [(sources[0], quantity)]


def _stocked_lot_ids(moves: list[_Move], store) -> dict[int, set[int]]:
    """{item_id: lot ids holding stock in the store} read before the locks (one query):
    every stocked lot of an item with a line without a lot, else only the lots named."""
    rows = StockBalance.objects.filter(
        item_id__in={m.item.pk for m in moves}, store=store, has_stock=True
    ).values_list("item_id", "lot_id")
    drawn = {m.item.pk for m in moves if m.lot is None}
    named = {m.lot.pk for m in moves if m.lot is not None}
    stocked: dict[int, set[int]] = {}
    for item_id, lot_id in rows:
        if item_id in drawn or lot_id in named:
            stocked.setdefault(item_id, set()).add(lot_id)
    return stocked


def _refuse_inactive(posting: Posting, moves: list[_Move], to_store) -> None:
    """Re-read under the locks: a store or item deactivated meanwhile takes no stock."""
    checks = LineChecks()
    for balance in posting.balances.values():
        if balance.store_id == to_store.pk and not balance.store.is_active:
            raise InventoryError(f"Store {balance.store} is deactivated.", field="to_store")
    inactive = {b.item_id for b in posting.balances.values() if not b.item.is_active}
    for move in moves:
        if move.item.pk in inactive:
            with _on_lines(checks, move):
                raise InventoryError(f"Item {move.item} is deactivated.", field="item")
    checks.refuse()


def _audited(moves: list[_Move], posting: Posting):
    """The audit event's object: the item moved, or the operation when several were."""
    items = {m.item.pk for m in moves}
    return moves[0].item if len(items) == 1 else posting.operation


def _lines_detail(moves: list[_Move]) -> dict:
    if len(moves) == 1:
        return {"quantity": moves[0].quantity}
    return {
        "lines": [
            {
                "item": m.item.sku,
                "lot": m.lot.code if m.lot is not None else None,
                "quantity": m.quantity,
            }
            for m in moves
        ]
    }
