"""The five edge cases of the original specification, one test each (more in the other files)."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from inventory.exceptions import InsufficientStock, LotNotApproved
from inventory.models import StockBalance
from inventory.services.stock import stock_adjust, stock_issue, stock_receive, stock_reserve

from .stock_helpers import D, figures, receive, snapshot

pytestmark = pytest.mark.django_db


def test_edge_case_1_over_reservation_is_refused(staff_user, item, store):
    lot = receive(staff_user, item, store, 5, "A")
    stock_reserve(actor=staff_user, item=item, store=store, quantity=4)
    before = snapshot()

    with pytest.raises(InsufficientStock) as excinfo:
        stock_reserve(actor=staff_user, item=item, store=store, quantity=2)

    assert str(excinfo.value) == "Only 1 pc of SKU-0042 available in Main Store; 2 requested."
    assert snapshot() == before
    assert figures(store=store, lot=lot) == (D(5), D(4))


def test_edge_case_2_over_issue_is_refused(staff_user, item, store):
    lot = receive(staff_user, item, store, 5, "A")
    before = snapshot()

    with pytest.raises(InsufficientStock) as excinfo:
        stock_issue(actor=staff_user, item=item, store=store, quantity=6)

    assert str(excinfo.value) == "Only 5 pcs of SKU-0042 available in Main Store; 6 requested."
    assert snapshot() == before
    assert figures(store=store, lot=lot) == (D(5), D(0))


def test_edge_case_3_issue_or_reserve_from_an_unapproved_lot_is_refused(staff_user, qc_item, store):
    lot = receive(staff_user, qc_item, store, 5, "Q")
    before = snapshot()

    with pytest.raises(LotNotApproved):
        stock_issue(actor=staff_user, item=qc_item, store=store, quantity=1, lot=lot)
    with pytest.raises(LotNotApproved):
        stock_reserve(actor=staff_user, item=qc_item, store=store, quantity=1, lot=lot)
    with pytest.raises(InsufficientStock, match="Only 0 pcs of SKU-QC01 available"):
        stock_issue(actor=staff_user, item=qc_item, store=store, quantity=1)
    with pytest.raises(InsufficientStock, match="Only 0 pcs of SKU-QC01 available"):
        stock_reserve(actor=staff_user, item=qc_item, store=store, quantity=1)

    assert snapshot() == before
    assert figures(store=store, lot=lot) == (D(5), D(0))


def test_edge_case_4_a_duplicate_operation_is_recorded_once(staff_user, item, store):
    first = stock_receive(
        actor=staff_user, item=item, store=store, quantity=5, lot_code="A", idempotency_key="dup"
    )
    before = snapshot()

    second = stock_receive(
        actor=staff_user, item=item, store=store, quantity=5, lot_code="A", idempotency_key="dup"
    )

    assert second.replayed is True
    assert [e.pk for e in second.entries] == [e.pk for e in first.entries]
    assert snapshot() == before
    assert figures(store=store, lot=first.entries[0].lot) == (D(5), D(0))


def test_edge_case_5_stock_never_goes_negative(manager_user, item, store):
    item.unit = "kg"  # a fractional quantity below
    item.save(update_fields=["unit"])
    lot = receive(manager_user, item, store, 2, "A")
    before = snapshot()

    # the services refuse it ...
    with pytest.raises(InsufficientStock):
        stock_adjust(actor=manager_user, lot=lot, store=store, quantity=-3, reason="LOSS")
    with pytest.raises(InsufficientStock):
        stock_issue(actor=manager_user, item=item, store=store, quantity="2.001")
    # ... and so does the database, should any code bypass them
    with pytest.raises(IntegrityError), transaction.atomic():
        StockBalance.objects.filter(store=store, lot=lot).update(reserved=Decimal("-1"))
    with pytest.raises(IntegrityError), transaction.atomic():
        StockBalance.objects.filter(store=store, lot=lot).update(reserved=Decimal("3"))

    assert snapshot() == before
    assert figures(store=store, lot=lot) == (D(2), D(0))
