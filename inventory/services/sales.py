"""Sales orders: draft, confirm (reserve all or nothing), ship by FEFO, cancel, return.

Every service runs in one transaction. It claims the form's idempotency key first
(begin_operation), then locks the order row (inventory.locks), then lets the stock
services lock balances, so the lock order is the global one. Status moves only
along TRANSITIONS; anything else raises InvalidTransition and writes nothing.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import F

from inventory.exceptions import (
    InsufficientStock,
    InvalidTransition,
    InventoryError,
    ShortLines,
)
from inventory.locks import lock_balances, lock_sales_order
from inventory.models import Customer, Item, SalesOrder, SalesOrderLine, StockBalance
from inventory.selectors.stock import stock_available_by_pair

from .actor import as_actor
from .alerts import alerts_refresh
from .audit import audit_record
from .posting import (
    StockResult,
    begin_operation,
    clean_quantity,
    replayed_result,
    require_active,
)
from .replays import created_by_operation
from .stock import stock_issue, stock_reserve, stock_return, stock_unreserve

Status = SalesOrder.Status
ZERO = Decimal("0")
MONEY_STEP = Decimal("0.01")

TRANSITIONS = {
    Status.DRAFT: {Status.CONFIRMED, Status.CANCELLED},
    Status.CONFIRMED: {Status.PARTIALLY_SHIPPED, Status.SHIPPED, Status.CANCELLED},
    Status.PARTIALLY_SHIPPED: {Status.PARTIALLY_SHIPPED, Status.SHIPPED, Status.CANCELLED},
    Status.SHIPPED: set(),
    Status.CANCELLED: set(),
}
# A customer return needs something shipped; it does not move the order's status.
RETURNABLE_STATUSES = {Status.PARTIALLY_SHIPPED, Status.SHIPPED, Status.CANCELLED}


@dataclass
class SalesResult:
    """The order a sales service acted on; `replayed` is True for a repeated form token."""

    order: SalesOrder
    stock: StockResult | None = None
    replayed: bool = False


def allowed_actions(order: SalesOrder) -> set[str]:
    """Return the actions the order's status allows now: edit, confirm, ship, cancel."""
    targets = TRANSITIONS[Status(order.status)]
    actions = set()
    if order.status == Status.DRAFT:
        actions |= {"edit"}
    if Status.CONFIRMED in targets:
        actions.add("confirm")
    if Status.SHIPPED in targets:
        actions.add("ship")
    if Status.CANCELLED in targets:
        actions.add("cancel")
    return actions


def _check_transition(order: SalesOrder, to_status: str) -> None:
    if to_status not in TRANSITIONS[Status(order.status)]:
        raise InvalidTransition(order, order.status, to_status)


def _set_status(order: SalesOrder, to_status: str) -> None:
    _check_transition(order, to_status)
    SalesOrder.objects.filter(pk=order.pk).update(status=to_status)
    order.status = to_status


def _clean_price(value, item: Item) -> Decimal:
    if value in (None, ""):
        return item.unit_price
    try:
        price = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise InventoryError("Unit price must be a number.", field="unit_price") from None
    if not price.is_finite() or price < 0:
        raise InventoryError("Unit price cannot be negative.", field="unit_price")
    if price != price.quantize(MONEY_STEP) or price >= Decimal("10000000000"):
        raise InventoryError("Unit price must be a sum of money.", field="unit_price")
    return price


def _clean_lines(lines) -> list[tuple[Item, Decimal, Decimal]]:
    cleaned = []
    for line in lines:
        item, quantity, *rest = line
        price = rest[0] if rest else None
        require_active(item, "Item", field_name="item")
        cleaned.append((item, clean_quantity(quantity), _clean_price(price, item)))
    if not cleaned:
        raise InventoryError("Add at least one line to the order.")
    return cleaned


def _clean_header(store, customer) -> None:
    require_active(store, "Store", field_name="store")
    if customer is not None:
        require_active(customer, "Customer", field_name="customer")


def _lines_detail(order: SalesOrder) -> list[dict]:
    return [
        {
            "line": line.pk,
            "item": line.item.sku,
            "quantity": line.quantity,
            "unit_price": line.unit_price,
            "reserved": line.quantity_reserved,
            "shipped": line.quantity_shipped,
            "returned": line.quantity_returned,
        }
        for line in order.lines.select_related("item").order_by("pk")
    ]


