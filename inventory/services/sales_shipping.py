"""Shipping sales orders from their reservations, and customer returns."""

from decimal import Decimal, InvalidOperation

from django.db.models import Sum
from django.utils import timezone

from inventory import rules
from inventory.exceptions import (
    DocumentChanged,
    InsufficientStock,
    InventoryError,
    LineChecks,
    NothingLeft,
    ShortLines,
)
from inventory.locks import lock_sales_order
from inventory.models import LedgerEntry, Lot, SalesOrder, SalesOrderLine
from inventory.models.stock import sold_lot

from .posting import Posting, require_active_to_add
from .sales_common import (
    RETURNABLE_STATUSES,
    SalesResult,
    Status,
    check_transition,
    held_reservations,
    order_lines,
    set_status,
)
from .transactions import document_transaction, retry_on_conflict

Kind = LedgerEntry.Kind
ZERO = Decimal("0")


def _nothing(value) -> bool:
    """True for an empty or zero quantity: that line is not shipped this time."""
    if value in (None, ""):
        return True
    try:
        return Decimal(str(value)) == 0
    except (InvalidOperation, ValueError):
        return False  # clean_quantity refuses it with a clear message


def _planned(order, lines, shipments) -> list[tuple]:
    """[(line, quantity, index)] in primary-key order (the lock order); `index` is the
    shipment's place in `shipments` as given, so a refusal names the line the caller sent."""
    by_pk = {line.pk: line for line in lines}
    planned, checks = [], LineChecks()
    for index, (key, quantity) in enumerate(shipments.items()):
        line_pk = getattr(key, "pk", key)
        with checks.on_line(index):
            if line_pk not in by_pk:
                raise InventoryError(
                    f"Line {line_pk} does not belong to {order.number}.", field="line"
                )
            if _nothing(quantity):
                continue
            line = by_pk[line_pk]
            planned.append((line, rules.clean_quantity(quantity, unit=line.item.unit), index))
    checks.refuse()
    if not planned:
        raise InventoryError("Enter a quantity to ship for at least one line.")
    planned.sort(key=lambda entry: entry[0].pk)
    return planned


def _everything_left(order, lines) -> dict:
    """{line pk: reserved} for every line (zero ships nothing, and a refusal's index stays
    the line's place on the order), read after the order's lock: "ship everything left"
    ships what is reserved now, even when another shipment came first."""
    if order.status != Status.SHIPPED:
        check_transition(order, Status.SHIPPED)
    shipments = {line.pk: line.quantity_reserved for line in lines}
    if not any(shipments.values()):
        raise NothingLeft(
            f"{order.number} has nothing left to ship: it was shipped in full "
            "(by another user or window); nothing was changed."
        )
    return shipments


def _refuse_changed(order, lines, shown: dict) -> None:
    """Refuse a shipment entered against figures that have moved on since (another
    window or user shipped or cancelled): its quantities were chosen for those."""
    now = {line.pk: line.quantity_reserved for line in lines}
    if any(now.get(pk) != reserved for pk, reserved in shown.items()):
        raise DocumentChanged(
            f"{order.number} changed since this page was opened (shipped or cancelled "
            "elsewhere); nothing was shipped. Check the figures and ship again."
        )


