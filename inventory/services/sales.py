"""Sales orders: drafts, confirm (reserve all or nothing), cancel, and the quick sale.

Shipping and returns are in sales_shipping.py. Every stock-moving service runs the
posting pipeline (services/posting.py): claim the key, lock the order row, then all
the balances its lines touch in one statement, decide with inventory.rules, write
in bulk. Status moves only along TRANSITIONS; anything else raises
InvalidTransition and writes nothing.
"""

from django.db import transaction
from django.utils import timezone

from inventory import rules
from inventory.exceptions import InvalidTransition, InventoryError
from inventory.locks import lock_sales_order, lock_store
from inventory.models import Customer, LedgerEntry, SalesOrder, SalesOrderLine

from .actor import as_actor
from .audit import audit_record
from .posting import Posting, require_active
from .replays import claim_draft
from .sales_common import (
    TRANSITIONS,
    SalesResult,
    Status,
    check_transition,
    clean_header,
    clean_lines,
    held_reservations,
    lines_detail,
    order_lines,
    replay_order,
    require_active_items,
    set_status,
)
from .sales_shipping import sales_order_return, sales_order_ship
from .transactions import document_transaction, retry_on_conflict

__all__ = [
    "allowed_actions",
    "sales_order_cancel",
    "sales_order_confirm",
    "sales_order_create",
    "sales_order_return",
    "sales_order_ship",
    "sales_order_update",
    "sales_quick_sale",
]
Kind = LedgerEntry.Kind


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
    clean_header(store, customer)
    cleaned = clean_lines(lines)
    with transaction.atomic():
        first, claimed = claim_draft(
            kind="SO_CREATE",
            actor=actor,
            idempotency_key=idempotency_key,
            model=SalesOrder,
            action="sales_order.create",
        )
        if first is not None:
            return first
        require_active(lock_store(store.pk), "Store", field_name="store")
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
                "lines": lines_detail(order_lines(order)),
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
    shown: str | None = None,
) -> SalesOrder:
    """Replace a DRAFT order's header and lines; any other status is refused, and so
    is an order saved since the page (`shown`, its version) was opened."""
    actor = as_actor(actor)
    clean_header(store, customer)
    cleaned = clean_lines(lines)
    with transaction.atomic():
        order = lock_sales_order(order.pk)
        rules.check_not_changed(order, shown)
        if order.status != Status.DRAFT:
            raise InvalidTransition(order, order.status, Status.DRAFT)
        require_active(lock_store(store.pk), "Store", field_name="store")
        before = lines_detail(order_lines(order))
        order.lines.all().delete()
        SalesOrderLine.objects.bulk_create(
            SalesOrderLine(order=order, item=item, quantity=quantity, unit_price=price)
            for item, quantity, price in cleaned
        )
        SalesOrder.objects.filter(pk=order.pk).update(
            store=store, customer=customer, note=note or "", updated_at=timezone.now()
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
                "lines": lines_detail(order_lines(order)),
            },
        )
    return order


def _draw_lines(posting: Posting, store, lines, kind):
    """Stage `kind` rows drawing each line's quantity from sellable stock, FEFO; all or
    nothing (inventory.rules.draw_lines_available): ShortLines names every short item
    with its lines, and nothing is written."""
    plan = rules.draw_lines_available(
        store=store,
        lines=lines,
        balances_for=lambda item_id: posting.stocked_balances(item_id, store.pk),
        today=posting.today,
    )
    for line, balance, take in plan:
        if kind == Kind.RESERVE:
            posting.post(balance, kind=kind, quantity=take, reserved=take, so_line=line)
        else:
            posting.post(balance, kind=kind, quantity=take, on_hand=-take, so_line=line)


