"""rules.spread_count: an item's figure found, shared over its lots on the shelf.

Newest lots keep their stock, the oldest are counted down first; a surplus goes to the
newest lot; lots in QC or rejected are counted by lot, so they are left out."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest

from inventory import rules
from inventory.models import QCStatus

START = datetime(2026, 1, 1, 8, 0)


def balance(pk, on_hand, status=QCStatus.APPROVED, expires_on=None, days=None):
    lot = SimpleNamespace(
        pk=pk,
        code=f"L{pk}",
        qc_status=status,
        expires_on=expires_on,
        received_at=START + timedelta(days=pk if days is None else days),
    )
    return SimpleNamespace(lot=lot, lot_id=pk, on_hand=Decimal(on_hand), reserved=Decimal(0))


def spread(counted, balances):
    return [(b.lot.code, keep) for b, keep in rules.spread_count(Decimal(counted), balances)]


@pytest.fixture
def bin_of_nails():
    # oldest L1 (4 kg), then L2 (5 kg), newest L3 (3.5 kg): 12.5 kg on record
    return [balance(1, "4"), balance(2, "5"), balance(3, "3.5")]


def test_less_than_on_record_counts_the_oldest_lots_down_first(bin_of_nails):
    assert spread("7", bin_of_nails) == [
        ("L3", Decimal("3.5")),
        ("L2", Decimal("3.5")),
        ("L1", Decimal("0")),
    ]


def test_the_figure_on_record_leaves_every_lot_as_it_is(bin_of_nails):
    assert spread("12.5", bin_of_nails) == [
        ("L3", Decimal("3.5")),
        ("L2", Decimal("5")),
        ("L1", Decimal("4")),
    ]


def test_a_surplus_goes_to_the_newest_lot(bin_of_nails):
    assert spread("15", bin_of_nails) == [
        ("L3", Decimal("6")),
        ("L2", Decimal("5")),
        ("L1", Decimal("4")),
    ]


def test_nothing_found_empties_every_lot(bin_of_nails):
    assert spread("0", bin_of_nails) == [
        ("L3", Decimal("0")),
        ("L2", Decimal("0")),
        ("L1", Decimal("0")),
    ]


def test_lots_in_qc_or_rejected_are_left_out_and_expired_ones_kept():
    balances = [
        balance(1, "2", expires_on=date(2020, 1, 1)),  # expired, still on the shelf
        balance(2, "5", status=QCStatus.QUARANTINE),
        balance(3, "6", status=QCStatus.REJECTED),
        balance(4, "3"),
    ]

    assert spread("4", balances) == [("L4", Decimal("3")), ("L1", Decimal("1"))]


def test_newest_is_the_latest_received_then_the_highest_lot():
    # L9 was received before L5; L6 and L7 on the same day and time
    balances = [balance(9, "1", days=1), balance(5, "1", days=3), balance(6, "1", days=2)]
    balances.append(balance(7, "1", days=2))

    assert [code for code, _ in spread("4", balances)] == ["L5", "L7", "L6", "L9"]


def test_no_lot_on_the_shelf_spreads_nothing():
    assert spread("3", [balance(1, "2", status=QCStatus.QUARANTINE)]) == []
