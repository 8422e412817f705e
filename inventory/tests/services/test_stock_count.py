"""Stock counts: what was found becomes the figure, lot by lot, in one document.

Differences post ADJUST rows (reason COUNT) of exactly the difference; lots that
matched write nothing but are kept in the audit event; a lot that moved since its
figure was shown, a count below what is reserved, or a bad quantity refuses the whole
count with nothing changed; a replay records nothing twice."""

import pytest

from inventory.exceptions import InventoryError
from inventory.models import AuditEvent, LedgerEntry, Lot, QCStatus
from inventory.services.counts import stock_count
from inventory.services.qc import lot_approve
from inventory.services.stock import stock_issue, stock_receive, stock_reserve
from inventory.tests.factories import ItemFactory

from .stock_helpers import D, figures, snapshot
from .test_document_queries import assert_flat

pytestmark = pytest.mark.django_db


def _lot(user, item, store, quantity, code):
    stock_receive(actor=user, item=item, store=store, quantity=quantity, lot_code=code)
    return Lot.objects.get(item=item, code=code)


def test_found_figures_become_the_stock_and_only_differences_are_posted(manager_user, item, store):
    # given three lots on record: 10, 7 and 5
    short, extra, right = (
        _lot(manager_user, item, store, q, c) for q, c in ((10, "A"), (7, "B"), (5, "C"))
    )

    # when 8, 9 and 5 are found
    result = stock_count(
        actor=manager_user,
        store=store,
        counts=[
            {"lot": short, "counted": "8", "expected": "10"},
            {"lot": extra, "counted": "9", "expected": "7"},
            {"lot": right, "counted": "5", "expected": "5"},
        ],
        note="Aisle 3",
    )

    # then the figures are what was found, through two COUNT rows of the differences
    assert [figures(store=store, lot=lot)[0] for lot in (short, extra, right)] == [
        D(8),
        D(9),
        D(5),
    ]
    rows = LedgerEntry.objects.filter(operation=result.operation).order_by("lot__code")
    assert [(e.lot.code, e.kind, e.reason, e.quantity, e.on_hand_delta) for e in rows] == [
        ("A", "ADJUST", "COUNT", D(2), D(-2)),
        ("B", "ADJUST", "COUNT", D(2), D(2)),
    ]
    event = AuditEvent.objects.get(action="stock.count")
    assert [(c["lot"], c["expected"], c["counted"]) for c in event.details["counted"]] == [
        ("A", "10.000", "8.000"),
        ("B", "7.000", "9.000"),
        ("C", "5.000", "5.000"),
    ]
    assert event.details["note"] == "Aisle 3"


def test_a_count_where_everything_matched_changes_no_figure(manager_user, item, store):
    lot = _lot(manager_user, item, store, 4, "A")
    ledger = LedgerEntry.objects.count()

    stock_count(actor=manager_user, store=store, counts=[{"lot": lot, "counted": "4"}])

    assert LedgerEntry.objects.count() == ledger
    assert figures(store=store, lot=lot) == (D(4), D(0))
    assert AuditEvent.objects.filter(action="stock.count").count() == 1


def test_an_empty_shelf_counts_as_zero(manager_user, item, store):
    lot = _lot(manager_user, item, store, 3, "A")

    stock_count(actor=manager_user, store=store, counts=[{"lot": lot, "counted": "0"}])

    assert figures(store=store, lot=lot) == (D(0), D(0))


def test_stock_that_moved_while_it_was_counted_refuses_the_count(manager_user, item, store):
    # given the sheet showed 10 and 5, and 2 of the first were sold meanwhile
    first, second = (
        _lot(manager_user, item, store, 10, "A"),
        _lot(manager_user, item, store, 5, "B"),
    )
    stock_issue(actor=manager_user, item=item, store=store, quantity=2)
    before = snapshot()

    with pytest.raises(InventoryError) as refused:
        stock_count(
            actor=manager_user,
            store=store,
            counts=[
                {"lot": first, "counted": "7", "expected": "10"},
                {"lot": second, "counted": "5", "expected": "5"},
            ],
        )

    assert "A (10 then, 8 now)" in str(refused.value)
    assert "Nothing was recorded" in str(refused.value)
    assert snapshot() == before


def test_a_count_below_what_is_reserved_is_refused(manager_user, item, store):
    lot = _lot(manager_user, item, store, 10, "A")
    stock_reserve(actor=manager_user, item=item, store=store, quantity=6)
    before = snapshot()

    with pytest.raises(InventoryError) as refused:
        stock_count(actor=manager_user, store=store, counts=[{"lot": lot, "counted": "4"}])

    assert str(refused.value) == (
        "Lot A has 6 pcs reserved, more than the 4 counted, and the other lots of SKU-0042 "
        "in Main Store have 0 pcs free to take them: release them first."
    )
    assert snapshot() == before


@pytest.mark.parametrize(
    ("counted", "message"),
    [("-1", "must not be negative"), ("1.5", "whole number of pcs"), ("abc", "a number")],
)
def test_a_bad_count_is_refused_before_anything(manager_user, item, store, counted, message):
    lot = _lot(manager_user, item, store, 3, "A")
    before = snapshot()

    with pytest.raises(InventoryError) as refused:
        stock_count(actor=manager_user, store=store, counts=[{"lot": lot, "counted": counted}])

    assert message in str(refused.value)
    assert snapshot() == before


def test_found_stock_of_an_item_that_needs_qc_waits_in_quarantine(manager_user, qc_item, store):
    lot = _lot(manager_user, qc_item, store, 5, "Q")
    lot_approve(actor=manager_user, lot=lot, note="Fine")

    stock_count(actor=manager_user, store=store, counts=[{"lot": lot, "counted": "7"}])

    assert figures(store=store, lot=lot) == (D(5), D(0))
    found = Lot.objects.exclude(pk=lot.pk).get(item=qc_item)
    assert found.qc_status == QCStatus.QUARANTINE and found.origin_lot_id == lot.pk
    assert figures(store=store, lot=found) == (D(2), D(0))


def test_a_replayed_count_is_recorded_once(manager_user, item, store):
    lot = _lot(manager_user, item, store, 10, "A")
    count = {"lot": lot, "counted": "8", "expected": "10"}

    first = stock_count(actor=manager_user, store=store, counts=[count], idempotency_key="c-1")
    again = stock_count(actor=manager_user, store=store, counts=[count], idempotency_key="c-1")

    assert again.operation.pk == first.operation.pk
    assert figures(store=store, lot=lot) == (D(8), D(0))
    assert LedgerEntry.objects.filter(reason="COUNT").count() == 1


def test_statements_do_not_grow_with_the_lots_counted(
    manager_user, store, django_assert_num_queries
):
    def sheet(lots, tag):
        item = ItemFactory(sku=tag)
        counts = [
            {"lot": _lot(manager_user, item, store, 5, f"{tag}{n}"), "counted": "4"}
            for n in range(lots)
        ]
        return lambda: stock_count(
            actor=manager_user, store=store, counts=counts, idempotency_key=f"k-{tag}"
        )

    assert_flat(sheet, django_assert_num_queries)
    assert LedgerEntry.objects.filter(reason="COUNT").count() == 11
