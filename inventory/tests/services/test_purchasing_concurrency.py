"""Receipts racing each other and a cancellation: the order lock keeps the order right.

Real threads, each on its own connection, released together by a Barrier. Runs on
SQLite (IMMEDIATE transactions queue the writers) and on PostgreSQL (row locks).
"""

from decimal import Decimal

import pytest

from inventory.exceptions import InventoryError
from inventory.models import LedgerEntry, Operation, PurchaseOrder
from inventory.services.purchasing import (
    purchase_order_cancel,
    purchase_order_create,
    purchase_order_place,
    purchase_order_receive,
)
from inventory.tests.concurrency import run_together
from inventory.tests.factories import ItemFactory, StoreFactory, SupplierFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
Status = PurchaseOrder.Status


def placed_order(user, sku):
    item, store = ItemFactory(sku=sku), StoreFactory(code="RACE")
    order = purchase_order_create(
        actor=user, supplier=SupplierFactory(), store=store, lines=[(item, "10", "1.00")]
    )
    return purchase_order_place(actor=user, order=order)


def test_racing_receipts_never_exceed_the_ordered_quantity():
    user = UserFactory(role="Manager")
    order = placed_order(user, "PO-RACE-1")
    line = order.lines.get()

    def receive(key):
        return lambda: purchase_order_receive(
            actor=user, order=order, receipts=[{"line": line, "quantity": "4"}], idempotency_key=key
        )

    outcomes = run_together([receive(f"race-{i}") for i in range(6)])

    errors = [o for o in outcomes if isinstance(o, Exception)]
    assert len(errors) == 4
    assert all(isinstance(e, InventoryError) and "outstanding" in str(e) for e in errors), errors
    line.refresh_from_db()
    order.refresh_from_db()
    assert line.quantity_received == Decimal("8.000")
    assert order.status == Status.PARTIALLY_RECEIVED
    assert LedgerEntry.objects.filter(po_line=line).count() == 2


def test_the_same_token_from_five_threads_records_one_receipt():
    user = UserFactory(role="Staff")
    order = placed_order(user, "PO-RACE-2")
    line = order.lines.get()
    call = lambda: purchase_order_receive(  # noqa: E731
        actor=user, order=order, receipts=[{"line": line, "quantity": "3"}], idempotency_key="one"
    )

    outcomes = run_together([call] * 5)

    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert sorted(o.replayed for o in outcomes) == [False, True, True, True, True]
    line.refresh_from_db()
    assert line.quantity_received == Decimal("3.000")
    assert Operation.objects.filter(idempotency_key="one").count() == 1
    assert LedgerEntry.objects.filter(po_line=line).count() == 1


def test_a_receipt_racing_a_cancellation_leaves_one_consistent_outcome():
    user = UserFactory(role="Manager")
    order = placed_order(user, "PO-RACE-3")
    line = order.lines.get()

    receipt, cancel = run_together(
        [
            lambda: purchase_order_receive(
                actor=user, order=order, receipts=[{"line": line, "quantity": "2"}]
            ),
            lambda: purchase_order_cancel(actor=user, order=order),
        ]
    )

    order.refresh_from_db()
    line.refresh_from_db()
    received = LedgerEntry.objects.filter(po_line=line).count()
    if isinstance(receipt, Exception):
        assert order.status == Status.CANCELLED and received == 0
        assert line.quantity_received == Decimal("0")
    else:
        # The receipt first: the cancellation closes the order short, keeping the receipt.
        assert not isinstance(cancel, Exception)
        assert order.status == Status.CANCELLED and received == 1
        assert line.quantity_received == Decimal("2.000")
