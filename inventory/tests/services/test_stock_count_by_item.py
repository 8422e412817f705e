"""Counting loose goods by item: what was found of an item in a store, all its lots on
the shelf together, is shared over them (newest keep theirs, the oldest are counted down
first) and each lot's difference is posted as a COUNT adjustment, in one document."""

import pytest

from inventory.exceptions import DocumentChanged, InventoryError
from inventory.models import AuditEvent, LedgerEntry
from inventory.services import counts as counts_service
from inventory.services.counts import stock_count
from inventory.services.qc import lot_reject
from inventory.services.stock import stock_reserve
from inventory.tests.factories import ItemFactory

from .stock_helpers import D, figures, receive, snapshot
from .test_document_queries import assert_flat

pytestmark = pytest.mark.django_db


@pytest.fixture
def nails(db):
    return ItemFactory(sku="NAILS", name="Loose nails", unit="kg", reorder_level=0)


@pytest.fixture
def bin_of_nails(manager_user, nails, store):
    """Three receipts of nails in one bin: 4 kg, then 5 kg, then 3.5 kg (12.5 kg)."""
    return [
        receive(manager_user, nails, store, q, code)
        for q, code in (("4", "N1"), ("5", "N2"), ("3.5", "N3"))
    ]


def _by_lot(store, lots):
    return [figures(store=store, lot=lot) for lot in lots]


def test_an_item_count_counts_the_oldest_lots_down_first(manager_user, store, nails, bin_of_nails):
    # when 7 kg are found of the 12.5 kg on record
    result = stock_count(
        actor=manager_user,
        store=store,
        counts=[{"item": nails, "counted": "7", "expected": "12.5"}],
        note="Bin 4",
    )

    # then the newest lot keeps its 3.5, the middle one 3.5 and the oldest is empty
    assert _by_lot(store, bin_of_nails) == [(D(0), D(0)), (D("3.5"), D(0)), (D("3.5"), D(0))]
    rows = LedgerEntry.objects.filter(operation=result.operation).order_by("lot__code")
    assert [(e.lot.code, e.kind, e.reason, e.quantity, e.on_hand_delta) for e in rows] == [
        ("N1", "ADJUST", "COUNT", D(4), D(-4)),
        ("N2", "ADJUST", "COUNT", D("1.5"), D("-1.5")),
    ]
    event = AuditEvent.objects.get(action="stock.count")
    assert event.details["counted"] == [
        {
            "item": "NAILS",
            "by": "item",
            "expected": "12.500",
            "counted": "7.000",
            "lots": [
                {"lot": "N2", "expected": "5.000", "counted": "3.500"},
                {"lot": "N1", "expected": "4.000", "counted": "0.000"},
            ],
        }
    ]


def test_a_surplus_goes_to_the_newest_lot(manager_user, store, nails, bin_of_nails):
    stock_count(actor=manager_user, store=store, counts=[{"item": nails, "counted": "13.25"}])

    assert _by_lot(store, bin_of_nails) == [(D(4), D(0)), (D(5), D(0)), (D("4.25"), D(0))]


def test_an_item_count_that_matches_writes_no_row(manager_user, store, nails, bin_of_nails):
    ledger = LedgerEntry.objects.count()

    stock_count(actor=manager_user, store=store, counts=[{"item": nails, "counted": "12.5"}])

    assert LedgerEntry.objects.count() == ledger
    assert AuditEvent.objects.get(action="stock.count").details["counted"][0]["lots"] == []


def test_lots_in_qc_or_rejected_are_left_out(manager_user, store, qc_item):
    # given an approved lot (6) and a rejected one (4) of a QC item
    from inventory.services.qc import lot_approve

    good, bad = (
        receive(manager_user, qc_item, store, 6, "G"),
        receive(manager_user, qc_item, store, 4, "B"),
    )
    lot_approve(actor=manager_user, lot=good, note="Fine")
    lot_reject(actor=manager_user, lot=bad, note="Bent")

    stock_count(actor=manager_user, store=store, counts=[{"item": qc_item, "counted": "5"}])

    assert _by_lot(store, [good, bad]) == [(D(5), D(0)), (D(4), D(0))]


def test_reservations_of_a_lot_counted_down_move_to_the_newer_lots(
    manager_user, store, nails, bin_of_nails
):
    # given 3 kg reserved, FEFO: on the oldest lot
    stock_reserve(actor=manager_user, item=nails, store=store, quantity="3")
    assert figures(store=store, lot=bin_of_nails[0]) == (D(4), D(3))

    # when 10 kg are found: the oldest lot keeps 1.5 kg, less than it reserves
    result = stock_count(actor=manager_user, store=store, counts=[{"item": nails, "counted": "10"}])

    # then 1.5 kg of the reservation moved to the next lot (FEFO), the order keeps 3
    assert _by_lot(store, bin_of_nails) == [
        (D("1.5"), D("1.5")),
        (D(5), D("1.5")),
        (D("3.5"), D(0)),
    ]
    kinds = sorted((e.kind, e.lot.code, e.reserved_delta, e.on_hand_delta) for e in result.entries)
    assert kinds == [
        ("ADJUST", "N1", D(0), D("-2.5")),
        ("RESERVE", "N2", D("1.5"), D(0)),
        ("UNRESERVE", "N1", D("-1.5"), D(0)),
    ]