def sales_order_create(
    *,
    actor,
    store,
    customer: Customer | None,
    note: str = "",
    lines,
    idempotency_key: str | None = None,
) -> SalesOrder:
    """Record a DRAFT order; each line is (item, quantity, unit price or None for the item's).

    Nothing is reserved yet. Deactivated stores, customers and items are refused. A
    repeated idempotency key writes nothing and returns the first order, marked
    `replayed`.
    """
    actor = as_actor(actor)
    _clean_header(store, customer)
    cleaned = _clean_lines(lines)
    with transaction.atomic():
        claimed = {}
        if idempotency_key:
            operation, replayed = begin_operation(
                kind="SO_CREATE", actor=actor, idempotency_key=idempotency_key
            )
            if replayed:
                return created_by_operation(
                    SalesOrder, action="sales_order.create", operation=operation
                )
            claimed = {"operation": operation.pk}
        order = SalesOrder.objects.create(
            store=store, customer=customer, note=note or "", created_by=actor.user
        )
        SalesOrderLine.objects.bulk_create(
            SalesOrderLine(order=order, item=item, quantity=quantity, unit_price=price)
            for item, quantity, price in cleaned
        )
        audit_record(
            actor=actor,
            action="sales_order.create",
            obj=order,
            details={
                **claimed,
                "store": store.code,
                "customer": customer.name if customer else None,
                "lines": _lines_detail(order),
            },
        )
    return order


def sales_order_update(
    *,
    actor,
    order: SalesOrder,
    store,
    customer: Customer | None,
    note: str = "",
    lines,
) -> SalesOrder:
    """Replace a DRAFT order's header and lines; any other status is refused."""
    actor = as_actor(actor)
    _clean_header(store, customer)
    cleaned = _clean_lines(lines)
    with transaction.atomic():
        order = lock_sales_order(order.pk)
        if order.status != Status.DRAFT:
            raise InvalidTransition(order, order.status, Status.DRAFT)
        before = _lines_detail(order)
        order.lines.all().delete()
        SalesOrderLine.objects.bulk_create(
            SalesOrderLine(order=order, item=item, quantity=quantity, unit_price=price)
            for item, quantity, price in cleaned
        )
        SalesOrder.objects.filter(pk=order.pk).update(
            store=store, customer=customer, note=note or ""
        )
        order.refresh_from_db()
        audit_record(
            actor=actor,
            action="sales_order.update",
            obj=order,
            details={
                "store": store.code,
                "customer": customer.name if customer else None,
                "lines_before": before,
                "lines": _lines_detail(order),
            },
        )
    return order


def _begin(kind: str, actor, idempotency_key: str | None):
    """Claim the key; return (StockResult, replayed)."""
    operation, replayed = begin_operation(kind=kind, actor=actor, idempotency_key=idempotency_key)
    if replayed:
        return replayed_result(operation), True
    return StockResult(operation=operation), False


def _reserve_lines(actor, order: SalesOrder, lines, result: StockResult) -> None:
    """Reserve every line from APPROVED lots in the order's store, or raise ShortLines.

    Balances of every item are locked together (primary-key order) before anything is
    checked, so the check and the reservations see the same stock.
    """
    lines = list(lines)
    item_ids = {line.item_id for line in lines}
    lock_balances(StockBalance.objects.filter(item_id__in=item_ids, store=order.store))
    available = stock_available_by_pair(pairs={(i, order.store_id) for i in item_ids})
    left = {i: available[(i, order.store_id)] for i in item_ids}
    shortages = []
    for index, line in enumerate(lines):
        have = max(left[line.item_id], ZERO)
        if line.quantity > have:
            shortage = InsufficientStock(
                item=line.item, store=order.store, requested=line.quantity, available=have
            )
            shortage.line, shortage.index = line, index
            shortages.append(shortage)
        left[line.item_id] -= line.quantity
    if shortages:
        raise ShortLines(shortages)
    for line in lines:
        stock_reserve(
            actor=actor,
            item=line.item,
            store=order.store,
            quantity=line.quantity,
            so_line=line,
            result=result,
        )
        SalesOrderLine.objects.filter(pk=line.pk).update(
            quantity_reserved=F("quantity_reserved") + line.quantity
        )


def sales_order_confirm(*, actor, order: SalesOrder, idempotency_key: str | None) -> SalesResult:
    """Confirm a DRAFT order by reserving every line, all or nothing.

    If any line is short, raise ShortLines naming each short line with the quantity
    requested and available; the transaction rolls back and nothing is reserved.
    """
    actor = as_actor(actor)
    with transaction.atomic():
        result, replayed = _begin("SO_CONFIRM", actor, idempotency_key)
        if replayed:
            return SalesResult(
                order=SalesOrder.objects.get(pk=order.pk), stock=result, replayed=True
            )
        order = lock_sales_order(order.pk)
        _check_transition(order, Status.CONFIRMED)
        lines = list(order.lines.select_related("item").order_by("pk"))
        if not lines:
            raise InventoryError("Add at least one line before confirming the order.")
        _reserve_lines(actor, order, lines, result)
        _set_status(order, Status.CONFIRMED)
        audit_record(
            actor=actor,
            action="sales_order.confirm",
            obj=order,
            details={"operation": result.operation.pk, "lines": _lines_detail(order)},
        )
        alerts_refresh(pairs=result.touched, actor=actor, levels=result.levels)
    return SalesResult(order=order, stock=result)


