import pytest

from inventory.exceptions import IdempotencyConflict, InsufficientStock
from inventory.models import LedgerEntry, Operation
from inventory.services.stock import (
    ledger_entry_reverse,
    stock_adjust,
    stock_issue,
    stock_receive,
    stock_reserve,
    stock_transfer,
    stock_unreserve,
)

from .stock_helpers import D, figures, receive, snapshot

pytestmark = pytest.mark.django_db


def _calls(user, item, store, other_store, lot):
    """One call per service, each a function of its idempotency key."""
    return {
        "receive": lambda key: stock_receive(
            actor=user, item=item, store=store, quantity=5, lot_code="A", idempotency_key=key
        ),
        "reserve": lambda key: stock_reserve(
            actor=user, item=item, store=store, quantity=2, idempotency_key=key
        ),
        "unreserve": lambda key: stock_unreserve(
            actor=user, item=item, store=store, quantity=1, idempotency_key=key
        ),
        "issue": lambda key: stock_issue(
            actor=user, item=item, store=store, quantity=1, idempotency_key=key
        ),
        "adjust": lambda key: stock_adjust(
            actor=user, lot=lot, store=store, quantity=-1, reason="DAMAGE", idempotency_key=key
        ),
        "transfer": lambda key: stock_transfer(
            actor=user,
            item=item,
            from_store=store,
            to_store=other_store,
            quantity=1,
            idempotency_key=key,
        ),
    }


@pytest.mark.parametrize(
    "service", ["receive", "reserve", "unreserve", "issue", "adjust", "transfer"]
)
def test_the_same_key_twice_records_one_operation(manager_user, item, store, other_store, service):
    # given stock and one reservation to work on
    lot = receive(manager_user, item, store, 20, "A")
    stock_reserve(actor=manager_user, item=item, store=store, quantity=3)
    call = _calls(manager_user, item, store, other_store, lot)[service]
    first = call("key-1")
    after_first = snapshot()
    # when the same submission arrives again
    second = call("key-1")
    # then nothing more is written and the first result comes back
    assert first.replayed is False
    assert second.replayed is True
    assert second.operation.pk == first.operation.pk
    assert [e.pk for e in second.entries] == [e.pk for e in first.entries]
    assert snapshot() == after_first
    assert Operation.objects.filter(idempotency_key="key-1").count() == 1


def test_a_replayed_reversal_returns_the_first(manager_user, item, store):
    receipt = stock_receive(actor=manager_user, item=item, store=store, quantity=5).entries[0]
    first = ledger_entry_reverse(actor=manager_user, entry=receipt, idempotency_key="rev-1")
    before = snapshot()

    second = ledger_entry_reverse(actor=manager_user, entry=receipt, idempotency_key="rev-1")

    assert second.replayed is True
    assert [e.pk for e in second.entries] == [e.pk for e in first.entries]
    assert snapshot() == before


def test_a_key_used_by_another_kind_of_operation_is_refused(manager_user, item, store):
    receive(manager_user, item, store, 5, "A")
    stock_receive(actor=manager_user, item=item, store=store, quantity=1, idempotency_key="k")
    before = snapshot()

    with pytest.raises(IdempotencyConflict, match="already used for another operation"):
        stock_issue(actor=manager_user, item=item, store=store, quantity=1, idempotency_key="k")

    assert snapshot() == before


def test_a_too_long_key_is_refused(manager_user, item, store):
    before = snapshot()

    with pytest.raises(IdempotencyConflict, match="form token is invalid"):
        stock_receive(
            actor=manager_user, item=item, store=store, quantity=1, idempotency_key="k" * 65
        )

    assert snapshot() == before


def test_without_a_key_each_call_is_a_new_operation(manager_user, item, store):
    lot = receive(manager_user, item, store, 5, "A")

    stock_receive(actor=manager_user, item=item, store=store, quantity=1, lot_code="A")
    stock_receive(
        actor=manager_user, item=item, store=store, quantity=1, lot_code="A", idempotency_key=" "
    )

    assert figures(store=store, lot=lot) == (D(7), D(0))
    assert LedgerEntry.objects.filter(kind="RECEIVE").count() == 3


def test_a_refused_operation_does_not_burn_its_key(manager_user, item, store):
    lot = receive(manager_user, item, store, 2, "A")
    with pytest.raises(InsufficientStock):
        stock_issue(actor=manager_user, item=item, store=store, quantity=5, idempotency_key="k")

    result = stock_issue(
        actor=manager_user, item=item, store=store, quantity=2, idempotency_key="k"
    )

    assert result.replayed is False
    assert figures(store=store, lot=lot) == (D(0), D(0))
