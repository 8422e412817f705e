import datetime

import pytest

from inventory.exceptions import InactiveRecord, InsufficientStock, InventoryError, LotNotApproved
from inventory.services.stock import stock_reserve, stock_unreserve
from inventory.tests.factories import ItemFactory

from .stock_helpers import D, deltas, figures, receive, snapshot

pytestmark = pytest.mark.django_db

JAN = datetime.date(2031, 1, 1)
JUN = datetime.date(2031, 6, 1)


def test_reserve_draws_from_the_earliest_expiry_first(staff_user, item, store):
    # given a lot expiring in June received first, and one expiring in January after it
    late = receive(staff_user, item, store, 5, "LATE", expires_on=JUN)
    early = receive(staff_user, item, store, 3, "EARLY", expires_on=JAN)
    # when 4 are reserved
    result = stock_reserve(actor=staff_user, item=item, store=store, quantity=4)
    # then the January lot is reserved in full and 1 more comes from the June lot
    assert deltas(result) == [
        ("RESERVE", "MAIN", "EARLY", D(3), D(0), D(3)),
        ("RESERVE", "MAIN", "LATE", D(1), D(0), D(1)),
    ]
    assert figures(store=store, lot=early) == (D(3), D(3))
    assert figures(store=store, lot=late) == (D(5), D(1))


def test_reserve_takes_lots_without_expiry_last_then_oldest_receipt(staff_user, item, store):
    first = receive(staff_user, item, store, 2, "NOEXP-1")
    second = receive(staff_user, item, store, 2, "NOEXP-2")
    dated = receive(staff_user, item, store, 2, "DATED", expires_on=JUN)

    stock_reserve(actor=staff_user, item=item, store=store, quantity=5)

    assert figures(store=store, lot=dated) == (D(2), D(2))
    assert figures(store=store, lot=first) == (D(2), D(2))
    assert figures(store=store, lot=second) == (D(2), D(1))


def test_reserve_more_than_available_is_refused_and_names_the_figures(staff_user, item, store):
    receive(staff_user, item, store, 3, "A")
    before = snapshot()

    with pytest.raises(InsufficientStock) as excinfo:
        stock_reserve(actor=staff_user, item=item, store=store, quantity=5)

    assert str(excinfo.value) == "Only 3 pcs of SKU-0042 available in Main Store; 5 requested."
    assert (excinfo.value.requested, excinfo.value.available) == (D(5), D(3))
    assert snapshot() == before


def test_reserve_counts_what_is_already_reserved(staff_user, item, store):
    item.unit = "kg"  # a fractional quantity below
    item.save(update_fields=["unit"])
    receive(staff_user, item, store, 10, "A")
    stock_reserve(actor=staff_user, item=item, store=store, quantity=8)
    before = snapshot()

    with pytest.raises(InsufficientStock, match="Only 2 kg of SKU-0042 available"):
        stock_reserve(actor=staff_user, item=item, store=store, quantity="2.001")

    assert snapshot() == before


def test_reserve_ignores_stock_in_another_store(staff_user, item, store, other_store):
    receive(staff_user, item, other_store, 10, "A")
    before = snapshot()

    with pytest.raises(InsufficientStock, match="Only 0 pcs of SKU-0042 available in Main Store"):
        stock_reserve(actor=staff_user, item=item, store=store, quantity=1)

    assert snapshot() == before


def test_reserve_never_draws_from_a_quarantine_lot(staff_user, qc_item, store):
    receive(staff_user, qc_item, store, 10, "Q")
    before = snapshot()

    with pytest.raises(InsufficientStock, match="Only 0 pcs of SKU-QC01 available"):
        stock_reserve(actor=staff_user, item=qc_item, store=store, quantity=1)

    assert snapshot() == before


def test_reserve_from_a_named_quarantine_lot_is_refused(staff_user, qc_item, store):
    lot = receive(staff_user, qc_item, store, 10, "Q")
    before = snapshot()

    with pytest.raises(LotNotApproved) as excinfo:
        stock_reserve(actor=staff_user, item=qc_item, store=store, quantity=1, lot=lot)

    assert str(excinfo.value) == (
        "Lot Q of SKU-QC01 is quarantine; only approved stock can be reserved or issued."
    )
    assert snapshot() == before


def test_reserve_from_a_named_lot_takes_only_that_lot(staff_user, item, store):
    receive(staff_user, item, store, 5, "EARLY", expires_on=JAN)
    late = receive(staff_user, item, store, 5, "LATE", expires_on=JUN)

    result = stock_reserve(actor=staff_user, item=item, store=store, quantity=2, lot=late)

    assert deltas(result) == [("RESERVE", "MAIN", "LATE", D(2), D(0), D(2))]


def test_reserve_from_a_lot_of_another_item_is_refused(staff_user, item, store):
    other = ItemFactory(sku="SKU-OTHER")
    lot = receive(staff_user, other, store, 5, "O")
    before = snapshot()

    with pytest.raises(InventoryError, match="Lot O is not a lot of SKU-0042"):
        stock_reserve(actor=staff_user, item=item, store=store, quantity=1, lot=lot)

    assert snapshot() == before


def test_reserve_of_a_deactivated_item_is_refused(staff_user, item, store):
    receive(staff_user, item, store, 5, "A")
    item.is_active = False
    item.save()
    before = snapshot()

    with pytest.raises(InactiveRecord):
        stock_reserve(actor=staff_user, item=item, store=store, quantity=1)

    assert snapshot() == before


def test_unreserve_releases_the_latest_expiry_first(staff_user, item, store):
    early = receive(staff_user, item, store, 3, "EARLY", expires_on=JAN)
    late = receive(staff_user, item, store, 3, "LATE", expires_on=JUN)
    stock_reserve(actor=staff_user, item=item, store=store, quantity=5)

    result = stock_unreserve(actor=staff_user, item=item, store=store, quantity=3)

    assert deltas(result) == [
        ("UNRESERVE", "MAIN", "LATE", D(2), D(0), D(-2)),
        ("UNRESERVE", "MAIN", "EARLY", D(1), D(0), D(-1)),
    ]
    assert figures(store=store, lot=early) == (D(3), D(2))
    assert figures(store=store, lot=late) == (D(3), D(0))


def test_unreserve_more_than_reserved_is_refused(staff_user, item, store):
    receive(staff_user, item, store, 10, "A")
    stock_reserve(actor=staff_user, item=item, store=store, quantity=3)
    before = snapshot()

    with pytest.raises(InsufficientStock) as excinfo:
        stock_unreserve(actor=staff_user, item=item, store=store, quantity=5)

    assert str(excinfo.value) == "Only 3 pcs of SKU-0042 reserved in Main Store; 5 requested."
    assert snapshot() == before
