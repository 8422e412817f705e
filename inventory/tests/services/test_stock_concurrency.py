"""Real threads against the real database: the locks, not luck, keep stock right.

Each thread uses its own connection (closed at its end); a Barrier releases them
together. Runs on SQLite (IMMEDIATE transactions queue the writers) and on
PostgreSQL (row locks in primary-key order).
"""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Sum

from inventory.exceptions import InventoryError
from inventory.models import LedgerEntry, Lot, QCStatus, StockBalance
from inventory.selectors.stock import stock_totals_for_item
from inventory.services.qc import lot_reject
from inventory.services.stock import (
    ledger_entry_reverse,
    stock_issue,
    stock_receive,
    stock_reserve,
    stock_transfer,
    stock_transfer_lines,
)
from inventory.tests.concurrency import run_together
from inventory.tests.factories import ItemFactory, StoreFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def assert_ledger_clean():
    out = io.StringIO()
    call_command("verify_ledger", stdout=out)  # raises SystemExit(1) on drift
    assert "OK" in out.getvalue()


def test_twenty_threads_issuing_one_each_of_ten_succeed_exactly_ten_times():
    # given 10 available
    user = UserFactory(role="Staff")
    item, store = ItemFactory(sku="RACE-1"), StoreFactory(code="RACE")
    stock_receive(actor=user, item=item, store=store, quantity=10, lot_code="A")
    # when 20 threads each issue 1 at the same moment
    outcomes = run_together(
        [lambda: stock_issue(actor=user, item=item, store=store, quantity=1)] * 20
    )
    # then exactly 10 succeed, 10 are refused as short, and the balance is 0
    errors = [o for o in outcomes if isinstance(o, Exception)]
    assert len(outcomes) - len(errors) == 10
    assert len(errors) == 10
    assert all(isinstance(e, InventoryError) for e in errors), errors
    assert all("available" in str(e) for e in errors)
    balance = StockBalance.objects.get(item=item, store=store)
    assert (balance.on_hand, balance.reserved) == (Decimal("0"), Decimal("0"))
    assert LedgerEntry.objects.filter(item=item, kind="ISSUE").count() == 10
    assert_ledger_clean()


@pytest.mark.parametrize("round_", range(4))
def test_a_reserve_racing_an_issue_and_a_qc_rejection_stays_consistent(round_):
    user = UserFactory(role="Manager")
    item, store = ItemFactory(sku=f"RACE-2-{round_}"), StoreFactory(code="RACE")
    stock_receive(actor=user, item=item, store=store, quantity=10, lot_code="A")
    lot = Lot.objects.get(item=item)

    outcomes = run_together(
        [
            lambda: stock_reserve(actor=user, item=item, store=store, quantity=6),
            lambda: stock_issue(actor=user, item=item, store=store, quantity=6),
            lambda: lot_reject(actor=user, lot=lot, note="Damaged"),
        ]
    )

    assert all(not isinstance(o, Exception) or isinstance(o, InventoryError) for o in outcomes), (
        outcomes
    )
    reserved_ok, issued_ok, rejected_ok = (not isinstance(o, Exception) for o in outcomes)
    # 6 + 6 > 10: the reserve and the issue cannot both succeed
    assert not (reserved_ok and issued_ok)
    balance = StockBalance.objects.get(item=item, store=store)
    lot.refresh_from_db()
    assert balance.on_hand == Decimal("10") - (Decimal("6") if issued_ok else 0)
    assert balance.reserved == (Decimal("6") if reserved_ok else Decimal("0"))
    assert (lot.qc_status == QCStatus.REJECTED) == rejected_ok
    # A reservation made before the rejection stays with its holder, counted against
    # what is available (it would ship from other stock): never sold twice.
    sellable = balance.on_hand if lot.qc_status == QCStatus.APPROVED else Decimal("0")
    available = stock_totals_for_item(item=item, store=store)["available"]
    assert available == sellable - balance.reserved
    assert_ledger_clean()


@pytest.mark.parametrize("round_", range(4))
def test_opposite_transfers_at_the_same_time_do_not_deadlock(round_):
    # given 10 of two lots in each of two stores
    user = UserFactory(role="Manager")
    item = ItemFactory(sku=f"RACE-3-{round_}")
    a, b = StoreFactory(code="RACE-A"), StoreFactory(code="RACE-B")
    for code in ("L1", "L2"):
        stock_receive(actor=user, item=item, store=a, quantity=5, lot_code=code)
        stock_receive(actor=user, item=item, store=b, quantity=5, lot_code=code)
    # when A sends 7 to B while B sends 7 to A
    outcomes = run_together(
        [
            lambda: stock_transfer(actor=user, item=item, from_store=a, to_store=b, quantity=7),
            lambda: stock_transfer(actor=user, item=item, from_store=b, to_store=a, quantity=7),
        ]
    )
    # then both succeed and the total is conserved
    assert not any(isinstance(o, Exception) for o in outcomes), outcomes
    totals = StockBalance.objects.filter(item=item).aggregate(on_hand=Sum("on_hand"))
    assert totals["on_hand"] == Decimal("20")
    per_store = dict(
        StockBalance.objects.filter(item=item).values_list("store__code").annotate(Sum("on_hand"))
    )
    assert per_store == {"RACE-A": Decimal("10"), "RACE-B": Decimal("10")}
    assert LedgerEntry.objects.filter(item=item, kind="TRANSFER_OUT").count() >= 2
    assert_ledger_clean()


@pytest.mark.parametrize("round_", range(4))
def test_two_people_reversing_identical_rows_of_one_transfer_both_succeed(round_):
    # given a transfer that wrote two equal pairs (a lot named on one line, drawn by another)
    user = UserFactory(role="Manager")
    item = ItemFactory(sku=f"RACE-4-{round_}")
    a, b = StoreFactory(code="RACE-A"), StoreFactory(code="RACE-B")
    stock_receive(actor=user, item=item, store=a, quantity=10, lot_code="L1")
    lot = Lot.objects.get(item=item)
    moved = stock_transfer_lines(
        actor=user, from_store=a, to_store=b, lines=[(item, 3, lot), (item, 3)]
    )
    outs = [e for e in moved.entries if e.kind == LedgerEntry.Kind.TRANSFER_OUT]
    # when two managers each reverse one of the two equal rows at the same moment
    outcomes = run_together([lambda e=e: ledger_entry_reverse(actor=user, entry=e) for e in outs])
    # then neither is told "already reversed", and all 10 are back in A
    assert not any(isinstance(o, Exception) for o in outcomes), outcomes
    per_store = dict(
        StockBalance.objects.filter(item=item).values_list("store__code").annotate(Sum("on_hand"))
    )
    assert per_store == {"RACE-A": Decimal("10"), "RACE-B": Decimal("0")}
    assert LedgerEntry.objects.filter(reverses__in=moved.entries).count() == 4
    assert_ledger_clean()
