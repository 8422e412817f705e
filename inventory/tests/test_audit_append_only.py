"""The audit trail is append-only: the ORM and the database both refuse updates and deletes."""

import pytest
from django.db import DatabaseError, connection, transaction

from inventory.models import AppendOnlyError, AuditEvent
from inventory.services.audit import audit_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(staff_user):
    return audit_record(actor=staff_user, action="test.event", details={"a": 1})


def test_orm_update_and_delete_of_audit_events_are_refused(event):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="tampered")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    event.action = "tampered"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()

    assert AuditEvent.objects.get(pk=event.pk).action == "test.event"


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE inventory_auditevent SET action = 'tampered' WHERE id = %s",
        "DELETE FROM inventory_auditevent WHERE id = %s",
    ],
)
def test_raw_sql_update_and_delete_of_audit_events_are_refused_by_the_database(event, sql):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [event.pk])

    assert AuditEvent.objects.get(pk=event.pk).action == "test.event"
