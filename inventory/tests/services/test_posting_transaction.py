"""A posting that owns its transaction sends BEGIN and COMMIT with its calls.

These run with real commits (transaction=True): inside a test case's transaction a
service never owns its transaction, so the merged edges would not be exercised.
The outcomes are asserted on both databases; what went over the wire, on PostgreSQL.
"""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from bench.harness import transaction_commands
from inventory.exceptions import InsufficientStock
from inventory.models import Alert, LedgerEntry, Lot
from inventory.services.stock import stock_issue, stock_receive

from .stock_helpers import D, figures, snapshot

pytestmark = pytest.mark.django_db(transaction=True)

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the posting functions exist on PostgreSQL only"
)


def _calls(captured) -> list[str]:
    """The posting function calls, without Django's BEGIN/COMMIT log lines (which
    it writes whether or not psycopg had anything to send)."""
    return [
        sql
        for sql in (q["sql"].split(" -- ")[0] for q in captured.captured_queries)
        if sql.startswith(("SELECT * FROM inventory_", "BEGIN; SELECT * FROM inventory_"))
    ]


def _autocommit_agrees():
    """psycopg's autocommit is what Django believes it is."""
    return connection.connection.autocommit == connection.get_autocommit()


@on_postgresql
def test_an_issue_sends_begin_with_its_first_call_and_commit_with_its_write(
    staff_user, item, store
):
    """An issue from a named lot opens, re-reads the lot, then writes (a direct
    issue is one call)."""
    stock_receive(actor=staff_user, item=item, store=store, quantity=5, idempotency_key="r1")
    lot = Lot.objects.get()

    with transaction_commands() as sent, CaptureQueriesContext(connection) as captured:
        stock_issue(
            actor=staff_user, item=item, store=store, quantity=2, lot=lot, idempotency_key="i1"
        )

    assert sent == []  # no BEGIN or COMMIT of their own: two round trips in all
    open_call, write_call = _calls(captured)
    assert open_call.startswith("BEGIN; SELECT * FROM inventory_open_posting(")
    assert write_call.startswith("SELECT * FROM inventory_write_posting(")
    assert write_call.endswith("; COMMIT")
    assert figures(store=store, lot=lot) == (D(3), D(0))
    assert _autocommit_agrees()


@on_postgresql
def test_a_direct_issue_is_one_statement_in_autocommit(staff_user, item, store):
    stock_receive(actor=staff_user, item=item, store=store, quantity=5, idempotency_key="r1")

    with transaction_commands() as sent, CaptureQueriesContext(connection) as captured:
        stock_issue(actor=staff_user, item=item, store=store, quantity=2, idempotency_key="i1")

    assert sent == []
    (call,) = _calls(captured)
    assert call.startswith("SELECT * FROM inventory_issue_posting(")
    assert "COMMIT" not in call and "BEGIN" not in call
    assert figures(store=store, lot=Lot.objects.get()) == (D(3), D(0))
    assert _autocommit_agrees()


@on_postgresql
def test_a_receipt_into_a_new_lot_is_one_statement_in_autocommit(staff_user, item, store):
    with transaction_commands() as sent, CaptureQueriesContext(connection) as captured:
        stock_receive(actor=staff_user, item=item, store=store, quantity=4, idempotency_key="r1")

    assert sent == []
    (write_call,) = _calls(captured)
    assert write_call.startswith("SELECT * FROM inventory_write_posting(")
    assert "COMMIT" not in write_call and "BEGIN" not in write_call
    assert figures(store=store, lot=Lot.objects.get()) == (D(4), D(0))
    assert _autocommit_agrees()


@on_postgresql
def test_inside_a_callers_transaction_the_calls_are_ordinary_statements(staff_user, item, store):
    stock_receive(actor=staff_user, item=item, store=store, quantity=5, idempotency_key="r1")

    with (
        transaction_commands() as sent,
        CaptureQueriesContext(connection) as captured,
        transaction.atomic(),
    ):
        stock_issue(actor=staff_user, item=item, store=store, quantity=2, idempotency_key="i1")
        stock_receive(actor=staff_user, item=item, store=store, quantity=1)

    assert sent == ["BEGIN", "COMMIT"]  # the caller's, once
    assert all("BEGIN;" not in call and "COMMIT" not in call for call in _calls(captured))
    assert LedgerEntry.objects.count() == 3


def test_a_caller_that_rolls_back_undoes_the_postings_made_in_its_transaction(
    staff_user, item, store
):
    stock_receive(actor=staff_user, item=item, store=store, quantity=5, idempotency_key="r1")
    before = snapshot()

    with pytest.raises(RuntimeError), transaction.atomic():
        stock_issue(actor=staff_user, item=item, store=store, quantity=2, idempotency_key="i1")
        stock_receive(actor=staff_user, item=item, store=store, quantity=1, idempotency_key="r2")
        raise RuntimeError("the caller fails after the postings")

    assert snapshot() == before  # neither posting committed on its own


