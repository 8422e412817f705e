"""Stock counts: what was found on the shelves, lot by lot, becomes the stock figure.

The counter sees each lot's figure on the count sheet, counts, and submits what was
found. One document (one operation, one transaction): lock every lot and balance named,
check that nothing moved since the sheet was read, then post an ADJUST row (reason
COUNT) for each difference. A lot that matched writes nothing, but the count of it is
kept in the audit event. Found stock of an item that needs QC goes to a new QUARANTINE
lot, as in an adjustment. A count below what a lot reserves moves those reservations
onto the item's other sellable lots (reservations.make_room), or is refused when they
cannot take them.

Loose goods (a bin of nails weighed as one figure) are counted by item: one line gives
what was found of the item in the store, all its lots on the shelf together, and
rules.spread_count shares it out over those lots (newest keep theirs, the oldest are
counted down first); each lot's figure then goes the same way as a lot line's.
"""

from dataclasses import dataclass
from decimal import Decimal

from inventory import rules
from inventory.exceptions import DocumentChanged, InventoryError, LineChecks, on_line
from inventory.models import LedgerEntry, QCStatus, StockBalance
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


@dataclass(frozen=True)
class CountedItem:
    """One item counted in bulk: what was found of all its lots on the shelf, and the
    total the sheet showed (None: not shown)."""

    item: object
    counted: Decimal
    expected: Decimal | None = None


def clean_counts(counts) -> list[Counted | CountedItem]:
    """Validate the lines before any transaction: quantities, one line per lot or item,
    and an item counted either by item or by lot, not both."""
    cleaned, seen, checks = [], set(), LineChecks()
    for index, line in enumerate(counts):
        with checks.on_line(index):
            if line.get("item") is not None and line.get("lot") is not None:
                raise InventoryError("Count a line by lot or by item, not both.", field="lot")
            cleaned.append(_clean_count(line, seen))
    checks.refuse()
    if not cleaned:
        raise InventoryError("Enter what was found for at least one lot.", field="counts")
    if len(cleaned) > MAX_LINES:
        raise InventoryError(f"A count has at most {MAX_LINES} lines; split it.", field="counts")
    _refuse_both_ways(cleaned)
    return cleaned


def _refuse_both_ways(lines) -> None:
    """An item counted as an item line and through a lot line of the same sheet would be
    counted twice: refuse it, on the later of the two lines."""
    by_item = {line.item.pk: index for index, line in enumerate(lines) if _is_item(line)}
    for index, line in enumerate(lines):
        first = by_item.get(line.lot.item_id) if not _is_item(line) else None
        if first is not None:
            item = lines[first].item
            refusal = InventoryError(
                f"{item.sku} is counted by item and by its lot {line.lot.code}; "
                "count it one way: by item or lot by lot.",
                field="counts",
            )
            refusal.index = max(first, index)
            raise refusal


def _is_item(line) -> bool:
    return isinstance(line, CountedItem)


def _clean_count(line, seen: set) -> Counted | CountedItem:
    """One line, a lot's or (loose goods) an item's, checked and made a Counted(Item)."""
    if (item := line.get("item")) is not None:
        key, what, twice = ("item", item.pk), item.sku, f"{item.sku} is counted twice"
    else:
        lot = line["lot"]
        key, what, twice = ("lot", lot.pk), f"lot {lot.code}", f"Lot {lot.code} is counted twice"
    if key in seen:
        raise InventoryError(f"{twice}; enter it once.", field=key[0])
    seen.add(key)
    # The unit's places are checked under the lock, with the item the balance brings.
    counted = rules.clean_quantity(
        line["counted"], allow_zero=True, label=f"Count of {what}", field="counted"
    )
    expected = line.get("expected")
    if expected is not None:
        expected = rules.clean_quantity(
            expected, allow_zero=True, label=f"Expected figure of {what}", field="expected"
        )
    if item is not None:
        return CountedItem(item=item, counted=counted, expected=expected)
    return Counted(lot=line["lot"], counted=counted, expected=expected)


@retry_on_conflict
def stock_count(
    *, actor, store, counts, note: str = "", idempotency_key: str | None = None
) -> StockResult:
    """Record a count of some lots in one store: each difference becomes a COUNT adjustment.

    `counts` is [{lot, counted, expected}] or, for loose goods, [{item, counted, expected}]
    (what was found of the item, all its lots on the shelf together); `expected` is the
    figure the counter was shown, and a lot or item whose stock moved since is refused
    (with nothing recorded) so that it is counted again rather than corrected by a stale
    difference.
    """
    lines = clean_counts(counts)
    by_lot = [c for c in lines if not _is_item(c)]
    by_item = [c for c in lines if _is_item(c)]
    with document_transaction():
        posting = Posting(kind="COUNT", actor=actor, idempotency_key=idempotency_key)
        if replayed := posting.claim():
            return replayed
        read = _read_shelves(store, lines)
        # A lot counted down may have to move its reservations to the item's other lots;
        # an item counted in bulk locks all its stock in the store.
        short = short_pairs(store.pk, {c.lot.pk: _keep(c.counted) for c in by_lot})
        lots = posting.lock(
            lots=[c.lot.pk for c in by_lot] + [pk for pks in read.values() for pk in pks],
            rows=[(store.pk, c.lot.pk) for c in by_lot],
            stocked=sorted({*short, *((c.item.pk, store.pk) for c in by_item)}),
        )
        _refuse_moved(lines, posting.balances, store, lots)
        details, downs = [], []
        for index, line in enumerate(lines):
            with on_line(index):
                if _is_item(line):
                    steps = _spread(posting, store, line, read[line.item.pk])
                    details.append(_item_detail(line, steps))
                else:
                    steps = [(posting.balances[(store.pk, line.lot.pk)], line.counted)]
                    details.append(_lot_detail(line, steps[0][0]))
                _check_count(line, steps[0][0])
            for balance, counted in steps:
                _count_lot(posting, store, index, balance, counted, note, downs)
        # Lots counted down last: stock found in another lot of the same sheet can then
        # take the reservations they can no longer back, whatever the sheet's order.
        for index, counted, balance, delta in downs:
            with on_line(index):
                why = f"more than the {fmt_qty(counted)} counted"
                total = lines[index].counted if _is_item(lines[index]) else None
                make_room(posting, balance, keep=counted, why=why, field="counts", total=total)
            _post(posting, balance, delta, note)
        return posting.write(
            action="stock.count",
            obj=store,
            details={"store": store.code, "note": note, "counted": details},
        )


