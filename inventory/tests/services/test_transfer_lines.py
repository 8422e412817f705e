"""A transfer of several lines: one operation, all or nothing, every refusal on its line."""

import datetime

import pytest

from inventory.exceptions import (
    InsufficientStock,
    InventoryError,
    RefusedLines,
    refused_lines,
)
from inventory.models import AuditEvent, LedgerEntry, Lot, Operation, QCStatus
from inventory.services.qc import lot_reject
from inventory.services.stock import stock_transfer_lines
from inventory.tests.factories import ItemFactory

from .stock_helpers import D, deltas, figures, receive, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def stocked(manager_user, item, store):
    """Three items in the main store: A in two lots, B in one, C (kg) in one."""
    a, b = item, ItemFactory(sku="SKU-B")
    c = ItemFactory(sku="SKU-C", unit="kg")
    lots = {
        "A-EARLY": receive(
            manager_user, a, store, 2, "A-EARLY", expires_on=datetime.date(2031, 1, 1)
        ),
        "A-LATE": receive(
            manager_user, a, store, 5, "A-LATE", expires_on=datetime.date(2031, 6, 1)
        ),
        "B1": receive(manager_user, b, store, 6, "B1"),
        "C1": receive(manager_user, c, store, "1.5", "C1"),
    }
    return a, b, c, lots


def _transfer(user, store, other_store, lines, **kwargs):
    return stock_transfer_lines(
        actor=user, from_store=store, to_store=other_store, lines=lines, **kwargs
    )


def test_three_lines_move_exactly_under_one_operation(manager_user, store, other_store, stocked):
    a, b, c, lots = stocked

    # when A (no lot: earliest expiry first), lot B1 of B and C are moved together
    result = _transfer(
        manager_user,
        store,
        other_store,
        [(a, 3), (b, 4, lots["B1"]), (c, "1.25")],
        note="restock",
        idempotency_key="three-lines",
    )

    # then each store and lot holds exactly what moved, in one operation
    assert deltas(result) == [
        ("TRANSFER_OUT", "MAIN", "A-EARLY", D(2), D(-2), D(0)),
        ("TRANSFER_IN", "WH", "A-EARLY", D(2), D(2), D(0)),
        ("TRANSFER_OUT", "MAIN", "A-LATE", D(1), D(-1), D(0)),
        ("TRANSFER_IN", "WH", "A-LATE", D(1), D(1), D(0)),
        ("TRANSFER_OUT", "MAIN", "B1", D(4), D(-4), D(0)),
        ("TRANSFER_IN", "WH", "B1", D(4), D(4), D(0)),
        ("TRANSFER_OUT", "MAIN", "C1", D("1.25"), D("-1.25"), D(0)),
        ("TRANSFER_IN", "WH", "C1", D("1.25"), D("1.25"), D(0)),
    ]
    expected = {
        "A-EARLY": ((D(0), D(0)), (D(2), D(0))),
        "A-LATE": ((D(4), D(0)), (D(1), D(0))),
        "B1": ((D(2), D(0)), (D(4), D(0))),
        "C1": ((D("0.25"), D(0)), (D("1.25"), D(0))),
    }
    for code, (main, wh) in expected.items():
        assert figures(store=store, lot=lots[code]) == main, code
        assert figures(store=other_store, lot=lots[code]) == wh, code
    operation = Operation.objects.get(idempotency_key="three-lines")
    assert operation.kind == "TRANSFER"
    assert set(
        LedgerEntry.objects.filter(kind__startswith="TRANSFER").values_list("operation_id", "note")
    ) == {(operation.pk, "restock")}
    # one audit event, on the operation (several items), saying each line
    event = AuditEvent.objects.get(action="stock.transfer")
    assert (event.object_type, event.object_id) == ("Operation", str(operation.pk))
    assert event.details["lines"] == [
        {"item": "SKU-0042", "lot": None, "quantity": "3.000"},
        {"item": "SKU-B", "lot": "B1", "quantity": "4.000"},
        {"item": "SKU-C", "lot": None, "quantity": "1.250"},
    ]


def test_the_same_item_on_two_lines_is_moved_as_one(
    manager_user, item, store, other_store, stocked
):
    lots = stocked[3]

    result = _transfer(manager_user, store, other_store, [(item, 1), (item, 2)])

    assert [
        (e.kind, e.lot.code, e.quantity) for e in result.entries if e.kind == "TRANSFER_OUT"
    ] == [
        ("TRANSFER_OUT", "A-EARLY", D(2)),
        ("TRANSFER_OUT", "A-LATE", D(1)),
    ]
    assert figures(store=other_store, lot=lots["A-EARLY"]) == (D(2), D(0))
    assert figures(store=other_store, lot=lots["A-LATE"]) == (D(1), D(0))


