"""The database side of a posting: open (claim, lock, read) and write, on both databases."""

from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from inventory.exceptions import IdempotencyConflict
from inventory.models import Alert, AuditEvent, LedgerEntry, Lot, Operation, QCStatus, StockBalance
from inventory.services.actor import as_actor
from inventory.services.posting_io import open_posting
from inventory.services.stock import stock_adjust, stock_issue, stock_receive

from .stock_helpers import D, figures

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the posting functions exist on PostgreSQL only"
)


def _statements(captured):
    """The SQL a service sent, without the savepoints of the test's own transaction."""
    return [
        q["sql"]
        for q in captured.captured_queries
        if not q["sql"].upper().startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    ]


@on_postgresql
def test_a_receipt_and_a_direct_issue_are_one_call_and_an_issue_from_a_lot_two(
    staff_user, item, store
):
    stock_receive(actor=staff_user, item=item, store=store, quantity=5, idempotency_key="k0")

    with CaptureQueriesContext(connection) as receipt:
        stock_receive(actor=staff_user, item=item, store=store, quantity=3, idempotency_key="k1")
    with CaptureQueriesContext(connection) as issue:
        stock_issue(actor=staff_user, item=item, store=store, quantity=6, idempotency_key="k2")
    newest = Lot.objects.latest("pk")
    with CaptureQueriesContext(connection) as from_lot:
        stock_issue(
            actor=staff_user, item=item, store=store, quantity=1, lot=newest, idempotency_key="k3"
        )

    (write,) = _statements(receipt)  # claims the key, writes, reads back available
    assert write.startswith("SELECT * FROM inventory_write_posting(")
    (call,) = _statements(issue)  # claims, locks, draws and writes
    assert call.startswith("SELECT * FROM inventory_issue_posting(")
    lock, reread, write = _statements(from_lot)  # re-reads the named lot's QC status
    assert lock.startswith("SELECT * FROM inventory_open_posting(")
    assert '"inventory_lot"."qc_status"' in reread
    assert write.startswith("SELECT * FROM inventory_write_posting(")
    # and the rows are what the ORM path writes: 5 from the first lot, then 1 + 1
    assert figures(store=store, lot=newest) == (D(1), D(0))
    assert [(e.kind, e.quantity) for e in LedgerEntry.objects.order_by("pk")] == [
        ("RECEIVE", D(5)),
        ("RECEIVE", D(3)),
        ("ISSUE", D(5)),
        ("ISSUE", D(1)),
        ("ISSUE", D(1)),
    ]
    assert AuditEvent.objects.filter(action__startswith="stock.").count() == 4


def test_a_receipt_resolves_and_an_issue_opens_the_low_stock_alert(staff_user, item, store):
    item.reorder_level = Decimal("5")
    item.save()
    stock_receive(actor=staff_user, item=item, store=store, quantity=3)
    (alert,) = Alert.objects.all()
    assert (alert.status, alert.available_at_open) == ("OPEN", D(3))

    stock_receive(actor=staff_user, item=item, store=store, quantity=4)  # 7 available
    alert.refresh_from_db()
    assert alert.status == "RESOLVED"

    stock_issue(actor=staff_user, item=item, store=store, quantity=3)  # 4 available
    assert Alert.objects.filter(status="OPEN").get().available_at_open == D(4)
    stock_receive(actor=staff_user, item=item, store=store, quantity=0.5)  # still low
    assert Alert.objects.count() == 2  # one alert per crossing, not one per posting


def test_a_replayed_receipt_writes_nothing(staff_user, item, store):
    first = stock_receive(actor=staff_user, item=item, store=store, quantity=2, idempotency_key="k")

    again = stock_receive(actor=staff_user, item=item, store=store, quantity=2, idempotency_key="k")

    assert again.replayed is True
    assert again.operation.pk == first.operation.pk
    assert [e.pk for e in again.entries] == [e.pk for e in first.entries]
    assert (Lot.objects.count(), LedgerEntry.objects.count(), AuditEvent.objects.count()) == (
        1,
        1,
        1,
    )
    assert AuditEvent.objects.get().details["operation"] == first.operation.pk