def _ship_lines(actor, order: SalesOrder, shipments: dict, result: StockResult) -> None:
    """Issue each line's quantity from its reservation, or raise ShortLines for over-issue."""
    lines = {line.pk: line for line in order.lines.select_related("item").order_by("pk")}
    planned = []
    for key, quantity in shipments.items():
        line_pk = getattr(key, "pk", key)
        if line_pk not in lines:
            raise InventoryError("A shipped line does not belong to this order.")
        if _nothing(quantity):
            continue
        planned.append((lines[line_pk], clean_quantity(quantity)))
    if not planned:
        raise InventoryError("Enter a quantity to ship for at least one line.")
    planned.sort(key=lambda pair: pair[0].pk)
    shortages = []
    for index, (line, quantity) in enumerate(planned):
        if quantity > line.quantity_reserved:
            shortage = InsufficientStock(
                item=line.item,
                store=order.store,
                requested=quantity,
                available=line.quantity_reserved,
                what="reserved for this order",
            )
            shortage.line, shortage.index = line, index
            shortages.append(shortage)
    if shortages:
        raise ShortLines(shortages)
    for line, quantity in planned:
        stock_issue(
            actor=actor,
            item=line.item,
            store=order.store,
            quantity=quantity,
            from_reservation=True,
            so_line=line,
            result=result,
        )
        SalesOrderLine.objects.filter(pk=line.pk).update(
            quantity_reserved=F("quantity_reserved") - quantity,
            quantity_shipped=F("quantity_shipped") + quantity,
        )


def _nothing(value) -> bool:
    """True for an empty or zero quantity: that line is not shipped this time."""
    if value in (None, ""):
        return True
    try:
        return Decimal(str(value)) == 0
    except (InvalidOperation, ValueError):
        return False  # clean_quantity refuses it with a clear message


def _status_after_shipping(order: SalesOrder) -> str:
    outstanding = order.lines.filter(quantity_shipped__lt=F("quantity")).exists()
    return Status.PARTIALLY_SHIPPED if outstanding else Status.SHIPPED


def sales_order_ship(
    *, actor, order: SalesOrder, shipments: dict, idempotency_key: str | None
) -> SalesResult:
    """Ship part or all of each line, up to what it has reserved, from the reserved lots.

    `shipments` maps a line (or its pk) to a quantity; zero means "not now". The order
    becomes PARTIALLY_SHIPPED or SHIPPED in the same transaction.
    """
    actor = as_actor(actor)
    with transaction.atomic():
        result, replayed = _begin("SO_SHIP", actor, idempotency_key)
        if replayed:
            return SalesResult(
                order=SalesOrder.objects.get(pk=order.pk), stock=result, replayed=True
            )
        order = lock_sales_order(order.pk)
        _check_transition(order, Status.SHIPPED)
        _ship_lines(actor, order, shipments, result)
        _set_status(order, _status_after_shipping(order))
        audit_record(
            actor=actor,
            action="sales_order.ship",
            obj=order,
            details={
                "operation": result.operation.pk,
                "status": order.status,
                "shipped": [
                    {"line": e.so_line_id, "lot": e.lot_id, "quantity": e.quantity}
                    for e in result.entries
                ],
            },
        )
        alerts_refresh(pairs=result.touched, actor=actor, levels=result.levels)
    return SalesResult(order=order, stock=result)


def sales_order_cancel(*, actor, order: SalesOrder, idempotency_key: str | None) -> SalesResult:
    """Cancel a DRAFT, CONFIRMED or PARTIALLY_SHIPPED order, releasing what is still reserved.

    What was shipped stays issued; returns go through sales_order_return.
    """
    actor = as_actor(actor)
    with transaction.atomic():
        result, replayed = _begin("SO_CANCEL", actor, idempotency_key)
        if replayed:
            return SalesResult(
                order=SalesOrder.objects.get(pk=order.pk), stock=result, replayed=True
            )
        order = lock_sales_order(order.pk)
        _check_transition(order, Status.CANCELLED)
        released = []
        for line in order.lines.select_related("item").filter(quantity_reserved__gt=0):
            stock_unreserve(
                actor=actor,
                item=line.item,
                store=order.store,
                quantity=line.quantity_reserved,
                so_line=line,
                result=result,
            )
            SalesOrderLine.objects.filter(pk=line.pk).update(
                quantity_reserved=F("quantity_reserved") - line.quantity_reserved
            )
            released.append(
                {"line": line.pk, "item": line.item.sku, "quantity": line.quantity_reserved}
            )
        _set_status(order, Status.CANCELLED)
        audit_record(
            actor=actor,
            action="sales_order.cancel",
            obj=order,
            details={"operation": result.operation.pk, "released": released},
        )
        alerts_refresh(pairs=result.touched, actor=actor, levels=result.levels)
    return SalesResult(order=order, stock=result)


