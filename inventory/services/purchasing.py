"""Purchase orders: drafts, placing, cancelling, receipts into lots and direct purchases.

Every change locks the order row first (inventory.locks), then checks the move against
TRANSITIONS; receipts then let stock_receive lock the balances. A receipt is one
operation (one idempotency key) however many lines it covers, and the order's status
changes in the same transaction as its ledger rows.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from inventory import rules
from inventory.exceptions import InvalidTransition, InventoryError, LineChecks
from inventory.locks import lock_purchase_order, lock_store
from inventory.models import (
    EDITABLE_PURCHASE_STATUSES,
    OPEN_PURCHASE_STATUSES,
    PURCHASE_TRANSITIONS,
    PurchaseOrder,
    PurchaseOrderLine,
)

from .actor import as_actor
from .audit import audit_record, model_changes
from .posting import Posting, StockResult, require_active
from .receipts import Receipt, clean_cost, clean_direct_lines, planned_receipts, post_receipts
from .replays import claim_draft
from .transactions import document_transaction, retry_on_conflict

Status = PurchaseOrder.Status

TRANSITIONS = PURCHASE_TRANSITIONS
RECEIVABLE = set(OPEN_PURCHASE_STATUSES)
EDITABLE = set(EDITABLE_PURCHASE_STATUSES)
DIRECT = "PO_DIRECT"  # the operation of a direct purchase


@dataclass
class ReceiptResult:
    """What a receipt or direct purchase did: the order and the stock operation."""

    order: PurchaseOrder
    stock: StockResult

    @property
    def replayed(self) -> bool:
        return self.stock.replayed


def can_transition(order: PurchaseOrder, to_status: str) -> bool:
    return to_status in TRANSITIONS[Status(order.status)]


def _transition(order: PurchaseOrder, to_status: str) -> str:
    """Move the locked order to `to_status` or raise InvalidTransition; return the old status."""
    from_status = order.status
    if not can_transition(order, to_status):
        raise InvalidTransition(order.number, from_status, to_status)
    # update() skips auto_now: the time of the change is set here.
    PurchaseOrder.objects.filter(pk=order.pk).update(status=to_status, updated_at=timezone.now())
    order.status = to_status
    return from_status


def _clean_lines(lines) -> list[tuple]:
    """Return [(item, quantity, unit_cost)] checked: active items, positive quantities."""
    cleaned, checks = [], LineChecks()
    for index, (item, quantity, unit_cost) in enumerate(lines):
        with checks.on_line(index):
            require_active(item, "Item", field_name="item")
            label = f"Quantity of {item.sku}"
            quantity = rules.clean_quantity(quantity, label=label, unit=item.unit)
            cleaned.append((item, quantity, clean_cost(unit_cost, item)))
    checks.refuse()
    return cleaned


def _check_header(supplier, store) -> None:
    require_active(supplier, "Supplier", field_name="supplier")
    require_active(store, "Store", field_name="store")


def _lines_detail(order) -> list[dict]:
    return [
        {
            "line": line.pk,
            "item": line.item.sku,
            "quantity": line.quantity_ordered,
            "unit_cost": line.unit_cost,
        }
        for line in order.lines.select_related("item")
    ]


def _header(order) -> dict:
    return {
        "supplier": order.supplier.name,
        "store": order.store.code,
        "expected_on": order.expected_on,
        "note": order.note,
    }


def _create_lines(order, lines) -> list[PurchaseOrderLine]:
    return PurchaseOrderLine.objects.bulk_create(
        PurchaseOrderLine(
            order=order,
            item=item,
            quantity_ordered=quantity,
            unit_cost=cost,
            quantity_received=Decimal("0"),
        )
        for item, quantity, cost in lines
    )


def purchase_order_create(
    *,
    actor,
    supplier,
    store,
    expected_on=None,
    note: str = "",
    lines=(),
    idempotency_key: str | None = None,
) -> PurchaseOrder:
    """Create a DRAFT order with its lines [(item, quantity, unit_cost)].

    A blank unit cost takes the item's cost; a draft may have no lines yet. A repeated
    idempotency key writes nothing and returns the first order, marked `replayed`.
    """
    actor = as_actor(actor)
    _check_header(supplier, store)
    lines = _clean_lines(lines)
    with transaction.atomic():
        first, claimed = claim_draft(
            kind="PO_CREATE",
            actor=actor,
            idempotency_key=idempotency_key,
            model=PurchaseOrder,
            action="purchase_order.create",
        )
        if first is not None:
            return first
        require_active(lock_store(store.pk), "Store", field_name="store")
        order = PurchaseOrder.objects.create(
            supplier=supplier,
            store=store,
            expected_on=expected_on,
            note=note or "",
            created_by=actor.user,
        )
        _create_lines(order, lines)
        audit_record(
            actor=actor,
            action="purchase_order.create",
            obj=order,
            details={**claimed, **_header(order), "lines": _lines_detail(order)},
        )
    return order


def purchase_order_update(
    *, actor, order, supplier, store, expected_on=None, note: str = "", lines=(), shown=None
) -> PurchaseOrder:
    """Replace a DRAFT order's header and lines; an order already placed cannot be edited,
    nor one saved since the page (`shown`, its version) was opened."""
    actor = as_actor(actor)
    _check_header(supplier, store)
    lines = _clean_lines(lines)
    with transaction.atomic():
        order = lock_purchase_order(order.pk)
        rules.check_not_changed(order, shown)
        if order.status not in EDITABLE:
            raise InvalidTransition(order.number, order.status, Status.DRAFT)
        require_active(lock_store(store.pk), "Store", field_name="store")
        before, lines_before = _header(order), _lines_detail(order)
        order.supplier, order.store = supplier, store
        order.expected_on, order.note = expected_on, note or ""
        order.save(update_fields=["supplier", "store", "expected_on", "note", "updated_at"])
        order.lines.all().delete()
        _create_lines(order, lines)
        audit_record(
            actor=actor,
            action="purchase_order.update",
            obj=order,
            details={
                "changes": model_changes(before, _header(order)),
                "lines_before": lines_before,
                "lines": _lines_detail(order),
            },
        )
    return order


def purchase_order_place(*, actor, order, shown: str | None = None) -> PurchaseOrder:
    """Send a DRAFT order to the supplier (ORDERED); it needs at least one line, and must
    be as its page (`shown`) showed it."""
    actor = as_actor(actor)
    with transaction.atomic():
        order = lock_purchase_order(order.pk)
        rules.check_not_changed(order, shown)
        if not can_transition(order, Status.ORDERED):
            raise InvalidTransition(order.number, order.status, Status.ORDERED)
        lines = list(order.lines.select_related("item").order_by("pk"))
        if not lines:
            raise InventoryError(f"{order.number} has no lines; add at least one to place it.")
        _check_header(order.supplier, order.store)
        checks = LineChecks()
        for index, line in enumerate(lines):
            with checks.on_line(index):
                require_active(line.item, "Item", field_name="item")
        checks.refuse()
        from_status = _transition(order, Status.ORDERED)
        audit_record(
            actor=actor,
            action="purchase_order.place",
            obj=order,
            details={"from": from_status, "to": order.status, "lines": _lines_detail(order)},
        )
    return order


def purchase_order_cancel(*, actor, order, note: str = "", shown=None) -> PurchaseOrder:
    """Cancel a DRAFT or ORDERED order, or close a PARTIALLY_RECEIVED one short: what was
    received stays in stock and on the order, the rest is no longer expected. Not an
    order changed since its page (`shown`) was opened."""
    actor = as_actor(actor)
    with transaction.atomic():
        order = lock_purchase_order(order.pk)
        rules.check_not_changed(order, shown)
        from_status = _transition(order, Status.CANCELLED)
        short = from_status == Status.PARTIALLY_RECEIVED
        audit_record(
            actor=actor,
            action="purchase_order.close_short" if short else "purchase_order.cancel",
            obj=order,
            details={"from": from_status, "to": order.status, "note": note},
        )
    return order


def _receive(posting: Posting, order, lines, planned: list[Receipt]) -> list[dict]:
    """Stage the receipts, add them to their lines and move the order's status."""
    lots = post_receipts(posting, store=order.store, receipts=planned)
    for receipt in planned:
        receipt.po_line.quantity_received += receipt.quantity
    PurchaseOrderLine.objects.bulk_update({r.po_line for r in planned}, ["quantity_received"])
    outstanding = any(line.quantity_received < line.quantity_ordered for line in lines)
    _transition(order, Status.PARTIALLY_RECEIVED if outstanding else Status.RECEIVED)
    return [
        {
            "line": receipt.po_line.pk,
            "item": receipt.item.sku,
            "quantity": receipt.quantity,
            "lot": lot.code,
            "qc_status": lot.qc_status,
            "expires_on": lot.expires_on,
        }
        for receipt, lot in zip(planned, lots, strict=True)
    ]


