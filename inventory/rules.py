"""Stock rules: pure decisions on rows the services have already read and locked.

Nothing here touches the database, so each rule is written once and runs the same
on SQLite and PostgreSQL. The services (inventory/services/) validate, lock, call
these rules and write what they decide.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from inventory.exceptions import (
    DocumentChanged,
    InsufficientStock,
    InvalidQuantity,
    InventoryError,
    ShortLines,
)
from inventory.models import QCStatus
from inventory.quantities import UNIT_FORMS

ZERO = Decimal("0")
MAX_QUANTITY = Decimal("99999999999.999")  # what Decimal(14,3) can hold
QTY_STEP = Decimal("0.001")
CENT = Decimal("0.01")  # a sum of money's step: prices, costs, values
# Counted units take whole numbers; measured ones up to the column's 3 places.
UNIT_DECIMALS = {"pcs": 0, "box": 0, "kg": 3, "l": 3, "m": 3}


# -- Quantities --------------------------------------------------------------------


def clean_quantity(
    value,
    *,
    allow_negative: bool = False,
    allow_zero: bool = False,
    label: str = "Quantity",
    unit: str | None = None,
    field: str | None = None,
) -> Decimal:
    """Return the quantity as a Decimal with 3 places, or refuse it with a clear message.

    With `unit`, refuse more decimal places than the unit allows (no 1.5 pcs). Zero only
    `allow_zero` (a count of an empty shelf); a movement of nothing is refused. `field`
    names the input the refusal belongs to (`quantity` by default).
    """

    def refuse(message: str):
        return InvalidQuantity(f"{label} {message}", field=field)

    try:
        quantity = Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise refuse("must be a number.") from None
    if not quantity.is_finite():
        raise refuse("must be a number.")
    # Before quantize(): a huge value (1e100) would overflow the decimal context there.
    if abs(quantity) > MAX_QUANTITY:
        raise refuse("is too large.")
    places = UNIT_DECIMALS.get(unit, 3) if unit else 3
    if quantity != quantity.quantize(Decimal(1).scaleb(-places)):
        if places == 0:
            raise refuse(f"must be a whole number of {UNIT_FORMS.get(unit, (unit, unit))[1]}.")
        raise refuse(f"can have at most {places} decimal places.")
    if quantity == 0 and not allow_zero:
        raise refuse("must not be zero.")
    if quantity < 0 and not allow_negative:
        raise refuse("must not be negative." if allow_zero else "must be greater than zero.")
    return quantity.quantize(QTY_STEP)


def check_capacity(balance) -> None:
    """A balance holds at most what its Decimal(14,3) columns can: a posting that would
    take it past that is refused, since no figure beyond it could be read back."""
    if balance.on_hand > MAX_QUANTITY or balance.reserved > MAX_QUANTITY:
        raise InvalidQuantity(
            f"Lot {balance.lot.code} would then hold {balance.on_hand.normalize():f} in one "
            f"store, more than the {MAX_QUANTITY:f} a lot can hold there."
        )


# -- Lots: QC and expiry -----------------------------------------------------------


def is_past(expires_on: date | None, today: date) -> bool:
    """Stock expires at the end of its expiry date (in TIME_ZONE)."""
    return expires_on is not None and expires_on < today


def is_expired(lot, today: date) -> bool:
    return is_past(lot.expires_on, today)


QC_ASIDE = {QCStatus.QUARANTINE: "waiting for QC", QCStatus.REJECTED: "rejected"}


def is_sellable(lot, today: date) -> bool:
    """Only APPROVED lots that have not expired are reserved, issued or shipped."""
    return lot.qc_status == QCStatus.APPROVED and not is_expired(lot, today)


def check_not_changed(document, shown: str | None) -> None:
    """A page posts the version of the document it showed (`version`, its updated_at as
    text): a document saved or moved on since, in another window or by someone else, is
    neither overwritten nor acted on. No version (an API call, an old page): no check."""
    if shown and shown != document.version:
        raise DocumentChanged(
            f"{document.number} changed since this page was opened (in another window or by "
            "someone else); nothing was changed. Check it as it is now and try again."
        )


def check_decision_shown(lot, shown: str | None, to_status: str) -> None:
    """A QC page posts the status it showed the lot in (`shown`): a lot decided since,
    in another tab or by a colleague, is not decided again from that stale view (a
    rejection is final). No status shown (an API call): no check."""
    if not shown or shown == lot.qc_status:
        return
    now = QCStatus(lot.qc_status).label.lower()
    if lot.qc_status == to_status:
        raise DocumentChanged(f"Lot {lot.code} is already {now}; nothing was changed.")
    raise DocumentChanged(
        f"Lot {lot.code} was {now} since this page was opened (in another window or by "
        "someone else); nothing was changed. Check it as it is now."
    )


def check_movable(lot, item, today: date) -> None:
    """A lot moves between stores whatever its QC status (quarantined stock may go to be
    inspected elsewhere), except a rejected or expired one: that stock leaves only
    through an adjustment (write-off or return to supplier)."""
    if lot.qc_status == QCStatus.REJECTED:
        why = "was rejected by QC"
    elif is_expired(lot, today):
        why = f"expired on {lot.expires_on}"
    else:
        return
    raise InventoryError(
        f"Lot {lot.code} of {item.sku} {why}; its stock leaves only through an adjustment "
        "(write-off or return to supplier).",
        field="lot",
    )


def check_lot_of_item(lot, item) -> None:
    """A document that names an item and one of its lots: the lot must be that item's."""
    if lot is not None and item is not None and lot.item_id != item.pk:
        raise InventoryError(
            f"Lot {lot.code} is a lot of {lot.item.sku}, not of {item.sku}.", field="lot"
        )