def _count_lot(posting, store, index, balance, counted, note, downs) -> None:
    """One lot's figure found: stock found is posted at once, a lot counted down is left
    in `downs` for after every line's found stock."""
    delta = counted - balance.on_hand
    with on_line(index):
        require_active_to_add(delta, balance.item, balance.store, field_name="counts")
    if delta > 0:
        _post(posting, _found_into(posting, store, balance, balance.lot), delta, note)
    elif delta < 0:
        downs.append((index, counted, balance, delta))


def _lot_detail(line, balance) -> dict:
    return {
        "lot": balance.lot.code,
        "item": balance.item.sku,
        "expected": balance.on_hand,
        "counted": line.counted,
    }


def _item_detail(line, steps) -> dict:
    """An item line in the audit event: its totals, and the lots its count changed."""
    return {
        "item": line.item.sku,
        "by": "item",
        "expected": sum((balance.on_hand for balance, _ in steps), rules.ZERO),
        "counted": line.counted,
        "lots": [
            {"lot": balance.lot.code, "expected": balance.on_hand, "counted": counted}
            for balance, counted in steps
            if counted != balance.on_hand
        ],
    }


def _read_shelves(store, lines) -> dict[int, set[int]]:
    """Before the locks, unlocked: the lots holding stock of each item counted by item,
    {item_id: {lot_id}}, all locked next; which of them are on the shelf is decided under
    the lock (rules.on_shelf, in _spread). An item with no stock is refused here."""
    items = [line.item.pk for line in lines if _is_item(line)]
    if not items:
        return {}
    rows = StockBalance.objects.filter(
        store_id=store.pk, item_id__in=items, has_stock=True
    ).values_list("item_id", "lot_id")
    read = {item_id: set() for item_id in items}
    for item_id, lot_id in rows:
        read[item_id].add(lot_id)
    for index, line in enumerate(lines):
        if _is_item(line) and not read[line.item.pk]:
            with on_line(index):
                _refuse_no_stock(line.item, store)
    return read


def _refuse_no_stock(item, store):
    raise InventoryError(
        f"No stock of {item.sku} in {store.name} to count by item; count it by lot or "
        "receive it first.",
        field="counts",
    )


def _spread(posting, store, line, read: set) -> list[tuple]:
    """The item's figure shared over its lots on the shelf, as locked: refused when a lot
    came onto the shelf after they were read (stock arrived, a QC approval) or when the
    total differs from the one the sheet showed."""
    balances = rules.on_shelf(posting.stocked_balances(line.item.pk, store.pk))
    if not balances:
        _refuse_no_stock(line.item, store)
    total = sum((b.on_hand for b in balances), rules.ZERO)
    arrived = sorted(b.lot.code for b in balances if b.lot_id not in read)
    if arrived or (line.expected is not None and line.expected != total):
        then = f"{fmt_qty(line.expected)} then, " if line.expected is not None else ""
        why = f"; new lot {', '.join(arrived)}" if arrived else ""
        raise DocumentChanged(
            f"Stock of {line.item.sku} moved while it was being counted ({then}"
            f"{fmt_qty(total)} now{why}). Nothing was recorded; open the count sheet again "
            "and recount it.",
            field="counts",
        )
    return rules.spread_count(line.counted, balances)


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


def _check_count(line, balance) -> None:
    """A count in the item's unit (whole pcs)."""
    what = line.item.sku if _is_item(line) else f"lot {balance.lot.code}"
    rules.clean_quantity(
        line.counted,
        allow_zero=True,
        label=f"Count of {what}",
        unit=balance.item.unit,
        field="counted",
    )


def _refuse_moved(lines, balances, store, lots) -> None:
    """Refuse the whole count when a lot's stock moved since its figure was shown; the
    refusal names the first such line (`index`), as other line refusals do."""
    moved = [
        (index, f"{lots[line.lot.pk].code} ({fmt_qty(line.expected)} then, {fmt_qty(now)} now)")
        for index, line in enumerate(lines)
        if not _is_item(line)
        and line.expected is not None
        and line.expected != (now := balances[(store.pk, line.lot.pk)].on_hand)
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