@retry_on_conflict
def sales_order_ship(
    *,
    actor,
    order: SalesOrder,
    shipments,
    idempotency_key: str | None,
    shown: dict | None = None,
) -> SalesResult:
    """Ship part or all of each line, up to what it has reserved, from the reserved lots.

    `shipments` maps a line (or its pk) to a quantity; zero means "not now". ALL
    (rules.ALL) ships what each line has reserved once the order is locked, or refuses
    with NothingLeft when another shipment took it all. `shown`
    ({line pk: reserved}) is what the shipper saw; when the order has moved on since,
    nothing is shipped. Reserved stock in a lot that has expired (or left APPROVED)
    is not shipped. The order becomes PARTIALLY_SHIPPED or SHIPPED in the same
    transaction.
    """
    with document_transaction():
        posting = Posting(kind="SO_SHIP", actor=actor, idempotency_key=idempotency_key)
        if replayed := posting.claim():
            order = SalesOrder.objects.get(pk=order.pk)
            return SalesResult(order=order, stock=replayed, replayed=True)
        order = lock_sales_order(order.pk)
        lines = order_lines(order)
        # Before the status: a page opened before a cancel says it changed since.
        if shown is not None:
            _refuse_changed(order, lines, shown)
        if shipments is rules.ALL:
            shipments = _everything_left(order, lines)
        check_transition(order, Status.SHIPPED)
        planned = _planned(order, lines, shipments)
        held = held_reservations(lines=[line for line, _, _ in planned])
        # A reservation on a lot that has expired or left APPROVED since moves to sellable
        # stock: then the items' stocked balances are locked too, in the same one
        # statement (primary-key order), as the lots read before the locks tell (a QC
        # decision meanwhile: the move finds no lot to take it, and the shipment is
        # refused). Otherwise a shipment locks only its reserved rows and the tills go on.
        rows = [(order.store_id, lot) for line, _, _ in planned for lot in held.get(line.pk, {})]
        stale = _unsellable_lots({lot for _, lot in rows}, posting.today)
        posting.lock(
            stocked=[(line.item_id, order.store_id) for line, _, _ in planned] if stale else (),
            rows=rows,
        )
        shortages = []
        for line, quantity, index in planned:
            mine = held.get(line.pk, {})
            _replace_stale(posting, line, mine)
            balances = [posting.balances[(order.store_id, lot)] for lot in mine]
            try:
                if quantity > line.quantity_reserved:
                    raise InsufficientStock(
                        item=line.item,
                        store=order.store,
                        requested=quantity,
                        available=line.quantity_reserved,
                        what="reserved for this order",
                    )
                plan = rules.draw_reserved(
                    item=line.item,
                    store=order.store,
                    quantity=quantity,
                    balances=balances,
                    held=mine,
                    today=posting.today,
                )
            except InsufficientStock as shortage:
                shortage.line, shortage.index = line, index
                shortages.append(shortage)
                continue
            for balance, take in plan:
                posting.post(
                    balance,
                    kind=Kind.ISSUE,
                    quantity=take,
                    on_hand=-take,
                    reserved=-take,
                    so_line=line,
                )
            line.quantity_reserved -= quantity
            line.quantity_shipped += quantity
        if shortages:
            raise ShortLines(shortages)
        SalesOrderLine.objects.bulk_update(
            [line for line, _, _ in planned], ["quantity_reserved", "quantity_shipped"]
        )
        outstanding = any(line.quantity_shipped < line.quantity for line in lines)
        set_status(order, Status.PARTIALLY_SHIPPED if outstanding else Status.SHIPPED)
        stock = posting.write(
            action="sales_order.ship",
            obj=order,
            details={
                "status": order.status,
                "shipped": [
                    {"line": e.so_line.pk, "lot": e.lot.code, "quantity": e.quantity}
                    for e in posting.entries
                ],
            },
        )
    return SalesResult(order=order, stock=stock)


def _unsellable_lots(lot_ids, today) -> bool:
    """Whether any of these lots is no longer sellable (rules.is_sellable; one query)."""
    lots = Lot.objects.filter(pk__in=lot_ids).only("qc_status", "expires_on") if lot_ids else ()
    return not all(rules.is_sellable(lot, today) for lot in lots)


def _replace_stale(posting: Posting, line, mine: dict) -> None:
    """Move the line's reservations off lots no longer sellable (rules.replace_stale), as
    UNRESERVE and RESERVE rows of the line; `mine` ({lot_id: held}) follows them."""
    stocked = posting.stocked_balances(line.item_id, line.order.store_id)
    releases, reserves = rules.replace_stale(mine, stocked, posting.today)
    for balance, quantity in releases:
        posting.post(
            balance, kind=Kind.UNRESERVE, quantity=quantity, reserved=-quantity, so_line=line
        )
        mine[balance.lot_id] -= quantity
    for balance, quantity in reserves:
        posting.post(balance, kind=Kind.RESERVE, quantity=quantity, reserved=quantity, so_line=line)
        mine[balance.lot_id] = mine.get(balance.lot_id, ZERO) + quantity


