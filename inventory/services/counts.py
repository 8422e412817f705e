"""Stock counts: what was found on the shelves, lot by lot, becomes the stock figure.

The counter sees each lot's figure on the count sheet, counts, and submits what was
found. One document (one operation, one transaction): lock every lot and balance named,
check that nothing moved since the sheet was read, then post an ADJUST row (reason
COUNT) for each difference. A lot that matched writes nothing, but the count of it is
kept in the audit event. Found stock of an item that needs QC goes to a new QUARANTINE
lot, as in an adjustment. A count below what a lot reserves moves those reservations
onto the item's other sellable lots (reservations.make_room), or is refused when they
cannot take them.
"""

from dataclasses import dataclass
from decimal import Decimal

from inventory import rules
from inventory.exceptions import DocumentChanged, InventoryError, on_line
from inventory.models import LedgerEntry, QCStatus
from inventory.quantities import fmt_qty

from .posting import Posting, StockResult, require_active_to_add
from .reservations import make_room, short_pairs
from .transactions import document_transaction, retry_on_conflict

MAX_LINES = 200  # a count sheet is a shelf or an aisle, not the warehouse


@dataclass(frozen=True)
class Counted:
    """One lot counted: what was found, and the figure the sheet showed (None: not shown)."""

    lot: object
    counted: Decimal
    expected: Decimal | None = None


def clean_counts(counts) -> list[Counted]:
    """Validate the lines before any transaction: quantities, one line per lot."""
    cleaned, seen = [], set()
    for index, line in enumerate(counts):
        with on_line(index):
            cleaned.append(_clean_count(line, seen))
    if not cleaned:
        raise InventoryError("Enter what was found for at least one lot.", field="counts")
    if len(cleaned) > MAX_LINES:
        raise InventoryError(f"A count has at most {MAX_LINES} lots; split it.", field="counts")
    return cleaned


def _clean_count(line, seen: set) -> Counted:
    lot = line["lot"]
    if lot.pk in seen:
        raise InventoryError(f"Lot {lot.code} is counted twice; enter it once.", field="lot")
    seen.add(lot.pk)
    # The unit's places are checked under the lock, with the item the balance brings.
    counted = rules.clean_quantity(
        line["counted"], allow_zero=True, label=f"Count of lot {lot.code}", field="counted"
    )
    expected = line.get("expected")
    if expected is not None:
        expected = rules.clean_quantity(
            expected, allow_zero=True, label=f"Expected figure of lot {lot.code}", field="expected"
        )
    return Counted(lot=lot, counted=counted, expected=expected)


@retry_on_conflict
def stock_count(
    *, actor, store, counts, note: str = "", idempotency_key: str | None = None
) -> StockResult:
    """Record a count of some lots in one store: each difference becomes a COUNT adjustment.

    `counts` is [{lot, counted, expected}]; `expected` is the figure the counter was shown,
    and a lot whose stock moved since is refused (with nothing recorded) so that it is
    counted again rather than corrected by a stale difference.
    """
    lines = clean_counts(counts)
    with document_transaction():
        posting = Posting(kind="COUNT", actor=actor, idempotency_key=idempotency_key)
        if replayed := posting.claim():
            return replayed
        # A lot counted down may have to move its reservations to the item's other lots.
        lots = posting.lock(
            lots=[c.lot.pk for c in lines],
            rows=[(store.pk, c.lot.pk) for c in lines],
            stocked=short_pairs(store.pk, {c.lot.pk: _keep(c.counted) for c in lines}),
        )
        balances = [posting.balances[(store.pk, c.lot.pk)] for c in lines]
        _refuse_moved(lines, balances, lots)
        details, downs = [], []
        for index, (line, balance) in enumerate(zip(lines, balances, strict=True)):
            lot = lots[line.lot.pk]
            delta = line.counted - balance.on_hand
            details.append(
                {
                    "lot": lot.code,
                    "item": balance.item.sku,
                    "expected": balance.on_hand,
                    "counted": line.counted,
                }
            )
            with on_line(index):
                _check_count(line, balance, lot)
                require_active_to_add(delta, balance.item, balance.store, field_name="counts")
            if delta > 0:
                _post(posting, _found_into(posting, store, balance, lot), delta, note)
            elif delta < 0:
                downs.append((index, line, balance, delta))
        # Lots counted down last: stock found in another lot of the same sheet can then
        # take the reservations they can no longer back, whatever the sheet's order.
        for index, line, balance, delta in downs:
            with on_line(index):
                why = f"more than the {fmt_qty(line.counted)} counted"
                make_room(posting, balance, keep=line.counted, why=why, field="counts")
            _post(posting, balance, delta, note)
        return posting.write(
            action="stock.count",
            obj=balances[0].store,
            details={"store": store.code, "note": note, "counted": details},
        )


def _found_into(posting, store, balance, lot):
    """Where stock found on a count goes: its lot, or for an item that needs QC a new
    QUARANTINE lot linked to it (inspected before it can be sold)."""
    if balance.item.qc_required and lot.qc_status != QCStatus.QUARANTINE:
        found = posting.quarantine_lot(lot, balance.item, "C")
        return posting.balance(store.pk, found, balance.item)
    return balance


def _post(posting, balance, delta, note) -> None:
    posting.post(
        balance,
        kind=LedgerEntry.Kind.ADJUST,
        quantity=abs(delta),
        on_hand=delta,
        reason=LedgerEntry.Reason.COUNT,
        note=note,
    )


def _keep(counted):
    return lambda _on_hand: counted


def _check_count(line, balance, lot) -> None:
    """A count in the item's unit (whole pcs)."""
    rules.clean_quantity(
        line.counted,
        allow_zero=True,
        label=f"Count of lot {lot.code}",
        unit=balance.item.unit,
        field="counted",
    )


def _refuse_moved(lines, balances, lots) -> None:
    """Refuse the whole count when a lot's stock moved since its figure was shown; the
    refusal names the first such line (`index`), as other line refusals do."""
    moved = [
        (
            index,
            f"{lots[line.lot.pk].code} ({fmt_qty(line.expected)} then, "
            f"{fmt_qty(balance.on_hand)} now)",
        )
        for index, (line, balance) in enumerate(zip(lines, balances, strict=True))
        if line.expected is not None and line.expected != balance.on_hand
    ]
    if moved:
        refusal = DocumentChanged(
            "Stock moved while it was being counted: "
            + ", ".join(text for _index, text in moved)
            + ". Nothing was recorded; open the count sheet again and recount those lots.",
            field="counts",
        )
        refusal.index = moved[0][0]
        raise refusal
