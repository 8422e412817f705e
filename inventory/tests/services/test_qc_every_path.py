"""Stock of a QC item never becomes available without a QC decision on what arrived.

One test walks every path that adds stock: receipt, purchase receipt, direct
purchase, customer return, positive adjustment and transfer in.
"""

import pytest

from inventory.exceptions import InventoryError
from inventory.models import Lot, QCStatus
from inventory.selectors.stock import stock_totals_for_item
from inventory.services.purchasing import (
    purchase_direct,
    purchase_order_create,
    purchase_order_place,
    purchase_order_receive,
)
from inventory.services.qc import lot_approve
from inventory.services.sales import sales_order_return, sales_quick_sale
from inventory.services.stock import stock_adjust, stock_receive, stock_transfer

from .stock_helpers import D, snapshot

pytestmark = pytest.mark.django_db


def _available(item, store):
    return stock_totals_for_item(item=item, store=store)["available"]


def test_every_path_that_adds_stock_waits_for_a_qc_decision(
    staff_user, manager_user, qc_item, store, other_store
):
    # given 10 approved units in lot A
    stock_receive(actor=staff_user, item=qc_item, store=store, quantity=10, lot_code="A")
    lot_a = Lot.objects.get(item=qc_item, code="A")
    lot_approve(actor=manager_user, lot=lot_a)
    assert _available(qc_item, store) == D(10)

    # a receipt naming the approved lot (in any letter case) is refused, changing nothing
    for code in ("A", "a"):
        before = snapshot()
        with pytest.raises(InventoryError, match="inspected as a lot of its own"):
            stock_receive(actor=staff_user, item=qc_item, store=store, quantity=500, lot_code=code)
        assert snapshot() == before

    # a receipt without a code goes to a new QUARANTINE lot
    stock_receive(actor=staff_user, item=qc_item, store=store, quantity=5)
    assert _available(qc_item, store) == D(10)

    # a purchase order receipt naming lot A is refused; with a new code it is quarantined
    order = purchase_order_create(
        actor=manager_user, supplier=qc_item.supplier, store=store, lines=[(qc_item, 4, None)]
    )
    purchase_order_place(actor=manager_user, order=order)
    line = order.lines.get()
    with pytest.raises(InventoryError, match="inspected as a lot of its own"):
        purchase_order_receive(
            actor=staff_user, order=order, receipts=[{"line": line, "quantity": 4, "lot_code": "A"}]
        )
    purchase_order_receive(
        actor=staff_user, order=order, receipts=[{"line": line, "quantity": 4, "lot_code": "B"}]
    )
    assert Lot.objects.get(item=qc_item, code="B").qc_status == QCStatus.QUARANTINE
    assert _available(qc_item, store) == D(10)

    # a direct purchase is quarantined too
    purchase_direct(
        actor=staff_user,
        supplier=qc_item.supplier,
        store=store,
        lines=[{"item": qc_item, "quantity": 3}],
    )
    assert _available(qc_item, store) == D(10)

    # returns: each one into a new QUARANTINE lot, even after an earlier one was approved
    sale = sales_quick_sale(
        actor=staff_user, store=store, customer=None, lines=[(qc_item, 6)], idempotency_key="qs"
    )
    sold_line = sale.order.lines.get()
    assert _available(qc_item, store) == D(4)
    first = sales_order_return(actor=staff_user, line=sold_line, quantity=2, idempotency_key="r1")
    lot_approve(actor=manager_user, lot=first.stock.entries[0].lot)
    assert _available(qc_item, store) == D(6)
    second = sales_order_return(actor=staff_user, line=sold_line, quantity=3, idempotency_key="r2")
    assert second.stock.entries[0].lot.qc_status == QCStatus.QUARANTINE
    assert second.stock.entries[0].lot != first.stock.entries[0].lot
    assert _available(qc_item, store) == D(6)

    # found stock of an approved lot goes to a new QUARANTINE lot
    found = stock_adjust(actor=manager_user, lot=lot_a, store=store, quantity=7, reason="FOUND")
    assert found.entries[0].lot.qc_status == QCStatus.QUARANTINE
    assert found.entries[0].lot.origin_lot_id == lot_a.pk
    assert _available(qc_item, store) == D(6)

    # a transfer keeps each lot's status: approved stays approved, quarantined stays held
    held = Lot.objects.get(item=qc_item, code="B")
    stock_transfer(
        actor=manager_user,
        item=qc_item,
        from_store=store,
        to_store=other_store,
        quantity=4,
        lot=held,
    )
    assert _available(qc_item, other_store) == D(0)
    stock_transfer(
        actor=manager_user, item=qc_item, from_store=store, to_store=other_store, quantity=2
    )
    assert _available(qc_item, other_store) == D(2)
    assert _available(qc_item, store) == D(4)


def test_lot_codes_differing_only_by_case_are_one_lot(staff_user, item, store):
    stock_receive(actor=staff_user, item=item, store=store, quantity=2, lot_code="abc-1")
    stock_receive(actor=staff_user, item=item, store=store, quantity=3, lot_code="ABC-1")

    assert list(Lot.objects.filter(item=item).values_list("code", flat=True)) == ["abc-1"]
    assert _available(item, store) == D(5)