@retry_on_conflict
def sales_order_return(
    *,
    actor,
    line: SalesOrderLine,
    quantity,
    note: str = "",
    damaged: bool = False,
    idempotency_key: str | None,
) -> SalesResult:
    """Take back at most shipped minus returned of a line as RETURN entries.

    Stock goes back into the lots it left; for an item that needs QC, or a return
    marked damaged, it goes into a new QUARANTINE lot per source lot, so returned units
    are never available before a QC decision on them (rules.return_held). The order's
    status does not change.
    """
    quantity = rules.clean_quantity(quantity, unit=line.item.unit)
    with document_transaction():
        posting = Posting(kind="SO_RETURN", actor=actor, idempotency_key=idempotency_key)
        if replayed := posting.claim():
            order = SalesOrder.objects.get(pk=line.order_id)
            return SalesResult(order=order, stock=replayed, replayed=True)
        order = lock_sales_order(line.order_id)
        line = SalesOrderLine.objects.select_related("item").get(pk=line.pk, order=order)
        item = line.item
        returnable = line.quantity_shipped - line.quantity_returned
        if order.status not in RETURNABLE_STATUSES or returnable <= 0:
            raise InventoryError(
                f"Nothing of {item.sku} has been shipped on {order.number} that could be returned.",
                field="quantity",
            )
        if quantity > returnable:
            raise InsufficientStock(
                item=item,
                store=order.store,
                requested=quantity,
                available=returnable,
                what=f"shipped and not yet returned on {order.number}",
            )
        require_active_to_add(quantity, item, order.store, field_name="quantity")
        shipped = _shipped_by_lot(line)
        plan = rules.draw(quantity, sorted(shipped, reverse=True), lambda lot_id: shipped[lot_id])
        held = rules.return_held(item, damaged)
        if held:
            sources = posting.lock(lots=[lot_id for lot_id, _ in plan])
        else:
            posting.lock(rows=[(order.store_id, lot_id) for lot_id, _ in plan])
        for lot_id, take in plan:
            if held:
                lot = posting.quarantine_lot(sources[lot_id], item, "R")
                balance = posting.balance(order.store_id, lot, item)
            else:
                balance = posting.balances[(order.store_id, lot_id)]
            posting.post(
                balance, kind=Kind.RETURN, quantity=take, on_hand=take, so_line=line, note=note
            )
        line.quantity_returned += quantity
        SalesOrderLine.objects.filter(pk=line.pk).update(quantity_returned=line.quantity_returned)
        SalesOrder.objects.filter(pk=order.pk).update(updated_at=timezone.now())
        stock = posting.write(
            action="sales_order.return",
            obj=order,
            details={
                "line": line.pk,
                "item": item.sku,
                "quantity": quantity,
                "note": note,
                "damaged": damaged,
                "into_lots": [e.lot.code for e in posting.entries],
            },
        )
    return SalesResult(order=order, stock=stock)


def _shipped_by_lot(line) -> dict[int, Decimal]:
    """{lot_id: shipped minus returned} for the line, per lot it was shipped from."""
    shipped = dict(
        LedgerEntry.objects.filter(so_line=line, kind=Kind.ISSUE)
        .values_list("lot_id")
        .annotate(q=Sum("quantity"))
        .order_by()
    )
    returned = (
        LedgerEntry.objects.filter(so_line=line, kind=Kind.RETURN)
        .values_list(sold_lot())
        .annotate(q=Sum("quantity"))
        .order_by()
    )
    for lot_id, quantity in returned:
        shipped[lot_id] = shipped.get(lot_id, ZERO) - quantity
    return {lot_id: q for lot_id, q in shipped.items() if q > 0}