def new_lot_status(item) -> str:
    """New stock of a QC item waits in QUARANTINE for a decision; other stock is usable."""
    return QCStatus.QUARANTINE if item.qc_required else QCStatus.APPROVED


def return_held(item, damaged: bool) -> bool:
    """A customer return waits in a new QUARANTINE lot, for a decision before it can be
    sold again, when the item needs QC or the customer brought it back damaged."""
    return item.qc_required or damaged


def fefo_key(balance):
    """Earliest expiry first (no expiry last), then oldest receipt, then lot id."""
    lot = balance.lot
    return (
        lot.expires_on is None,
        lot.expires_on or lot.received_at.date(),
        lot.received_at,
        lot.pk,
    )


def sellable_balances(balances, today: date) -> list:
    """The balances stock may be drawn from, in FEFO order."""
    return sorted((b for b in balances if is_sellable(b.lot, today)), key=fefo_key)


def free(balance) -> Decimal:
    """What a lot holds in a store that no order has reserved."""
    return balance.on_hand - balance.reserved


def available(balances, today: date) -> Decimal:
    """What can be promised or sold: the stock of sellable lots less every reservation.

    A reservation on a lot that has expired or left APPROVED since still holds the
    order's claim (it ships from sellable stock: replace_stale), so it counts against
    the sellable stock too. Below zero when such claims are more than is left. The same
    rule in SQL: selectors.stock.available_term.
    """
    return sum(
        ((b.on_hand if is_sellable(b.lot, today) else ZERO) - b.reserved for b in balances), ZERO
    )


# -- Drawing -----------------------------------------------------------------------


def draw(quantity: Decimal, rows, allowance) -> list[tuple]:
    """Return [(row, take)] drawing `quantity` from rows in order, at most allowance(row)
    each. The caller checks beforehand that the allowances cover the quantity."""
    taken, remaining = [], quantity
    for row in rows:
        if remaining <= 0:
            break
        take = min(remaining, allowance(row))
        if take > 0:
            remaining -= take
            taken.append((row, take))
    return taken