@pytest.mark.parametrize("named_lot", [False, True], ids=["direct", "from-a-lot"])
def test_a_refused_issue_rolls_back_and_the_next_posting_works(staff_user, item, store, named_lot):
    stock_receive(actor=staff_user, item=item, store=store, quantity=5, idempotency_key="r1")
    lot = Lot.objects.get() if named_lot else None
    before = snapshot()

    with transaction_commands() as sent, pytest.raises(InsufficientStock) as refused:
        stock_issue(
            actor=staff_user, item=item, store=store, quantity=6, lot=lot, idempotency_key="i1"
        )

    assert refused.value.available == D(5)
    assert snapshot() == before  # the key was claimed, and rolled back with the rest
    if connection.vendor == "postgresql":
        # The direct issue ran alone in autocommit: its error ended its transaction.
        assert sent[:1] == (["ROLLBACK"] if named_lot else [])
        assert _autocommit_agrees()
    stock_issue(actor=staff_user, item=item, store=store, quantity=5, lot=lot, idempotency_key="i1")
    assert figures(store=store, lot=Lot.objects.get()) == (D(0), D(0))


def test_a_failure_at_commit_writes_nothing_and_leaves_the_connection_usable(
    staff_user, item, store
):
    """The ledger's foreign keys are checked at COMMIT; here the actor does not exist."""
    stock_receive(actor=staff_user, item=item, store=store, quantity=5, idempotency_key="r1")
    ghost = get_user_model()(pk=987654, username="ghost")
    before = snapshot()

    with pytest.raises(IntegrityError):
        stock_receive(actor=ghost, item=item, store=store, quantity=1, idempotency_key="r2")
    assert snapshot() == before
    with pytest.raises(IntegrityError):
        stock_issue(actor=ghost, item=item, store=store, quantity=1, idempotency_key="i1")
    assert snapshot() == before

    if connection.vendor == "postgresql":
        assert _autocommit_agrees()
    stock_issue(actor=staff_user, item=item, store=store, quantity=1, idempotency_key="i2")
    assert figures(store=store, lot=Lot.objects.get()) == (D(4), D(0))


def test_a_replayed_key_makes_one_movement(staff_user, item, store):
    first = stock_receive(actor=staff_user, item=item, store=store, quantity=5, idempotency_key="r")
    again = stock_receive(actor=staff_user, item=item, store=store, quantity=5, idempotency_key="r")
    issued = stock_issue(actor=staff_user, item=item, store=store, quantity=2, idempotency_key="i")
    issued_again = stock_issue(
        actor=staff_user, item=item, store=store, quantity=2, idempotency_key="i"
    )

    assert again.replayed and issued_again.replayed
    assert again.operation.pk == first.operation.pk
    assert issued_again.operation.pk == issued.operation.pk
    assert LedgerEntry.objects.count() == 2
    assert figures(store=store, lot=Lot.objects.get()) == (D(3), D(0))


def test_low_stock_alerts_follow_committed_postings(staff_user, item, store):
    item.reorder_level = Decimal("5")
    item.save()
    stock_receive(actor=staff_user, item=item, store=store, quantity=6, idempotency_key="r1")
    assert not Alert.objects.exists()

    stock_issue(actor=staff_user, item=item, store=store, quantity=3, idempotency_key="i1")
    alert = Alert.objects.get()
    assert (alert.status, alert.available_at_open) == ("OPEN", D(3))

    # A receipt into a new lot locks nothing: the alert follows from the read-back,
    # in its own transaction right after the posting's.
    stock_receive(actor=staff_user, item=item, store=store, quantity=2, idempotency_key="r2")
    alert.refresh_from_db()
    assert alert.status == "RESOLVED"
    assert alert.closed_at is not None


def test_every_stock_service_commits_its_own_transaction_and_the_ledger_matches(
    staff_user, manager_user, item, store, other_store
):
    """Each service here owns its transaction, so its write carries the COMMIT."""
    from inventory.management.commands.verify_ledger import ledger_drift
    from inventory.services.stock import (
        ledger_entry_reverse,
        stock_adjust,
        stock_reserve,
        stock_transfer,
        stock_unreserve,
    )

    stock_receive(
        actor=staff_user, item=item, store=store, quantity=10, lot_code="B-1", idempotency_key="a"
    )
    lot = Lot.objects.get(code="B-1")
    stock_receive(  # extends the named lot: it reads first, so the write carries COMMIT
        actor=staff_user, item=item, store=store, quantity=5, lot_code="B-1", idempotency_key="b"
    )
    stock_reserve(actor=staff_user, item=item, store=store, quantity=4, idempotency_key="c")
    stock_unreserve(actor=staff_user, item=item, store=store, quantity=1, idempotency_key="d")
    stock_issue(
        actor=staff_user,
        item=item,
        store=store,
        quantity=2,
        from_reservation=True,
        idempotency_key="e",
    )
    stock_adjust(
        actor=manager_user, lot=lot, store=store, quantity=-1, reason="DAMAGE", idempotency_key="f"
    )
    stock_transfer(
        actor=manager_user,
        item=item,
        from_store=store,
        to_store=other_store,
        quantity=3,
        idempotency_key="g",
    )
    damage = LedgerEntry.objects.get(operation__idempotency_key="f")
    ledger_entry_reverse(actor=manager_user, entry=damage, idempotency_key="h")

    # 15 received, 2 issued from the 3 still reserved (1 left), 1 damaged and put
    # back by the reversal, 3 moved to the other store
    assert figures(store=store, lot=lot) == (D(10), D(1))
    assert figures(store=other_store, lot=lot) == (D(3), D(0))
    assert LedgerEntry.objects.count() == 9
    assert ledger_drift() == []
    if connection.vendor == "postgresql":
        assert _autocommit_agrees()