def test_the_same_item_on_two_lines_is_refused_on_both_for_their_sum(
    manager_user, item, store, other_store, stocked
):
    before = snapshot()

    with pytest.raises(InsufficientStock) as refused:
        _transfer(manager_user, store, other_store, [(item, 4), (stocked[1], 1), (item, 4)])

    assert refused.value.message == (
        "Only 7 pcs of SKU-0042 available in Main Store; 2 lines ask for 8 in all (4 + 4)."
    )
    assert [index for index, _ in refused_lines(refused.value)] == [0, 2]
    assert snapshot() == before


def test_a_line_naming_a_lot_goes_before_a_line_of_the_same_item_without_one(
    manager_user, item, store, other_store, stocked
):
    lots = stocked[3]

    # the line without a lot first: drawn earliest expiry first, it would take A-EARLY
    _transfer(manager_user, store, other_store, [(item, 5), (item, 2, lots["A-EARLY"])])

    assert figures(store=store, lot=lots["A-EARLY"]) == (D(0), D(0))
    assert figures(store=store, lot=lots["A-LATE"]) == (D(0), D(0))
    assert figures(store=other_store, lot=lots["A-EARLY"]) == (D(2), D(0))
    assert figures(store=other_store, lot=lots["A-LATE"]) == (D(5), D(0))


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        ("99", "Only 6 pcs of SKU-B available in Main Store; 99 requested."),
        (0, "Quantity of SKU-B must not be zero."),
        ("-2", "Quantity of SKU-B must be greater than zero."),
        ("1e20", "Quantity of SKU-B is too large."),
        ("NaN", "Quantity of SKU-B must be a number."),
        ("1.5", "Quantity of SKU-B must be a whole number of pcs."),
    ],
)
def test_a_bad_line_is_refused_on_its_line_and_nothing_moves(
    manager_user, store, other_store, stocked, quantity, message
):
    a, b, c, _ = stocked
    before = snapshot()

    with pytest.raises(InventoryError) as refused:
        _transfer(manager_user, store, other_store, [(a, 1), (b, quantity), (c, 1)])

    assert refused.value.message.startswith(message.split(";")[0])
    assert [(i, r.field) for i, r in refused_lines(refused.value)] == [(1, "quantity")]
    assert snapshot() == before


def test_a_rejected_lot_is_refused_on_its_line_and_nothing_moves(
    manager_user, store, other_store, stocked
):
    a, b, _, lots = stocked
    lot_reject(actor=manager_user, lot=lots["B1"], note="broken seals")
    before = snapshot()

    with pytest.raises(InventoryError) as refused:
        _transfer(manager_user, store, other_store, [(a, 1), (b, 1, lots["B1"])])

    assert refused.value.message.startswith("Lot B1 of SKU-B was rejected by QC")
    assert [(i, r.field) for i, r in refused_lines(refused.value)] == [(1, "lot")]
    assert Lot.objects.get(pk=lots["B1"].pk).qc_status == QCStatus.REJECTED
    assert snapshot() == before


def test_every_bad_line_is_named_at_once(manager_user, store, other_store, stocked):
    a, b, c, lots = stocked
    c.is_active = False
    c.save()
    before = snapshot()

    with pytest.raises(RefusedLines) as refused:
        _transfer(manager_user, store, other_store, [(a, 1), (c, 1), (b, "x"), (a, 1, lots["B1"])])

    assert [(i, r.field, r.message) for i, r in refused_lines(refused.value)] == [
        (1, "item", f"Item {c} is deactivated."),
        (2, "quantity", "Quantity of SKU-B must be a number."),
        (3, "lot", "Lot B1 is a lot of SKU-B, not of SKU-0042."),
    ]
    assert snapshot() == before


def test_an_inactive_destination_refuses_the_whole_transfer(
    manager_user, store, other_store, stocked
):
    a, b, _, _ = stocked
    other_store.is_active = False
    other_store.save()
    before = snapshot()

    with pytest.raises(InventoryError) as refused:
        _transfer(manager_user, store, other_store, [(a, 1), (b, 1)])

    assert (refused.value.field, refused.value.message) == (
        "to_store",
        "Store Warehouse is deactivated.",
    )
    assert snapshot() == before


def test_a_transfer_without_lines_is_refused(manager_user, store, other_store):
    before = snapshot()

    with pytest.raises(InventoryError, match="Add at least one line to the transfer."):
        _transfer(manager_user, store, other_store, [])

    assert snapshot() == before


def test_the_same_key_twice_makes_one_transfer(manager_user, store, other_store, stocked):
    a, b, _, lots = stocked
    lines = [(a, 1), (b, 2, lots["B1"])]
    first = _transfer(manager_user, store, other_store, lines, idempotency_key="twice")
    after_first = snapshot()

    again = _transfer(manager_user, store, other_store, lines, idempotency_key="twice")

    assert again.replayed is True
    assert again.operation.pk == first.operation.pk
    assert [e.pk for e in again.entries] == [e.pk for e in first.entries]
    assert snapshot() == after_first
    assert figures(store=other_store, lot=lots["B1"]) == (D(2), D(0))
