"""A receipt keyed wrong on a purchase order is taken back with its order.

Found by QA: on a received order a wrong receipt could not be corrected anywhere (the
movement said "correct it from the order", the order offered nothing).
"""

from decimal import Decimal

import pytest

from inventory.exceptions import InsufficientStock, NotReversible
from inventory.models import LedgerEntry, PurchaseOrder
from inventory.services.purchasing import purchase_order_cancel, purchase_order_receive
from inventory.services.stock import ledger_entry_reverse, stock_issue

from .purchasing_helpers import make_order, snapshot

pytestmark = pytest.mark.django_db
Status = PurchaseOrder.Status
D = Decimal


def _receive(user, order, quantity, code):
    line = order.lines.get()
    result = purchase_order_receive(
        actor=user,
        order=order,
        receipts=[{"line": line, "quantity": quantity, "lot_code": code, "expires_on": None}],
    )
    return result.stock.entries[0]


def _state(order):
    order.refresh_from_db()
    line = order.lines.get()
    return order.status, line.quantity_received


def test_reversing_the_last_receipt_opens_the_order_again(manager_user, supplier, store, item):
    # given 10 ordered, received as 4 then 6 (keyed as 6 where 5 came)
    order = make_order(manager_user, supplier, store, (item, "10", "2.00"))
    _receive(manager_user, order, "4", "A-1")
    wrong = _receive(manager_user, order, "6", "A-2")
    assert _state(order) == (Status.RECEIVED, D(10))

    # when the 6 is reversed
    result = ledger_entry_reverse(actor=manager_user, entry=wrong, idempotency_key="r1")

    # then the order expects 6 again, and the 5 that came can be received
    (reversal,) = result.entries
    assert (reversal.kind, reversal.on_hand_delta, reversal.reverses_id) == (
        "RECEIVE",
        -6,
        wrong.pk,
    )
    assert reversal.po_line_id == wrong.po_line_id
    assert _state(order) == (Status.PARTIALLY_RECEIVED, D(4))
    _receive(manager_user, order, "5", "A-3")
    assert _state(order) == (Status.PARTIALLY_RECEIVED, D(9))

    # and a replay or a second reversal writes nothing
    before = snapshot(order)
    replayed = ledger_entry_reverse(actor=manager_user, entry=wrong, idempotency_key="r1")
    assert replayed.replayed and [e.pk for e in replayed.entries] == [reversal.pk]
    with pytest.raises(NotReversible, match=f"#{wrong.pk} has already been reversed"):
        ledger_entry_reverse(actor=manager_user, entry=wrong, idempotency_key="r2")
    assert snapshot(order) == before


def test_reversing_every_receipt_leaves_the_order_ordered(manager_user, supplier, store, item):
    order = make_order(manager_user, supplier, store, (item, "10", "2.00"))
    entry = _receive(manager_user, order, "10", "A-1")

    ledger_entry_reverse(actor=manager_user, entry=entry)

    assert _state(order) == (Status.ORDERED, D(0))
    assert order.lines.get().quantity_received == 0


def test_an_order_closed_short_stays_closed(manager_user, supplier, store, item):
    order = make_order(manager_user, supplier, store, (item, "10", "2.00"))
    entry = _receive(manager_user, order, "4", "A-1")
    purchase_order_cancel(actor=manager_user, order=order)

    ledger_entry_reverse(actor=manager_user, entry=entry)

    assert _state(order) == (Status.CANCELLED, D(0))


def test_a_receipt_already_sold_is_not_reversed(manager_user, supplier, store, item):
    order = make_order(manager_user, supplier, store, (item, "10", "2.00"))
    entry = _receive(manager_user, order, "10", "A-1")
    stock_issue(actor=manager_user, item=item, store=store, quantity=3)
    before = snapshot(order)

    with pytest.raises(InsufficientStock, match="Only 7 pcs of SKU-0042 unreserved in lot A-1"):
        ledger_entry_reverse(actor=manager_user, entry=entry)

    assert snapshot(order) == before
    assert not LedgerEntry.objects.filter(reverses=entry).exists()


def test_a_direct_purchase_taken_back_is_closed_not_expected(manager_user, supplier, store, item):
    # found by QA: it reopened as Ordered, among the orders to receive
    from inventory.services.purchasing import purchase_direct

    result = purchase_direct(
        actor=manager_user,
        supplier=supplier,
        store=store,
        lines=[{"item": item, "quantity": "12", "unit_cost": "3.30", "lot_code": "D-1"}],
    )

    ledger_entry_reverse(actor=manager_user, entry=result.stock.entries[0])

    order = result.order
    assert _state(order) == (Status.CANCELLED, D(0))
    assert order.status_label == "Cancelled"