def test_a_count_below_what_is_reserved_names_the_item_total(
    manager_user, store, nails, bin_of_nails
):
    # given 3 kg reserved, FEFO: on the oldest lot
    stock_reserve(actor=manager_user, item=nails, store=store, quantity="3")
    ledger = LedgerEntry.objects.count()

    # when 2 kg are found of the item, less than is reserved
    with pytest.raises(InventoryError) as refused:
        stock_count(actor=manager_user, store=store, counts=[{"item": nails, "counted": "2"}])

    # then the refusal gives the figure the counter typed, not only the lot's share of it
    assert refused.value.message == (
        f"Orders hold 3 kg of NAILS in {store.name}, more than the 2 kg counted of it, all "
        "lots together: release them first."
    )
    assert LedgerEntry.objects.count() == ledger
    assert _by_lot(store, bin_of_nails) == [(D(4), D(3)), (D(5), D(0)), (D("3.5"), D(0))]


def test_an_item_whose_total_moved_is_refused(manager_user, store, nails, bin_of_nails):
    before = snapshot()

    with pytest.raises(DocumentChanged) as refused:
        stock_count(
            actor=manager_user,
            store=store,
            counts=[{"item": nails, "counted": "7", "expected": "12"}],
        )

    assert str(refused.value) == (
        "Stock of NAILS moved while it was being counted (12 then, 12.5 now). Nothing was "
        "recorded; open the count sheet again and recount it."
    )
    assert refused.value.index == 0
    assert snapshot() == before


def test_a_lot_arrived_after_the_shelves_were_read_is_refused(
    manager_user, store, nails, bin_of_nails, monkeypatch
):
    # given the unlocked read missed the newest lot (received in between)
    read = counts_service._read_shelves

    def missed_newest(store, lines):
        found = read(store, lines)
        found[nails.pk].discard(bin_of_nails[2].pk)
        return found

    monkeypatch.setattr(counts_service, "_read_shelves", missed_newest)
    before = snapshot()

    with pytest.raises(DocumentChanged) as refused:
        stock_count(actor=manager_user, store=store, counts=[{"item": nails, "counted": "9"}])

    assert "new lot N3" in str(refused.value)
    assert snapshot() == before


def test_an_item_counted_by_item_and_by_lot_is_refused(manager_user, store, nails, bin_of_nails):
    before = snapshot()

    with pytest.raises(InventoryError) as refused:
        stock_count(
            actor=manager_user,
            store=store,
            counts=[
                {"item": nails, "counted": "7"},
                {"lot": bin_of_nails[0], "counted": "4"},
            ],
        )

    assert str(refused.value) == (
        "NAILS is counted by item and by its lot N1; count it one way: by item or lot by lot."
    )
    assert refused.value.index == 1
    assert snapshot() == before


def test_an_item_without_stock_on_the_shelf_is_refused(manager_user, store, qc_item):
    # given only a lot waiting for QC
    receive(manager_user, qc_item, store, 5, "Q")
    before = snapshot()

    with pytest.raises(InventoryError) as refused:
        stock_count(actor=manager_user, store=store, counts=[{"item": qc_item, "counted": "5"}])

    assert str(refused.value) == (
        "No stock of SKU-QC01 in Main Store to count by item; count it by lot or receive it first."
    )
    assert snapshot() == before


def test_a_count_in_halves_of_pcs_is_refused(manager_user, store, item):
    receive(manager_user, item, store, 3, "A")
    before = snapshot()

    with pytest.raises(InventoryError) as refused:
        stock_count(actor=manager_user, store=store, counts=[{"item": item, "counted": "1.5"}])

    assert str(refused.value) == "Count of SKU-0042 must be a whole number of pcs."
    assert snapshot() == before


def test_a_replayed_item_count_is_recorded_once(manager_user, store, nails, bin_of_nails):
    count = {"item": nails, "counted": "7", "expected": "12.5"}

    first = stock_count(actor=manager_user, store=store, counts=[count], idempotency_key="i-1")
    again = stock_count(actor=manager_user, store=store, counts=[count], idempotency_key="i-1")

    assert again.replayed and again.operation.pk == first.operation.pk
    assert _by_lot(store, bin_of_nails) == [(D(0), D(0)), (D("3.5"), D(0)), (D("3.5"), D(0))]
    assert LedgerEntry.objects.filter(reason="COUNT").count() == 2


def test_statements_do_not_grow_with_the_item_lots(manager_user, store, django_assert_num_queries):
    def sheet(lots, tag):
        item = ItemFactory(sku=tag, unit="kg", reorder_level=0)
        for n in range(lots):
            receive(manager_user, item, store, 5, f"{tag}{n}")
        count = [{"item": item, "counted": "3", "expected": str(5 * lots)}]
        return lambda: stock_count(
            actor=manager_user, store=store, counts=count, idempotency_key=f"k-{tag}"
        )

    assert_flat(sheet, django_assert_num_queries)
    assert LedgerEntry.objects.filter(reason="COUNT").count() == 11
