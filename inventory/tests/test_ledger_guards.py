"""The ledger and the audit trail are append-only: the database and the ORM both refuse."""

import pytest
from django.db import DatabaseError, connection, transaction

from inventory.models import AuditEvent, LedgerEntry, LotDecision, Operation
from inventory.models.append_only import AppendOnlyError
from inventory.services.qc import lot_approve
from inventory.services.stock import stock_receive

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(staff_user, item, store):
    return stock_receive(actor=staff_user, item=item, store=store, quantity=5).entries[0]


def _raw(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE inventory_ledgerentry SET on_hand_delta = 500 WHERE id = %s",
        "UPDATE inventory_ledgerentry SET note = 'edited' WHERE id = %s",
        "DELETE FROM inventory_ledgerentry WHERE id = %s",
    ],
)
def test_raw_sql_cannot_change_a_ledger_row(entry, sql):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _raw(sql, [entry.pk])

    fresh = LedgerEntry.objects.get(pk=entry.pk)
    assert (fresh.on_hand_delta, fresh.note) == (entry.on_hand_delta, "")


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE inventory_auditevent SET action = 'forged' WHERE id = %s",
        "DELETE FROM inventory_auditevent WHERE id = %s",
    ],
)
def test_raw_sql_cannot_change_an_audit_event(entry, sql):
    event = AuditEvent.objects.get(action="stock.receive")

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _raw(sql, [event.pk])

    assert AuditEvent.objects.get(pk=event.pk).action == "stock.receive"


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE inventory_operation SET kind = 'X' WHERE id = %s",
        "DELETE FROM inventory_operation WHERE id = %s",
    ],
)
def test_raw_sql_cannot_change_an_operation(entry, sql):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _raw(sql, [entry.operation_id])

    assert Operation.objects.get(pk=entry.operation_id).kind == "RECEIVE"


def test_raw_sql_cannot_delete_a_qc_decision(manager_user, qc_item, store):
    stock_receive(actor=manager_user, item=qc_item, store=store, quantity=5, lot_code="Q")
    lot_approve(actor=manager_user, lot=qc_item.lots.get())
    decision = LotDecision.objects.get()

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _raw("DELETE FROM inventory_lotdecision WHERE id = %s", [decision.pk])

    assert LotDecision.objects.filter(pk=decision.pk).exists()


def test_save_of_an_existing_ledger_row_is_refused(entry):
    entry.note = "edited"

    with pytest.raises(AppendOnlyError, match="LedgerEntry rows are append-only: no update."):
        entry.save()

    assert LedgerEntry.objects.get(pk=entry.pk).note == ""


def test_delete_of_a_ledger_row_is_refused(entry):
    with pytest.raises(AppendOnlyError, match="no delete"):
        entry.delete()

    assert LedgerEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize("model", [LedgerEntry, AuditEvent, Operation])
def test_queryset_update_and_delete_are_refused(entry, model):
    count = model.objects.count()

    with pytest.raises(AppendOnlyError, match="no update"):
        model.objects.all().update(created_at=None)
    with pytest.raises(AppendOnlyError, match="no delete"):
        model.objects.filter(pk__gt=0).delete()
    with pytest.raises(AppendOnlyError, match="no update"):
        model.objects.bulk_update(list(model.objects.all()), ["created_at"])

    assert model.objects.count() == count


def test_save_and_delete_of_an_audit_event_are_refused(entry):
    event = AuditEvent.objects.get(action="stock.receive")
    event.action = "forged"

    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()

    assert AuditEvent.objects.get(pk=event.pk).action == "stock.receive"