def draw_available(
    *, item, store, quantity, balances, today, what="available", parts=None, lot=None
) -> list[tuple]:
    """Draw from the sellable stock of the pair's (locked) balances, FEFO; refuse when
    more than is available (rule: available()) is asked for. With `lot`, from that lot.
    The balances' in-memory figures are what earlier lines of the same document left.
    `parts`: the lines' quantities when `quantity` is what several lines ask for together."""
    candidates = sellable_balances(balances, today)
    if lot is not None:
        candidates = [b for b in candidates if b.lot_id == lot.pk]
    in_lots, have = sum(map(free, candidates), ZERO), available(balances, today)
    if lot is not None and in_lots <= have:  # the lot's own stock is what is short
        what, have = f"unreserved in lot {lot.code}", in_lots
    if have < quantity:
        raise InsufficientStock(
            item=item,
            store=store,
            requested=quantity,
            available=max(have, ZERO),
            what=what,
            parts=parts,
            aside=set_aside(balances, today) if lot is None else None,
        )
    return draw(quantity, candidates, free)


def set_aside(balances, today: date) -> dict:
    """On hand but not for sale, by why ({"waiting for QC": 5}), for a refusal to name."""
    aside: dict = {}
    for b in (b for b in balances if b.on_hand > 0 and not is_sellable(b.lot, today)):
        why = "expired" if is_expired(b.lot, today) else QC_ASIDE[b.lot.qc_status]
        aside[why] = aside.get(why, ZERO) + b.on_hand
    return aside


def draw_lines_available(*, store, lines, balances_for, today) -> list[tuple]:
    """Draw every line of one document from its item's sellable stock, FEFO, all or nothing.

    Return [(line, balance, take)]. `balances_for(item_id)` gives the item's locked
    balances in the store. Lines of the same item share its available stock, so an item
    is judged on what all its lines ask for together: when that is more than is
    available, raise ShortLines with one shortage per short item, naming the total, each
    line's part and every line (`lines`, `indexes`; `line`, `index`: the first).
    """
    by_item: dict = {}
    for index, line in enumerate(lines):
        by_item.setdefault(line.item_id, []).append((index, line))
    plan, shortages = [], []
    for group in by_item.values():
        item = group[0][1].item
        parts = [line.quantity for _, line in group]
        try:
            drawn = draw_available(
                item=item,
                store=store,
                quantity=sum(parts, ZERO),
                balances=balances_for(item.pk),
                today=today,
                parts=parts,
            )
        except InsufficientStock as shortage:
            shortage.indexes = [index for index, _ in group]
            shortage.lines = [line for _, line in group]
            shortage.index, shortage.line = group[0]
            shortages.append(shortage)
            continue
        # The item's one FEFO draw, shared out between its lines in line order.
        left = dict(drawn)
        for index, line in group:
            for balance, take in draw(line.quantity, list(left), left.__getitem__):
                left[balance] -= take
                plan.append((index, line, balance, take))
    if shortages:
        raise ShortLines(shortages)
    plan.sort(key=lambda step: step[0])  # stable: each line's lots stay in FEFO order
    return [(line, balance, take) for _, line, balance, take in plan]


def draw_reserved(*, item, store, quantity, balances, held: dict, today) -> list[tuple]:
    """Draw a shipment from the lots reserved for the line (`held`: {lot_id: quantity}).

    A reservation on a lot that has since expired or left APPROVED is not shipped.
    """
    candidates = sellable_balances(balances, today)
    have = sum((held.get(b.lot_id, ZERO) for b in candidates), ZERO)
    if have < quantity:
        raise InsufficientStock(
            item=item,
            store=store,
            requested=quantity,
            available=have,
            what="reserved for this order (and still sellable)",
        )
    return draw(quantity, candidates, lambda b: min(held.get(b.lot_id, ZERO), b.reserved))


