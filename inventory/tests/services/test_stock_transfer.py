import datetime

import pytest

from inventory.exceptions import InactiveRecord, InsufficientStock, InventoryError
from inventory.models import Lot, QCStatus, Store
from inventory.services.stock import stock_reserve, stock_transfer

from .stock_helpers import D, deltas, figures, receive, snapshot

pytestmark = pytest.mark.django_db


def test_transfer_moves_approved_stock_keeping_the_lot(manager_user, item, store, other_store):
    late = receive(manager_user, item, store, 5, "LATE", expires_on=datetime.date(2031, 6, 1))
    early = receive(manager_user, item, store, 2, "EARLY", expires_on=datetime.date(2031, 1, 1))

    result = stock_transfer(
        actor=manager_user, item=item, from_store=store, to_store=other_store, quantity=3
    )

    assert deltas(result) == [
        ("TRANSFER_OUT", "MAIN", "EARLY", D(2), D(-2), D(0)),
        ("TRANSFER_IN", "WH", "EARLY", D(2), D(2), D(0)),
        ("TRANSFER_OUT", "MAIN", "LATE", D(1), D(-1), D(0)),
        ("TRANSFER_IN", "WH", "LATE", D(1), D(1), D(0)),
    ]
    assert figures(store=store, lot=early) == (D(0), D(0))
    assert figures(store=store, lot=late) == (D(4), D(0))
    assert figures(store=other_store, lot=early) == (D(2), D(0))
    assert figures(store=other_store, lot=late) == (D(1), D(0))
    assert len({e.operation_id for e in result.entries}) == 1


def test_transfer_of_a_named_quarantine_lot_keeps_it_in_quarantine(
    manager_user, qc_item, store, other_store
):
    lot = receive(manager_user, qc_item, store, 5, "Q")

    stock_transfer(
        actor=manager_user,
        item=qc_item,
        from_store=store,
        to_store=other_store,
        quantity=5,
        lot=lot,
    )

    assert figures(store=store, lot=lot) == (D(0), D(0))
    assert figures(store=other_store, lot=lot) == (D(5), D(0))
    assert Lot.objects.get(pk=lot.pk).qc_status == QCStatus.QUARANTINE


def test_too_much_from_a_named_quarantined_lot_is_refused_in_the_lots_words(
    manager_user, qc_item, store, other_store
):
    lot = receive(manager_user, qc_item, store, 24, "Q")
    before = snapshot()

    with pytest.raises(InsufficientStock) as excinfo:
        stock_transfer(
            actor=manager_user,
            item=qc_item,
            from_store=store,
            to_store=other_store,
            quantity=30,
            lot=lot,
        )

    # the lot is in quarantine: its 24 are not "available", but they may move
    assert str(excinfo.value) == (
        f"Only 24 pcs of {qc_item.sku} unreserved in lot Q in Main Store; 30 requested."
    )
    assert snapshot() == before


def test_transfer_does_not_move_reserved_stock(manager_user, item, store, other_store):
    receive(manager_user, item, store, 10, "A")
    stock_reserve(actor=manager_user, item=item, store=store, quantity=7)
    before = snapshot()

    with pytest.raises(InsufficientStock) as excinfo:
        stock_transfer(
            actor=manager_user, item=item, from_store=store, to_store=other_store, quantity=4
        )

    assert str(excinfo.value) == "Only 3 pcs of SKU-0042 available in Main Store; 4 requested."
    assert snapshot() == before


def test_transfer_of_unapproved_stock_without_naming_the_lot_is_refused(
    manager_user, qc_item, store, other_store
):
    receive(manager_user, qc_item, store, 5, "Q")
    before = snapshot()

    with pytest.raises(InsufficientStock, match="Only 0 pcs of SKU-QC01 available"):
        stock_transfer(
            actor=manager_user, item=qc_item, from_store=store, to_store=other_store, quantity=1
        )

    assert snapshot() == before


def test_transfer_to_the_same_store_is_refused(manager_user, item, store):
    receive(manager_user, item, store, 10, "A")
    before = snapshot()

    with pytest.raises(InventoryError, match="Choose two different stores."):
        stock_transfer(actor=manager_user, item=item, from_store=store, to_store=store, quantity=1)

    assert snapshot() == before


def test_transfer_to_a_deactivated_store_is_refused(manager_user, item, store, other_store):
    receive(manager_user, item, store, 10, "A")
    other_store.is_active = False
    other_store.save()
    before = snapshot()

    with pytest.raises(InactiveRecord, match="Store Warehouse is deactivated"):
        stock_transfer(
            actor=manager_user, item=item, from_store=store, to_store=other_store, quantity=1
        )

    assert snapshot() == before


def test_transfer_into_a_store_closed_after_the_form_was_read_is_refused(
    manager_user, item, store, other_store
):
    receive(manager_user, item, store, 5, "A")
    stale = Store.objects.get(pk=other_store.pk)  # what the form read, still active
    Store.objects.filter(pk=other_store.pk).update(is_active=False)
    before = snapshot()

    with pytest.raises(InventoryError, match="is deactivated"):
        stock_transfer(actor=manager_user, item=item, from_store=store, to_store=stale, quantity=2)

    assert snapshot() == before
