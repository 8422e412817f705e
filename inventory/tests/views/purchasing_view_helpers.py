"""Shared by the purchase view tests: a supplier, draft and placed order, formset data."""

import pytest

from inventory.models import LedgerEntry, Operation, PurchaseOrder
from inventory.services.purchasing import purchase_order_create, purchase_order_place
from inventory.views.common import ALREADY_RECORDED

Status = PurchaseOrder.Status


def placed_order(actor, supplier, store, *lines) -> PurchaseOrder:
    """A purchase order of `lines` ((item, quantity, unit cost)), placed with the supplier."""
    order = purchase_order_create(actor=actor, supplier=supplier, store=store, lines=lines)
    return purchase_order_place(actor=actor, order=order)


@pytest.fixture(name="draft")
def draft_fixture(manager_user, supplier, store, item):
    return purchase_order_create(
        actor=manager_user, supplier=supplier, store=store, lines=[(item, "10", "2.00")]
    )


@pytest.fixture(name="ordered")
def ordered_fixture(manager_user, draft):
    return purchase_order_place(actor=manager_user, order=draft)


def receive_part(user, order, quantity="4"):
    """Receive `quantity` of the order's only line (the order is then partly received)."""
    from inventory.services.purchasing import purchase_order_receive

    line = order.lines.get()
    purchase_order_receive(
        actor=user,
        order=order,
        receipts=[{"line": line, "quantity": quantity}],
        idempotency_key="r",
    )
    return line


def replayed(what, preposition, order):
    """The message a replayed form gets, naming and linking the order it concerned."""
    return (
        f'{what} {ALREADY_RECORDED} {preposition} <a href="/purchases/{order.pk}/" '
        f'class="alert-link">{order.number}</a>; nothing was changed the second time.'
    )


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def state(order):
    order.refresh_from_db()
    return (
        order.status,
        [ln.quantity_received for ln in order.lines.order_by("pk")],
        LedgerEntry.objects.count(),
        Operation.objects.count(),
        PurchaseOrder.objects.count(),
    )


def line_management(prefix, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def receive_post(order, *rows, token="tok-1"):
    data = {"idempotency_key": token, **line_management("receipts", len(rows), len(rows))}
    for i, (line, quantity, lot_code) in enumerate(rows):
        data |= {
            f"receipts-{i}-line": str(line.pk),
            f"receipts-{i}-quantity": quantity,
            f"receipts-{i}-lot_code": lot_code,
            f"receipts-{i}-expires_on": "",
        }
    return data
