"""A deadlock or serialization failure is retried once; then the person is told to retry.

The idempotency key makes the retry safe: the failed attempt rolled back, so the
second one writes the movement once.
"""

from unittest import mock

import pytest
from django.db import OperationalError, connection

from inventory.exceptions import Busy
from inventory.models import LedgerEntry, Lot
from inventory.services.posting import Posting
from inventory.services.stock import stock_issue, stock_receive
from inventory.tests.concurrency import deadlocking_lock, run_together

from .stock_helpers import D, snapshot

pytestmark = pytest.mark.django_db


def test_a_deadlock_is_retried_once_and_the_movement_written_once(staff_user, item, store):
    stock_receive(actor=staff_user, item=item, store=store, quantity=5)
    patch, calls = deadlocking_lock(times=1)

    with patch:
        result = stock_issue(
            actor=staff_user, item=item, store=store, quantity=2, idempotency_key="k1"
        )

    assert calls["n"] == 2
    assert not result.replayed
    assert LedgerEntry.objects.filter(kind="ISSUE").count() == 1
    assert result.entries[0].quantity == D(2)


def test_a_second_deadlock_is_refused_as_busy_and_changes_nothing(staff_user, item, store):
    stock_receive(actor=staff_user, item=item, store=store, quantity=5)
    before = snapshot()
    patch, calls = deadlocking_lock(times=2)

    with patch, pytest.raises(Busy, match="busy .* please try again"):
        stock_issue(actor=staff_user, item=item, store=store, quantity=2, idempotency_key="k2")

    assert calls["n"] == 2
    assert snapshot() == before


def test_other_database_errors_are_not_retried(staff_user, item, store):
    stock_receive(actor=staff_user, item=item, store=store, quantity=5)
    calls = {"n": 0}

    def broken(self, **kwargs):
        calls["n"] += 1
        raise OperationalError("connection lost")

    with mock.patch.object(Posting, "lock", broken), pytest.raises(OperationalError):
        stock_issue(actor=staff_user, item=item, store=store, quantity=1, idempotency_key="k3")
    assert calls["n"] == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent inserts need PostgreSQL")
def test_concurrent_receipts_of_one_code_in_two_cases_make_one_lot(staff_user, item, store):
    codes = ["Batch-7", "BATCH-7", "batch-7", "bAtCh-7"] * 2
    outcomes = run_together(
        [
            lambda code=code, n=n: stock_receive(
                actor=staff_user,
                item=item,
                store=store,
                quantity=1,
                lot_code=code,
                idempotency_key=f"lc-{n}",
            )
            for n, code in enumerate(codes)
        ]
    )

    assert [o for o in outcomes if isinstance(o, Exception)] == []
    assert Lot.objects.filter(item=item).count() == 1
    assert LedgerEntry.objects.filter(kind="RECEIVE").count() == len(codes)


@pytest.mark.django_db(transaction=True)
def test_a_replay_outside_any_transaction_returns_the_first_result(staff_user, item, store):
    # given a service called as the outermost transaction (as a view calls it), whose
    # claim of the key takes no savepoint
    stock_receive(actor=staff_user, item=item, store=store, quantity=5)
    first = stock_issue(actor=staff_user, item=item, store=store, quantity=2, idempotency_key="o")

    # when the same key comes again
    again = stock_issue(actor=staff_user, item=item, store=store, quantity=2, idempotency_key="o")

    # then the first result is returned and nothing more is written
    assert again.replayed and again.operation.pk == first.operation.pk
    assert [e.pk for e in again.entries] == [e.pk for e in first.entries]
    assert LedgerEntry.objects.filter(kind="ISSUE").count() == 1
