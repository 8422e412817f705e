from unittest import mock

import pytest

from inventory.exceptions import InsufficientStock, NotReversible
from inventory.models import LedgerEntry
from inventory.services.posting import Posting
from inventory.services.stock import (
    ledger_entry_reverse,
    stock_adjust,
    stock_issue,
    stock_receive,
    stock_reserve,
    stock_transfer,
    stock_transfer_lines,
)

from .stock_helpers import D, deltas, figures, receive, snapshot

pytestmark = pytest.mark.django_db


def test_reversing_a_receipt_writes_a_linked_compensating_entry(manager_user, item, store):
    receipt = stock_receive(
        actor=manager_user, item=item, store=store, quantity=10, lot_code="A"
    ).entries[0]

    result = ledger_entry_reverse(actor=manager_user, entry=receipt, note="typo")

    assert deltas(result) == [("RECEIVE", "MAIN", "A", D(10), D(-10), D(0))]
    reversal = result.entries[0]
    assert reversal.reverses == receipt
    assert reversal.reason == "REVERSAL"
    assert reversal.note == "typo"
    assert figures(store=store, lot=receipt.lot) == (D(0), D(0))


def test_reversing_an_issue_puts_the_stock_back(manager_user, item, store):
    lot = receive(manager_user, item, store, 10, "A")
    issue = stock_issue(actor=manager_user, item=item, store=store, quantity=4).entries[0]

    result = ledger_entry_reverse(actor=manager_user, entry=issue)

    assert deltas(result) == [("ISSUE", "MAIN", "A", D(4), D(4), D(0))]
    assert figures(store=store, lot=lot) == (D(10), D(0))


def test_reversing_an_adjustment(manager_user, item, store):
    lot = receive(manager_user, item, store, 10, "A")
    loss = stock_adjust(
        actor=manager_user, lot=lot, store=store, quantity=-3, reason="LOSS"
    ).entries[0]

    ledger_entry_reverse(actor=manager_user, entry=loss)

    assert figures(store=store, lot=lot) == (D(10), D(0))


def test_reversing_either_half_of_a_transfer_reverses_both(manager_user, item, store, other_store):
    lot = receive(manager_user, item, store, 10, "A")
    moved = stock_transfer(
        actor=manager_user, item=item, from_store=store, to_store=other_store, quantity=4
    )
    transfer_in = moved.entries[1]

    result = ledger_entry_reverse(actor=manager_user, entry=transfer_in)

    assert sorted(deltas(result)) == [
        ("TRANSFER_IN", "WH", "A", D(4), D(-4), D(0)),
        ("TRANSFER_OUT", "MAIN", "A", D(4), D(4), D(0)),
    ]
    assert figures(store=store, lot=lot) == (D(10), D(0))
    assert figures(store=other_store, lot=lot) == (D(0), D(0))
    before = snapshot()
    with pytest.raises(NotReversible, match="has already been reversed"):
        ledger_entry_reverse(actor=manager_user, entry=moved.entries[0])
    assert snapshot() == before


@pytest.fixture
def twin_rows(manager_user, item, store, other_store):
    """A transfer whose two lines take the same lot (one names it, one draws it): two
    equal pairs. Return (the lot, the transfer, its two equal TRANSFER_OUT rows)."""
    lot = receive(manager_user, item, store, 10, "A")
    moved = stock_transfer_lines(
        actor=manager_user,
        from_store=store,
        to_store=other_store,
        lines=[(item, 3, lot), (item, 3)],
    )
    outs = [e for e in moved.entries if e.kind == LedgerEntry.Kind.TRANSFER_OUT]
    return lot, moved, outs


def test_identical_halves_of_one_transfer_are_each_reversed_once(
    manager_user, store, other_store, twin_rows
):
    lot, moved, (first_out, second_out) = twin_rows

    ledger_entry_reverse(actor=manager_user, entry=second_out)
    ledger_entry_reverse(actor=manager_user, entry=first_out)

    assert figures(store=store, lot=lot) == (D(10), D(0))
    assert figures(store=other_store, lot=lot) == (D(0), D(0))
    assert LedgerEntry.objects.filter(reverses__in=moved.entries).count() == 4