@retry_on_conflict
def sales_order_confirm(
    *, actor, order: SalesOrder, idempotency_key: str | None, shown: str | None = None
) -> SalesResult:
    """Confirm a DRAFT order by reserving every line, all or nothing; not one changed
    since its page (`shown`) was opened, nor one whose store was deactivated since.

    If any item is short, raise ShortLines naming it with the quantity its lines ask
    for together and what is available; the transaction rolls back, nothing is reserved.
    """
    with document_transaction():
        posting = Posting(kind="SO_CONFIRM", actor=actor, idempotency_key=idempotency_key)
        if replayed := posting.claim():
            return SalesResult(
                order=replay_order(replayed, order.pk), stock=replayed, replayed=True
            )
        order = lock_sales_order(order.pk)
        rules.check_not_changed(order, shown)
        check_transition(order, Status.CONFIRMED)
        clean_header(order.store, None)  # re-read under the lock: a store closed since
        lines = order_lines(order)
        if not lines:
            raise InventoryError("Add at least one line before confirming the order.")
        require_active_items(lines)
        posting.lock(stocked=[(line.item_id, order.store_id) for line in lines])
        _draw_lines(posting, order.store, lines, Kind.RESERVE)
        for line in lines:
            line.quantity_reserved += line.quantity
        SalesOrderLine.objects.bulk_update(lines, ["quantity_reserved"])
        set_status(order, Status.CONFIRMED)
        stock = posting.write(
            action="sales_order.confirm", obj=order, details={"lines": lines_detail(lines)}
        )
    return SalesResult(order=order, stock=stock)


@retry_on_conflict
def sales_order_cancel(
    *, actor, order: SalesOrder, idempotency_key: str | None, shown: str | None = None
) -> SalesResult:
    """Cancel a DRAFT, CONFIRMED or PARTIALLY_SHIPPED order, releasing what is still reserved.

    What was shipped stays issued; returns go through sales_order_return.
    """
    with document_transaction():
        posting = Posting(kind="SO_CANCEL", actor=actor, idempotency_key=idempotency_key)
        if replayed := posting.claim():
            return SalesResult(
                order=SalesOrder.objects.get(pk=order.pk), stock=replayed, replayed=True
            )
        order = lock_sales_order(order.pk)
        rules.check_not_changed(order, shown)
        check_transition(order, Status.CANCELLED)
        lines = [line for line in order_lines(order) if line.quantity_reserved > 0]
        held = held_reservations(lines=lines)
        posting.lock(
            rows=[(order.store_id, lot_id) for line in lines for lot_id in held.get(line.pk, {})]
        )
        released = []
        for line in lines:
            balances = [posting.balances[(order.store_id, lot)] for lot in held.get(line.pk, {})]
            for balance, take in rules.draw_release(
                line.quantity_reserved, balances, held[line.pk]
            ):
                posting.post(
                    balance, kind=Kind.UNRESERVE, quantity=take, reserved=-take, so_line=line
                )
            released.append(
                {"line": line.pk, "item": line.item.sku, "quantity": line.quantity_reserved}
            )
            line.quantity_reserved = 0
        SalesOrderLine.objects.bulk_update(lines, ["quantity_reserved"])
        set_status(order, Status.CANCELLED)
        stock = posting.write(
            action="sales_order.cancel", obj=order, details={"released": released}
        )
    return SalesResult(order=order, stock=stock)


@retry_on_conflict
def sales_quick_sale(
    *,
    actor,
    store,
    customer: Customer | None,
    lines,
    note: str = "",
    idempotency_key: str | None,
) -> SalesResult:
    """Record a counter sale: the order, shipped in full, in one transaction.

    Each line is issued from sellable stock (APPROVED, unexpired), FEFO. If any item
    is short for its lines together, raise ShortLines (each shortage carries `indexes`,
    the positions in `lines` of the lines asking for its item, `index` the first) and
    record nothing at all, not even the order.
    """
    clean_header(store, customer)
    cleaned = clean_lines(lines)
    with document_transaction():
        posting = Posting(kind="SO_QUICK_SALE", actor=actor, idempotency_key=idempotency_key)
        if replayed := posting.claim():
            order = replay_order(replayed)
            if order is None:
                raise InventoryError("This form was already used; reload the page.")
            return SalesResult(order=order, stock=replayed, replayed=True)
        posting.lock(stocked=[(item.pk, store.pk) for item, _, _ in cleaned])
        order = SalesOrder.objects.create(
            store=store,
            customer=customer,
            note=note or "",
            created_by=posting.actor.user,
            status=Status.SHIPPED,
        )
        lines = SalesOrderLine.objects.bulk_create(
            SalesOrderLine(
                order=order,
                item=item,
                quantity=quantity,
                unit_price=price,
                quantity_reserved=0,
                quantity_shipped=quantity,
                quantity_returned=0,
            )
            for item, quantity, price in cleaned
        )
        _draw_lines(posting, store, lines, Kind.ISSUE)
        stock = posting.write(
            action="sales_order.quick_sale",
            obj=order,
            details={
                "store": store.code,
                "customer": customer.name if customer else None,
                "lines": lines_detail(lines),
            },
        )
    return SalesResult(order=order, stock=stock, lines=lines)