def sales_quick_sale(
    *,
    actor,
    store,
    customer: Customer | None,
    lines,
    note: str = "",
    idempotency_key: str | None,
) -> SalesResult:
    """Record a counter sale: create, confirm and ship the whole order in one transaction.

    If any line is short, raise ShortLines (each shortage carries `index`, the line's
    position in `lines`) and record nothing at all, not even the order.
    """
    actor = as_actor(actor)
    _clean_header(store, customer)
    cleaned = _clean_lines(lines)
    with transaction.atomic():
        result, replayed = _begin("SO_QUICK_SALE", actor, idempotency_key)
        if replayed:
            entry = result.operation.entries.select_related("so_line__order").first()
            if entry is None:
                raise InventoryError("This form was already used; reload the page.")
            return SalesResult(order=entry.so_line.order, stock=result, replayed=True)
        order = SalesOrder.objects.create(
            store=store, customer=customer, note=note or "", created_by=actor.user
        )
        SalesOrderLine.objects.bulk_create(
            SalesOrderLine(order=order, item=item, quantity=quantity, unit_price=price)
            for item, quantity, price in cleaned
        )
        order = lock_sales_order(order.pk)
        # Lines come back in input order (primary keys ascend), so shortage.index matches.
        lines = list(order.lines.select_related("item").order_by("pk"))
        _reserve_lines(actor, order, lines, result)
        _set_status(order, Status.CONFIRMED)
        _ship_lines(actor, order, {line.pk: line.quantity for line in lines}, result)
        _set_status(order, _status_after_shipping(order))
        audit_record(
            actor=actor,
            action="sales_order.quick_sale",
            obj=order,
            details={
                "operation": result.operation.pk,
                "store": store.code,
                "customer": customer.name if customer else None,
                "lines": _lines_detail(order),
            },
        )
        alerts_refresh(pairs=result.touched, actor=actor, levels=result.levels)
    return SalesResult(order=order, stock=result)


def sales_order_return(
    *,
    actor,
    line: SalesOrderLine,
    quantity,
    note: str = "",
    idempotency_key: str | None,
) -> SalesResult:
    """Take back at most shipped minus returned of a line as RETURN entries.

    Stock goes back into the lots it left, or into a QUARANTINE lot for inspection
    when the item needs QC. The order's status does not change.
    """
    actor = as_actor(actor)
    quantity = clean_quantity(quantity)
    with transaction.atomic():
        result, replayed = _begin("SO_RETURN", actor, idempotency_key)
        if replayed:
            return SalesResult(
                order=SalesOrder.objects.get(pk=line.order_id), stock=result, replayed=True
            )
        order = lock_sales_order(line.order_id)
        line = SalesOrderLine.objects.select_related("item").get(pk=line.pk, order=order)
        line.order = order
        returnable = line.quantity_shipped - line.quantity_returned
        if order.status not in RETURNABLE_STATUSES or returnable <= 0:
            raise InventoryError(
                f"Nothing of {line.item.sku} has been shipped on {order.number} that could "
                "be returned.",
                field="quantity",
            )
        if quantity > returnable:
            raise InsufficientStock(
                item=line.item,
                store=order.store,
                requested=quantity,
                available=returnable,
                what=f"shipped and not yet returned on {order.number}",
            )
        stock_return(actor=actor, so_line=line, quantity=quantity, note=note, result=result)
        SalesOrderLine.objects.filter(pk=line.pk).update(
            quantity_returned=F("quantity_returned") + quantity
        )
        audit_record(
            actor=actor,
            action="sales_order.return",
            obj=order,
            details={
                "operation": result.operation.pk,
                "line": line.pk,
                "item": line.item.sku,
                "quantity": quantity,
                "note": note,
                "into_lots": [e.lot.code for e in result.entries],
            },
        )
        alerts_refresh(pairs=result.touched, actor=actor, levels=result.levels)
    return SalesResult(order=order, stock=result)
