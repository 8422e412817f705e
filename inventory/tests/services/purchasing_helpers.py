"""Fixture and helpers shared by the purchasing service tests: orders and snapshots."""

from datetime import date

from inventory.models import AuditEvent, LedgerEntry, Lot, Operation, PurchaseOrder, StockBalance
from inventory.services.purchasing import (
    purchase_order_cancel,
    purchase_order_create,
    purchase_order_place,
    purchase_order_receive,
)

Status = PurchaseOrder.Status


def make_order(actor, supplier, store, *lines, place=True):
    order = purchase_order_create(
        actor=actor, supplier=supplier, store=store, expected_on=date(2030, 1, 15), lines=lines
    )
    if place:
        order = purchase_order_place(actor=actor, order=order)
    return order


def order_in(status, actor, supplier, store, item):
    """Build an order of 10 x item at 2.00 that has reached `status` through the services."""
    order = make_order(actor, supplier, store, (item, "10", "2.00"), place=status != Status.DRAFT)
    line = order.lines.get()
    if status == Status.PARTIALLY_RECEIVED:
        purchase_order_receive(actor=actor, order=order, receipts=[{"line": line, "quantity": "4"}])
    elif status == Status.RECEIVED:
        purchase_order_receive(
            actor=actor, order=order, receipts=[{"line": line, "quantity": "10"}]
        )
    elif status == Status.CANCELLED:
        purchase_order_cancel(actor=actor, order=order)
    order.refresh_from_db()
    assert order.status == status
    return order


def snapshot(order):
    """Everything a refused operation must leave alone."""
    order.refresh_from_db()
    return {
        "status": order.status,
        "received": [line.quantity_received for line in order.lines.order_by("pk")],
        "ordered": [line.quantity_ordered for line in order.lines.order_by("pk")],
        "ledger": LedgerEntry.objects.count(),
        "operations": Operation.objects.count(),
        "lots": Lot.objects.count(),
        "balances": sorted(StockBalance.objects.values_list("pk", "on_hand", "reserved")),
        "audit": AuditEvent.objects.count(),
    }