def _replayed(stock: StockResult) -> ReceiptResult:
    first = stock.operation.entries.select_related("po_line__order").order_by("pk").first()
    order = first.po_line.order if first is not None and first.po_line_id else None
    return ReceiptResult(order=order, stock=stock)


@retry_on_conflict
def purchase_order_receive(
    *, actor, order, receipts, idempotency_key: str | None = None
) -> ReceiptResult:
    """Receive what arrived against an ORDERED or PARTIALLY_RECEIVED order, in one transaction.

    `receipts` is [{line, quantity, lot_code, expires_on}], or ALL (rules.ALL) for what is
    outstanding once the order is locked; a blank quantity skips the line, a blank lot code
    gets a generated one. Partial receipts accumulate; the order becomes RECEIVED when
    nothing is outstanding. A replayed key returns the first result.
    """
    with document_transaction():
        posting = Posting(kind="PO_RECEIVE", actor=actor, idempotency_key=idempotency_key)
        if replayed := posting.claim():
            return _replayed(replayed)
        order = lock_purchase_order(order.pk)
        from_status = order.status
        lines = list(order.lines.select_related("item").order_by("pk"))
        planned = planned_receipts(order, lines, receipts)
        details = _receive(posting, order, lines, planned)
        stock = posting.write(
            action="purchase_order.receive",
            obj=order,
            details={"from": from_status, "to": order.status, "receipts": details},
        )
    return ReceiptResult(order=order, stock=stock)


