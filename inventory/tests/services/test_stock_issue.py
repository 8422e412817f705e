import datetime

import pytest

from inventory.exceptions import InactiveRecord, InsufficientStock, LotNotApproved
from inventory.models import Lot
from inventory.services.qc import lot_approve, lot_reject
from inventory.services.sales import sales_order_confirm, sales_order_create, sales_order_ship
from inventory.services.stock import stock_issue, stock_reserve

from .stock_helpers import D, deltas, figures, receive, snapshot

pytestmark = pytest.mark.django_db


def test_issue_takes_available_stock_earliest_expiry_first(staff_user, item, store):
    item.unit = "kg"
    item.save(update_fields=["unit"])
    late = receive(staff_user, item, store, 5, "LATE", expires_on=datetime.date(2031, 6, 1))
    early = receive(staff_user, item, store, 2, "EARLY", expires_on=datetime.date(2031, 1, 1))

    result = stock_issue(actor=staff_user, item=item, store=store, quantity="3.5")

    assert deltas(result) == [
        ("ISSUE", "MAIN", "EARLY", D(2), D(-2), D(0)),
        ("ISSUE", "MAIN", "LATE", D("1.5"), D("-1.5"), D(0)),
    ]
    assert figures(store=store, lot=early) == (D(0), D(0))
    assert figures(store=store, lot=late) == (D("3.5"), D(0))


def test_direct_issue_leaves_reserved_stock_alone(staff_user, item, store):
    lot = receive(staff_user, item, store, 10, "A")
    stock_reserve(actor=staff_user, item=item, store=store, quantity=8)
    before = snapshot()

    with pytest.raises(InsufficientStock) as excinfo:
        stock_issue(actor=staff_user, item=item, store=store, quantity=3)

    assert str(excinfo.value) == "Only 2 pcs of SKU-0042 available in Main Store; 3 requested."
    assert snapshot() == before
    stock_issue(actor=staff_user, item=item, store=store, quantity=2)
    assert figures(store=store, lot=lot) == (D(8), D(8))


def test_issue_never_draws_from_quarantine_or_rejected_lots(
    staff_user, manager_user, qc_item, store
):
    good = receive(staff_user, qc_item, store, 2, "GOOD")
    lot_approve(actor=manager_user, lot=good)
    receive(staff_user, qc_item, store, 10, "HELD")
    bad = receive(staff_user, qc_item, store, 10, "BAD")
    lot_reject(actor=manager_user, lot=bad, note="Damaged")
    before = snapshot()

    with pytest.raises(InsufficientStock, match="Only 2 pcs of SKU-QC01 available"):
        stock_issue(actor=staff_user, item=qc_item, store=store, quantity=3)
    assert snapshot() == before

    result = stock_issue(actor=staff_user, item=qc_item, store=store, quantity=2)
    assert deltas(result) == [("ISSUE", "MAIN", "GOOD", D(2), D(-2), D(0))]


def test_issue_from_a_named_rejected_lot_is_refused(staff_user, manager_user, qc_item, store):
    bad = receive(staff_user, qc_item, store, 10, "BAD")
    lot_reject(actor=manager_user, lot=bad, note="Damaged")
    before = snapshot()

    with pytest.raises(LotNotApproved, match="Lot BAD of SKU-QC01 is rejected"):
        stock_issue(actor=staff_user, item=qc_item, store=store, quantity=1, lot=bad)

    assert snapshot() == before


def test_issue_of_a_deactivated_item_is_refused_but_a_reservation_still_ships(
    staff_user, item, store
):
    lot = receive(staff_user, item, store, 10, "A")
    order = sales_order_create(actor=staff_user, store=store, customer=None, lines=[(item, 4)])
    sales_order_confirm(actor=staff_user, order=order, idempotency_key="confirm")
    item.is_active = False
    item.save()
    before = snapshot()

    with pytest.raises(InactiveRecord):
        stock_issue(actor=staff_user, item=item, store=store, quantity=1)
    assert snapshot() == before

    line = order.lines.get()
    sales_order_ship(actor=staff_user, order=order, shipments={line: 4}, idempotency_key="ship")
    assert figures(store=store, lot=Lot.objects.get(pk=lot.pk)) == (D(6), D(0))
