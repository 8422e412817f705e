"""Drawing: which lots a quantity comes from (FEFO), and where reservations go."""

from datetime import date
from decimal import Decimal

from inventory.exceptions import InsufficientStock, ShortLines

from .lots import QC_ASIDE, available, fefo_key, free, is_expired, is_sellable, sellable_balances
from .quantities import ZERO


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