def replace_stale(held: dict, balances, today) -> tuple[list, list]:
    """Move a line's reservations off lots that are no longer sellable (expired since
    they were reserved) onto the pair's sellable stock, FEFO, as far as it goes, so the
    order can still ship. `held`: {lot_id: quantity}; `balances`: the pair's locked
    balances. Return ([(balance, release)], [(balance, reserve)]), equal in total."""
    stale = [b for b in balances if held.get(b.lot_id) and not is_sellable(b.lot, today)]
    sellable = sellable_balances(balances, today)
    movable = min(sum((held[b.lot_id] for b in stale), ZERO), sum(map(free, sellable), ZERO))
    if movable <= 0:
        return [], []
    releases = draw(movable, sorted(stale, key=fefo_key), lambda b: held[b.lot_id])
    reserves = draw(movable, sellable, free)
    return releases, reserves


def rehome_reservations(need, holders, targets) -> list[tuple] | None:
    """Plan moving `need` of the reservations on one lot (about to hold less than it
    reserves: a count or a write-off of stock that is not there, an expired lot) onto
    `targets`, the pair's other sellable balances in FEFO order. `holders`: [(holder,
    held)] on that lot. Return [(holder, target, quantity)], or None when the targets'
    free stock cannot take them: the holders keep their whole reservations either way."""
    room = [free(b) for b in targets]
    if sum(room, ZERO) < need or sum((held for _, held in holders), ZERO) < need:
        return None
    plan = []
    for holder, held in holders:
        take = min(held, need)
        if take <= 0:
            break
        need -= take
        for index, quantity in draw(take, range(len(targets)), room.__getitem__):
            room[index] -= quantity
            plan.append((holder, targets[index], quantity))
    return plan


def draw_release(quantity, balances, held: dict) -> list[tuple]:
    """Release reservations, latest expiry first, at most what the holder has per lot."""
    ordered = sorted(balances, key=fefo_key, reverse=True)
    return draw(quantity, ordered, lambda b: min(held.get(b.lot_id, ZERO), b.reserved))


# -- Adjustments -------------------------------------------------------------------

NEGATIVE_REASONS = {"DAMAGE", "LOSS", "WRITE_OFF", "RETURN_TO_SUPPLIER"}
POSITIVE_REASONS = {"FOUND"}


# -- Low-stock alerts --------------------------------------------------------------


def is_low(available: Decimal, level: Decimal, *, active: bool = True) -> bool:
    """Below the item's reorder level (an item without one is never low), for an item
    and a store both active (`active`): neither is restocked once deactivated. The same
    rule in SQL: selectors.stock.LOW_CANDIDATES and BELOW_LEVEL."""
    return active and level > 0 and available < level


def alert_actions(available: dict, levels: dict, *, include_unlevelled: bool = False) -> list:
    """Return, per (item_id, store_id), whether a low-stock alert must be open.

    Below the reorder level an alert must be open; at or above it, any alert is
    resolved. Items without a reorder level are skipped, unless a level was just
    removed (include_unlevelled) and old alerts must be resolved.
    """
    actions = []
    for (item_id, store_id), now_available in available.items():
        level = levels[item_id]
        if level <= 0 and not include_unlevelled:
            continue
        action = {"item_id": item_id, "store_id": store_id, "available": now_available}
        actions.append({**action, "level": level, "open": is_low(now_available, level)})
    return actions


def alert_changes(available: dict, unresolved: set, levels: dict, lowered: set) -> list:
    """The actions of alert_actions() that change something after a document. An alert
    opens only where the document lowered what is available (`lowered`): stock arriving
    in a store still short of its level is no news (one alert per drop)."""
    changes = []
    for action in alert_actions(available, levels):
        pair = (action["item_id"], action["store_id"])
        if action["open"] == (pair in unresolved):
            continue
        if action["open"] and pair not in lowered:
            continue
        changes.append(action)
    return changes
