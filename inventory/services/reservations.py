"""Reservations that must leave a lot about to hold less than it reserves.

A count that finds less than is reserved, or a write-off of such stock (an expired lot
an order still holds), is what is on the shelf: it is recorded, and the reservations
the lot can no longer back move onto the pair's other sellable lots, FEFO, as
UNRESERVE and RESERVE rows of the same holders (rules.rehome_reservations). Orders keep
their whole reservations; only where they sit changes. When the other lots cannot take
them, the document is refused, naming the orders to ship or cancel first.
"""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum

from inventory import rules
from inventory.exceptions import OrdersHoldMore
from inventory.models import LedgerEntry, SalesOrder, SalesOrderLine, StockBalance
from inventory.quantities import fmt_amount

from .posting import Posting

Kind = LedgerEntry.Kind


def short_pairs(store_id, keeps: dict) -> list[tuple[int, int]]:
    """Before the locks: the (item_id, store_id) pairs of the lots that would keep less
    than they reserve; `keeps`: {lot_id: keep(on_hand)}. A document locks those pairs'
    stock, and only those: a write-off does not lock every lot of the item. Read
    unlocked: should a lot be reserved meanwhile, make_room finds no lot to move to
    and refuses."""
    rows = StockBalance.objects.filter(store_id=store_id, lot_id__in=keeps).values_list(
        "lot_id", "item_id", "on_hand", "reserved"
    )
    return [
        (item_id, store_id)
        for lot_id, item_id, on_hand, reserved in rows
        if reserved > keeps[lot_id](on_hand)
    ]


def _on(entry, balance) -> bool:
    """Whether a row this document staged moves the balance's lot in its store."""
    return entry.store_id == balance.store_id and entry.lot.pk == balance.lot_id


def _holders(posting: Posting, balance) -> list[tuple[int | None, Decimal]]:
    """[(so_line_id or None, reserved)] on the balance's lot in its store, latest first:
    the ledger's, and what this document has moved there already."""
    rows = (
        LedgerEntry.objects.filter(lot_id=balance.lot_id, store_id=balance.store_id)
        .exclude(reserved_delta=0)
        .values_list("so_line_id")
        .annotate(held=Sum("reserved_delta"))
        .order_by()
    )
    held = defaultdict(lambda: rules.ZERO, rows)
    for e in posting.entries:
        if _on(e, balance):
            held[e.so_line_id] += e.reserved_delta
    pairs = [(line, quantity) for line, quantity in held.items() if quantity > 0]
    return sorted(pairs, key=lambda pair: (pair[0] is None, -(pair[0] or 0)))


def make_room(
    posting: Posting, balance, *, keep: Decimal, why: str, field=None, total=None
) -> None:
    """Leave at most `keep` reserved on `balance` (what it will hold), moving the rest
    onto the pair's other sellable lots: those locked (lock(stocked=...)). `why` goes
    into the refusal: "Lot X has 10 pcs reserved, <why>, and ...". `total`: what was
    counted of the item, all lots together, when the count was by item: the refusal
    then gives that figure, the one the counter typed."""
    need = balance.reserved - max(keep, rules.ZERO)
    if need <= 0:
        return
    pair = posting.stocked_balances(balance.item_id, balance.store_id)
    targets = [b for b in rules.sellable_balances(pair, posting.today) if b is not balance]
    holders = _holders(posting, balance)
    plan = rules.rehome_reservations(need, holders, targets)
    if plan is None:
        room = sum(map(rules.free, targets), rules.ZERO)
        unit = balance.item.unit
        lines = [line for line, _ in holders if line]
        orders = [o.number for o in SalesOrder.objects.filter(lines__in=lines).distinct()]
        then = f"ship or cancel {', '.join(orders)}" if orders else "release them"
        held = sum((b.reserved for b in pair), rules.ZERO)
        if total is not None and held > total:
            message = (
                f"Orders hold {fmt_amount(held, unit)} of {balance.item.sku} in "
                f"{balance.store.name}, more than the {fmt_amount(total, unit)} counted of "
                f"it, all lots together: {then} first."
            )
        elif any(e.reserved_delta > 0 for e in posting.entries if _on(e, balance)):
            # Some of the lot's reservations were moved onto it by this document, so the
            # manager never saw them there: say it of the item in the store instead.
            left = max(keep, rules.ZERO) + sum((b.on_hand for b in targets), rules.ZERO)
            message = (
                f"Orders hold {fmt_amount(held, unit)} of {balance.item.sku} in "
                f"{balance.store.name}, more than the {fmt_amount(left, unit)} its lots there "
                f"hold for sale after this document: {then} first."
            )
        else:
            message = (
                f"Lot {balance.lot.code} has {fmt_amount(balance.reserved, unit)} reserved, "
                f"{why}, and the other lots of {balance.item.sku} in {balance.store.name} "
                f"have {fmt_amount(room, unit)} free to take them: {then} first."
            )
        blind = (
            f"Orders hold more of {balance.item.sku} in {balance.store.name} than this count "
            f"leaves there: {then} first, or count again."
        )
        raise OrdersHoldMore(message, without_figures=blind, field=field)
    lines = SalesOrderLine.objects.in_bulk([line for line, _, _ in plan if line])
    released = defaultdict(lambda: rules.ZERO)  # one UNRESERVE row per holder
    for line_id, _, quantity in plan:
        released[line_id] += quantity
    for line_id, quantity in released.items():
        line = lines.get(line_id)
        posting.post(
            balance, kind=Kind.UNRESERVE, quantity=quantity, reserved=-quantity, so_line=line
        )
    for line_id, target, quantity in plan:
        line = lines.get(line_id)
        posting.post(target, kind=Kind.RESERVE, quantity=quantity, reserved=quantity, so_line=line)