def test_a_written_receipt_carries_the_primary_keys_of_its_rows(staff_user, item, store):
    result = stock_receive(actor=staff_user, item=item, store=store, quantity="7.5")

    (entry,) = result.entries
    stored = LedgerEntry.objects.select_related("lot", "operation").get()
    assert entry.pk == stored.pk
    assert entry.lot.pk == stored.lot.pk == Lot.objects.get().pk
    assert stored.operation == result.operation == Operation.objects.get()
    assert (stored.quantity, stored.on_hand_delta, stored.reserved_delta) == (
        D("7.5"),
        D("7.5"),
        D(0),
    )
    assert stored.unit_cost == item.unit_cost
    assert stored.lot.received_at == result.at
    assert abs(stored.created_at - result.at).total_seconds() < 1
    balance = StockBalance.objects.get()
    assert (balance.lot_id, balance.on_hand, balance.reserved) == (stored.lot_id, D("7.5"), D(0))


def test_open_posting_locks_and_returns_only_balances_that_hold_stock(staff_user, item, store):
    stock_receive(actor=staff_user, item=item, store=store, quantity=4, lot_code="EMPTIED")
    stock_receive(actor=staff_user, item=item, store=store, quantity=3, lot_code="STOCKED")
    stock_issue(
        actor=staff_user, item=item, store=store, quantity=4, lot=Lot.objects.get(code="EMPTIED")
    )

    with transaction.atomic():
        opened = open_posting(
            kind=None,
            actor=as_actor(staff_user),
            idempotency_key=None,
            item=item,
            store=store,
            at=timezone.now(),
        )

    assert [(b.lot.code, b.on_hand, b.reserved) for b in opened.balances] == [
        ("STOCKED", D(3), D(0))
    ]
    assert opened.balances[0].lot.qc_status == QCStatus.APPROVED
    assert opened.operation is None  # joining the caller's operation claims no key
    assert opened.reorder_level == item.reorder_level


def test_open_posting_with_a_used_key_replays_and_locks_nothing(staff_user, item, store):
    first = stock_receive(actor=staff_user, item=item, store=store, quantity=2, idempotency_key="k")

    with transaction.atomic():
        opened = open_posting(
            kind="RECEIVE",
            actor=as_actor(staff_user),
            idempotency_key="k",
            item=item,
            store=store,
            at=timezone.now(),
        )

    assert opened.replayed is True
    assert opened.operation.pk == first.operation.pk
    assert opened.balances == []
    assert Operation.objects.count() == 1


def test_a_key_used_by_another_kind_of_operation_is_refused(staff_user, item, store):
    stock_receive(actor=staff_user, item=item, store=store, quantity=2, idempotency_key="k")

    with pytest.raises(IdempotencyConflict):
        stock_issue(actor=staff_user, item=item, store=store, quantity=1, idempotency_key="k")

    assert figures(store=store, lot=Lot.objects.get()) == (D(2), D(0))
    assert (LedgerEntry.objects.count(), Operation.objects.count()) == (1, 1)
    assert AuditEvent.objects.count() == 1


def test_an_issue_across_lots_writes_one_row_per_lot_drawn(staff_user, item, store):
    stock_receive(actor=staff_user, item=item, store=store, quantity=2, lot_code="A")
    stock_receive(actor=staff_user, item=item, store=store, quantity=5, lot_code="B")

    result = stock_issue(actor=staff_user, item=item, store=store, quantity=4)

    assert [(e.lot.code, e.quantity) for e in result.entries] == [("A", D(2)), ("B", D(2))]
    assert sorted(LedgerEntry.objects.filter(kind="ISSUE").values_list("pk", flat=True)) == [
        e.pk for e in result.entries
    ]
    assert figures(store=store, lot=Lot.objects.get(code="A")) == (D(0), D(0))
    assert figures(store=store, lot=Lot.objects.get(code="B")) == (D(3), D(0))


@on_postgresql
def test_postings_work_without_prepared_statements(settings, staff_user, item, store):
    settings.POSTING_PREPARED_STATEMENTS = False

    stock_receive(actor=staff_user, item=item, store=store, quantity=5)
    stock_issue(actor=staff_user, item=item, store=store, quantity=2)
    lot = Lot.objects.get()
    stock_adjust(actor=staff_user, lot=lot, store=store, quantity=-1, reason="DAMAGE")

    assert figures(store=store, lot=lot) == (D(2), D(0))
    assert LedgerEntry.objects.count() == 3
    assert StockBalance.objects.get().on_hand == Decimal("2")
