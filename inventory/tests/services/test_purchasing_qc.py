"""Purchase order receipts of QC items: quarantined lots, then rejected or approved."""

from decimal import Decimal

import pytest

from inventory.exceptions import InsufficientStock, LotNotApproved
from inventory.models import LedgerEntry, Lot, PurchaseOrder, QCStatus, StockBalance
from inventory.selectors.stock import stock_totals_for_item
from inventory.services.purchasing import purchase_order_receive
from inventory.services.qc import lot_approve, lot_reject
from inventory.services.stock import stock_issue, stock_reserve

from .purchasing_helpers import (
    make_order,
)

pytestmark = pytest.mark.django_db
Status = PurchaseOrder.Status


# --- QC -----------------------------------------------------------------------------------


def test_a_qc_item_is_received_into_quarantine_and_cannot_be_reserved_or_issued(
    manager_user, staff_user, supplier, store, qc_item
):
    order = make_order(manager_user, supplier, store, (qc_item, "8", "3.00"))
    line = order.lines.get()
    purchase_order_receive(
        actor=staff_user, order=order, receipts=[{"line": line, "quantity": "8"}]
    )
    lot = Lot.objects.get(item=qc_item)
    assert lot.qc_status == QCStatus.QUARANTINE
    ledger_before = LedgerEntry.objects.count()

    with pytest.raises(InsufficientStock, match="Only 0 pcs of SKU-QC01 available"):
        stock_reserve(actor=staff_user, item=qc_item, store=store, quantity="1")
    with pytest.raises(InsufficientStock):
        stock_issue(actor=staff_user, item=qc_item, store=store, quantity="1")
    with pytest.raises(LotNotApproved):
        stock_issue(actor=staff_user, item=qc_item, store=store, quantity="1", lot=lot)

    assert LedgerEntry.objects.count() == ledger_before
    assert StockBalance.objects.get(lot=lot).on_hand == Decimal("8.000")
    assert stock_totals_for_item(item=qc_item, store=store)["available"] == Decimal("0")


def test_a_rejected_lot_stays_blocked_and_an_approved_one_becomes_available(
    manager_user, staff_user, supplier, store, qc_item
):
    order = make_order(manager_user, supplier, store, (qc_item, "8", "3.00"))
    line = order.lines.get()
    purchase_order_receive(
        actor=staff_user,
        order=order,
        receipts=[{"line": line, "quantity": "3", "lot_code": "BAD"}],
    )
    purchase_order_receive(
        actor=staff_user,
        order=order,
        receipts=[{"line": line, "quantity": "5", "lot_code": "GOOD"}],
    )
    bad, good = Lot.objects.get(code="BAD"), Lot.objects.get(code="GOOD")

    lot_reject(actor=manager_user, lot=bad, note="Leaking")
    with pytest.raises(LotNotApproved):
        stock_issue(actor=staff_user, item=qc_item, store=store, quantity="1", lot=bad)
    lot_approve(actor=manager_user, lot=good, note="OK")

    assert stock_totals_for_item(item=qc_item, store=store)["available"] == Decimal("5.000")
    with pytest.raises(InsufficientStock):
        stock_reserve(actor=staff_user, item=qc_item, store=store, quantity="6")
    stock_reserve(actor=staff_user, item=qc_item, store=store, quantity="5")
    assert StockBalance.objects.get(lot=bad).reserved == Decimal("0")