@retry_on_conflict
def purchase_direct(
    *, actor, supplier, store, lines, note: str = "", idempotency_key: str | None = None
) -> ReceiptResult:
    """Record a purchase that arrived without an order: a RECEIVED order and its lots at once.

    `lines` is [{item, quantity, unit_cost, lot_code, expires_on}]; every line is
    received in full, in one transaction and one operation.
    """
    lines = list(lines)
    if not lines:
        raise InventoryError("Add at least one line.", field="quantity")
    _check_header(supplier, store)
    cleaned = [(r.item, r.quantity, r.unit_cost) for r in clean_direct_lines(lines)]
    with document_transaction():
        posting = Posting(kind=DIRECT, actor=actor, idempotency_key=idempotency_key)
        if replayed := posting.claim():
            return _replayed(replayed)
        order = PurchaseOrder.objects.create(
            supplier=supplier,
            store=store,
            note=note or "",
            created_by=posting.actor.user,
            status=Status.ORDERED,
        )
        po_lines = _create_lines(order, cleaned)
        receipts = [
            {
                "line": po_line,
                "quantity": po_line.quantity_ordered,
                "lot_code": line.get("lot_code", ""),
                "expires_on": line.get("expires_on"),
            }
            for po_line, line in zip(po_lines, lines, strict=True)
        ]
        planned = planned_receipts(order, po_lines, receipts)
        details = _receive(posting, order, po_lines, planned)
        stock = posting.write(
            action="purchase_order.direct",
            obj=order,
            details={
                **_header(order),
                "to": order.status,
                "receipts": [
                    {**d, "unit_cost": c} for d, (_, _, c) in zip(details, cleaned, strict=True)
                ],
            },
        )
    return ReceiptResult(order=order, stock=stock)