def test_identical_halves_reversed_while_waiting_for_the_locks_each_reverse(
    manager_user, store, other_store, twin_rows
):
    lot, moved, (first_out, second_out) = twin_rows
    real_lock = Posting.lock
    sibling_done = []

    def lock_after_the_sibling_commits(self, **kwargs):
        # the second person's reversal commits while the first waits on the locks,
        # after the first has read which twin to take back
        if not sibling_done:
            sibling_done.append(first_out)
            ledger_entry_reverse(actor=manager_user, entry=first_out)
        return real_lock(self, **kwargs)

    # when the second row's reversal runs around the first's
    with mock.patch.object(Posting, "lock", lock_after_the_sibling_commits):
        ledger_entry_reverse(actor=manager_user, entry=second_out)

    # then both are reversed, each with its own twin, and the stock is back where it was
    assert figures(store=store, lot=lot) == (D(10), D(0))
    assert figures(store=other_store, lot=lot) == (D(0), D(0))
    assert LedgerEntry.objects.filter(reverses__in=moved.entries).count() == 4


def test_an_entry_can_be_reversed_only_once(manager_user, item, store):
    receipt = stock_receive(actor=manager_user, item=item, store=store, quantity=10).entries[0]
    ledger_entry_reverse(actor=manager_user, entry=receipt)
    before = snapshot()

    with pytest.raises(NotReversible) as excinfo:
        ledger_entry_reverse(actor=manager_user, entry=receipt)

    assert str(excinfo.value) == f"Movement #{receipt.pk} has already been reversed."
    assert snapshot() == before


def test_a_reversal_cannot_itself_be_reversed(manager_user, item, store):
    receipt = stock_receive(actor=manager_user, item=item, store=store, quantity=10).entries[0]
    reversal = ledger_entry_reverse(actor=manager_user, entry=receipt).entries[0]
    before = snapshot()

    with pytest.raises(NotReversible, match="itself a reversal"):
        ledger_entry_reverse(actor=manager_user, entry=reversal)

    assert snapshot() == before


def test_a_reversal_that_would_make_stock_negative_is_refused(manager_user, item, store):
    receipt = stock_receive(
        actor=manager_user, item=item, store=store, quantity=10, lot_code="A"
    ).entries[0]
    stock_issue(actor=manager_user, item=item, store=store, quantity=4)
    before = snapshot()

    with pytest.raises(InsufficientStock) as excinfo:
        ledger_entry_reverse(actor=manager_user, entry=receipt)

    assert str(excinfo.value) == (
        "Only 6 pcs of SKU-0042 unreserved in lot A in Main Store; 10 requested."
        " A reversal takes back the whole movement: to take back only what is left, record an"
        " adjustment (reason Return to supplier, Damage or Loss)."
    )
    assert snapshot() == before


def test_a_reversal_may_not_take_reserved_stock(manager_user, item, store):
    receipt = stock_receive(
        actor=manager_user, item=item, store=store, quantity=10, lot_code="A"
    ).entries[0]
    stock_reserve(actor=manager_user, item=item, store=store, quantity=1)
    before = snapshot()

    with pytest.raises(InsufficientStock, match="Only 9 pcs"):
        ledger_entry_reverse(actor=manager_user, entry=receipt)

    assert snapshot() == before


def test_a_reservation_is_released_not_reversed(manager_user, item, store):
    receive(manager_user, item, store, 10, "A")
    reservation = stock_reserve(actor=manager_user, item=item, store=store, quantity=3).entries[0]
    before = snapshot()

    with pytest.raises(NotReversible, match="Reservations are released, not reversed."):
        ledger_entry_reverse(actor=manager_user, entry=reservation)

    assert snapshot() == before
    assert LedgerEntry.objects.filter(reverses__isnull=False).count() == 0


def test_a_transfer_partly_used_at_its_destination_says_to_transfer_back(
    manager_user, item, store, other_store
):
    # found by a QA pass: the refusal advised a write-off or a return to the supplier,
    # which would take the rest out of the stock instead of moving it back
    lot = receive(manager_user, item, store, 10, "A")
    moved = stock_transfer(
        actor=manager_user, item=item, from_store=store, to_store=other_store, quantity=4
    )
    stock_adjust(actor=manager_user, lot=lot, store=other_store, quantity=-3, reason="DAMAGE")
    before = snapshot()

    with pytest.raises(InsufficientStock) as excinfo:
        ledger_entry_reverse(actor=manager_user, entry=moved.entries[0])

    assert str(excinfo.value).endswith(
        " A reversal takes back the whole transfer: to move back only what is left, record a"
        " transfer the other way."
    )
    assert snapshot() == before
