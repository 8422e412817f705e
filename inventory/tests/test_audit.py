"""The audit trail: what each operation records, append-only storage, the /audit/ screen."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from accounts.tests.factories import PASSWORD, UserFactory
from inventory.models import AppendOnlyError, AuditEvent, LedgerEntry, Lot
from inventory.services import qc, stock
from inventory.services.actor import Actor
from inventory.services.audit import audit_record

pytestmark = pytest.mark.django_db

IP = "203.0.113.7"
AGENT = "Mozilla/5.0 (audit test)"


@pytest.fixture
def actor(manager_user):
    return Actor(user=manager_user, ip=IP, user_agent=AGENT)


def _entry(entry, **overrides):
    """One ledger row as the audit event lists it; the event names the operation."""
    detail = {
        "kind": entry.kind,
        "lot": entry.lot.code,
        "store": entry.store_id,
        "quantity": str(entry.quantity),
        "on_hand_delta": str(entry.on_hand_delta),
        "reserved_delta": str(entry.reserved_delta),
    }
    detail.update(overrides)
    return detail


def _last(action):
    return AuditEvent.objects.filter(action=action).latest("pk")


def _assert_context(event, manager_user):
    assert (event.actor, event.actor_username) == (manager_user, "manager1")
    assert (event.ip_address, event.user_agent) == (IP, AGENT)


def _receive(actor, item, store, qty="10", lot_code="LOT-A"):
    return stock.stock_receive(
        actor=actor, item=item, store=store, quantity=Decimal(qty), lot_code=lot_code
    )


# --- stock operations --------------------------------------------------------------------


def test_receive_records_quantity_lot_cost_and_request_context(actor, manager_user, item, store):
    stock.stock_receive(
        actor=actor, item=item, store=store, quantity=Decimal("10"), lot_code="LOT-A",
        unit_cost="3.20",
    )  # fmt: skip

    event = _last("stock.receive")
    _assert_context(event, manager_user)
    assert (event.object_type, event.object_id, event.object_repr) == (
        "Item",
        str(item.pk),
        "SKU-0042 Blue widget",
    )
    entry = LedgerEntry.objects.get()
    assert event.details == {
        "store": "MAIN",
        "lot": "LOT-A",
        "qc_status": "APPROVED",
        "quantity": "10.000",
        "unit_cost": "3.20",
        "entries": [_entry(entry, reserved_delta="0")],
        "operation": entry.operation_id,
    }


def test_reserve_and_unreserve_record_the_lots_held_and_released(actor, manager_user, item, store):
    _receive(actor, item, store)

    stock.stock_reserve(actor=actor, item=item, store=store, quantity=Decimal("3"))
    stock.stock_unreserve(actor=actor, item=item, store=store, quantity=Decimal("1"))

    reserve, unreserve = _last("stock.reserve"), _last("stock.unreserve")
    _assert_context(reserve, manager_user)
    _assert_context(unreserve, manager_user)
    reserve_entry = LedgerEntry.objects.get(kind="RESERVE")
    unreserve_entry = LedgerEntry.objects.get(kind="UNRESERVE")
    assert reserve.details == {
        "store": "MAIN",
        "quantity": "3.000",
        "entries": [_entry(reserve_entry, on_hand_delta="0", reserved_delta="3.000")],
        "operation": reserve_entry.operation_id,
    }
    assert unreserve.details == {
        "store": "MAIN",
        "quantity": "1.000",
        "entries": [_entry(unreserve_entry, on_hand_delta="0", reserved_delta="-1.000")],
        "operation": unreserve_entry.operation_id,
    }


def test_issue_records_each_lot_drawn(actor, manager_user, item, store):
    _receive(actor, item, store, "2", "LOT-A")
    _receive(actor, item, store, "5", "LOT-B")

    stock.stock_issue(actor=actor, item=item, store=store, quantity=Decimal("4"))

    event = _last("stock.issue")
    _assert_context(event, manager_user)
    first, second = LedgerEntry.objects.filter(kind="ISSUE").order_by("pk")
    assert (first.lot.code, second.lot.code) == ("LOT-A", "LOT-B")
    assert event.details == {
        "store": "MAIN",
        "quantity": "4.000",
        "from_reservation": False,
        "entries": [
            _entry(first, on_hand_delta="-2.000", reserved_delta="0"),
            _entry(second, on_hand_delta="-2.000", reserved_delta="0"),
        ],
        "operation": second.operation_id,
    }


def test_adjust_records_signed_quantity_reason_and_note(actor, manager_user, item, store):
    item.unit = "kg"  # a fractional quantity below
    item.save(update_fields=["unit"])
    _receive(actor, item, store)
    lot = Lot.objects.get(code="LOT-A")

    stock.stock_adjust(
        actor=actor, lot=lot, store=store, quantity=Decimal("-1.5"), reason="DAMAGE", note="dropped"
    )

    event = _last("stock.adjust")
    _assert_context(event, manager_user)
    entry = LedgerEntry.objects.get(kind="ADJUST")
    assert event.details == {
        "store": "MAIN",
        "lot": "LOT-A",
        "quantity": "-1.500",
        "reason": "DAMAGE",
        "note": "dropped",
        "entries": [_entry(entry, on_hand_delta="-1.500", reserved_delta="0")],
        "operation": entry.operation_id,
    }


def test_transfer_records_both_stores_and_both_halves(
    actor, manager_user, item, store, other_store
):
    _receive(actor, item, store)

    stock.stock_transfer(
        actor=actor, item=item, from_store=store, to_store=other_store, quantity=Decimal("4")
    )

    event = _last("stock.transfer")
    _assert_context(event, manager_user)
    out = LedgerEntry.objects.get(kind="TRANSFER_OUT")
    into = LedgerEntry.objects.get(kind="TRANSFER_IN")
    assert (out.store, into.store) == (store, other_store)
    assert event.details == {
        "from_store": "MAIN",
        "to_store": "WH",
        "quantity": "4.000",
        "entries": [
            _entry(out, on_hand_delta="-4.000", reserved_delta="0"),
            _entry(into, on_hand_delta="4.000", reserved_delta="0"),
        ],
        "operation": into.operation_id,
    }


def test_reversal_records_the_entry_reversed_and_the_compensation(actor, manager_user, item, store):
    _receive(actor, item, store, "5", "LOT-B")
    original = LedgerEntry.objects.get()

    stock.ledger_entry_reverse(actor=actor, entry=original, note="typo")

    event = _last("stock.reverse")
    _assert_context(event, manager_user)
    compensation = LedgerEntry.objects.get(reverses=original)
    assert event.details == {
        "reversed": [original.pk],
        "entries": [_entry(compensation, on_hand_delta="-5.000", reserved_delta="0")],
        "operation": compensation.operation_id,
    }


def test_qc_approve_and_reject_record_the_transition_and_the_quantities(
    actor, manager_user, qc_item, store
):
    _receive(actor, qc_item, store, "4", "Q1")
    _receive(actor, qc_item, store, "6", "Q2")
    assert _last("stock.receive").details["qc_status"] == "QUARANTINE"

    qc.lot_approve(actor=actor, lot=Lot.objects.get(code="Q1"), note="looks fine")
    qc.lot_reject(actor=actor, lot=Lot.objects.get(code="Q2"), note="broken seals")

    approved, rejected = _last("lot.approved"), _last("lot.rejected")
    _assert_context(approved, manager_user)
    _assert_context(rejected, manager_user)
    assert (approved.object_type, approved.object_repr) == ("Lot", "Q1 (Approved)")
    assert approved.details == {
        "item": "SKU-QC01",
        "from": "QUARANTINE",
        "to": "APPROVED",
        "note": "looks fine",
        "on_hand": {"MAIN": "4.000"},
    }
    assert (rejected.object_type, rejected.object_repr) == ("Lot", "Q2 (Rejected)")
    assert rejected.details == {
        "item": "SKU-QC01",
        "from": "QUARANTINE",
        "to": "REJECTED",
        "note": "broken seals",
        "on_hand": {"MAIN": "6.000"},
    }


def test_refused_operation_records_no_audit_event(actor, item, store):
    from inventory.exceptions import InsufficientStock

    _receive(actor, item, store, "1")
    before = AuditEvent.objects.count()

    with pytest.raises(InsufficientStock):
        stock.stock_issue(actor=actor, item=item, store=store, quantity=Decimal("2"))

    assert AuditEvent.objects.count() == before


def test_catalogue_edit_records_values_before_and_after(actor, manager_user, item):
    from inventory.services.catalog import item_deactivate, item_update

    item_update(
        actor=actor, item=item, data={"name": "Navy widget", "reorder_level": Decimal("7.000")}
    )
    item_deactivate(actor=actor, item=item)

    update, deactivate = _last("item.update"), _last("item.deactivate")
    _assert_context(update, manager_user)
    assert (update.object_type, update.object_id) == ("Item", str(item.pk))
    assert update.details == {
        "name": ["Blue widget", "Navy widget"],
        "reorder_level": ["0.000", "7.000"],
    }
    assert deactivate.details == {"is_active": [True, False]}


# --- authentication and users ------------------------------------------------------------


def test_login_is_recorded_with_ip_and_user_agent(client, staff_user):
    response = client.post(
        "/login/",
        {"username": "staff1", "password": PASSWORD},
        REMOTE_ADDR=IP,
        HTTP_USER_AGENT=AGENT,
    )

    assert response.status_code == 302
    event = AuditEvent.objects.get(action="auth.login")
    assert (event.actor, event.actor_username, event.ip_address, event.user_agent) == (
        staff_user,
        "staff1",
        IP,
        AGENT,
    )
    assert (event.object_type, event.object_id) == ("User", str(staff_user.pk))


def test_failed_login_is_recorded_with_the_username_tried(client, staff_user):
    response = client.post(
        "/login/",
        {"username": "staff1", "password": "wrong-password"},
        REMOTE_ADDR=IP,
        HTTP_USER_AGENT=AGENT,
    )

    assert response.status_code == 200
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert (event.actor, event.actor_username, event.ip_address, event.user_agent) == (
        None,
        "",
        IP,
        AGENT,
    )
    assert event.details == {"username": "staff1"}
    assert not AuditEvent.objects.filter(action="auth.login").exists()


def test_logout_is_recorded_with_ip_and_user_agent(client, staff_user):
    client.force_login(staff_user)

    response = client.post("/logout/", REMOTE_ADDR=IP, HTTP_USER_AGENT=AGENT)

    assert response.status_code == 302
    event = AuditEvent.objects.get(action="auth.logout")
    assert (event.actor, event.ip_address, event.user_agent) == (staff_user, IP, AGENT)


def test_role_change_is_recorded_with_before_and_after(admin_role_client, admin_role_user):
    target = UserFactory(username="newbie")

    response = admin_role_client.post(
        f"/users/{target.pk}/role/", {"role": "1"}, REMOTE_ADDR=IP, HTTP_USER_AGENT=AGENT
    )

    assert response.status_code == 302
    event = AuditEvent.objects.get(action="user.set_role")
    assert (event.actor, event.ip_address, event.user_agent) == (admin_role_user, IP, AGENT)
    assert (event.object_type, event.object_id, event.object_repr) == (
        "User",
        str(target.pk),
        "newbie",
    )
    assert event.details == {"role": ["No role", "Staff"]}


# --- append-only -------------------------------------------------------------------------


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


# --- /audit/ -----------------------------------------------------------------------------


def _events(count, *, action="stock.issue", actor=None, **extra):
    return [
        audit_record(actor=actor, action=action, details={"n": n}, **extra) for n in range(count)
    ]


def test_audit_log_is_for_managers_and_admins_only(
    client, staff_client, manager_user, admin_role_user
):
    assert staff_client.get("/audit/").status_code == 403
    assert staff_client.get("/audit/export.csv").status_code == 403
    client.force_login(manager_user)
    assert client.get("/audit/").status_code == 200
    client.force_login(admin_role_user)
    assert client.get("/audit/").status_code == 200


def test_audit_log_lists_events_newest_first_with_their_details(manager_client, staff_user, item):
    audit_record(actor=staff_user, action="stock.receive", obj=item, details={"lot": "LOT-A"})
    audit_record(
        actor=Actor(user=staff_user, ip=IP, user_agent=AGENT),
        action="stock.issue",
        obj=item,
        details={"quantity": "2.000"},
    )

    # (the manager's own sign-in is an event too; filter to the staff user's)
    response = manager_client.get("/audit/", {"user": "staff1"})

    assert response.status_code == 200
    events = list(response.context["events"])
    assert [e.action for e in events] == ["stock.issue", "stock.receive"]
    html = response.content.decode()
    assert "SKU-0042 Blue widget" in html
    assert IP in html
    assert "&#x27;quantity&#x27;: &#x27;2.000&#x27;" in html


def test_audit_filters_by_user_action_object_and_text(manager_client, staff_user, item, store):
    other = UserFactory(role="Staff", username="otherstaff")
    audit_record(actor=staff_user, action="stock.receive", obj=item)
    audit_record(actor=staff_user, action="stock.issue", obj=item)
    audit_record(actor=other, action="stock.issue", obj=store)
    audit_record(actor=None, action="auth.login_failed", details={"username": "staff1"})

    def actions(query):
        response = manager_client.get("/audit/", query)
        assert response.status_code == 200
        return [(e.actor_username, e.action, e.object_type) for e in response.context["events"]]

    assert actions({"user": "staff1"}) == [
        ("", "auth.login_failed", ""),
        ("staff1", "stock.issue", "Item"),
        ("staff1", "stock.receive", "Item"),
    ]
    assert actions({"action": "stock.issue"}) == [
        ("otherstaff", "stock.issue", "Store"),
        ("staff1", "stock.issue", "Item"),
    ]
    assert actions({"action": "stock", "user": "other"}) == [("otherstaff", "stock.issue", "Store")]
    assert actions({"object_type": "item", "object_id": str(item.pk)}) == [
        ("staff1", "stock.issue", "Item"),
        ("staff1", "stock.receive", "Item"),
    ]
    assert actions({"q": "main store"}) == [("otherstaff", "stock.issue", "Store")]


def test_audit_filters_by_date_range(manager_client, staff_user):
    old = audit_record(actor=staff_user, action="old.event")
    recent = audit_record(actor=staff_user, action="recent.event")
    # created_at is set on insert and the rows are append-only, so filter around today.
    today = timezone.localdate()

    def actions(query):
        query = {"user": "staff1", **query}
        return [e.action for e in manager_client.get("/audit/", query).context["events"]]

    assert actions({"date_from": today.isoformat()}) == ["recent.event", "old.event"]
    assert actions({"date_to": (today - timedelta(days=1)).isoformat()}) == []
    assert actions({"date_from": (today + timedelta(days=1)).isoformat()}) == []
    assert actions({"date_from": today.isoformat(), "date_to": today.isoformat()}) == [
        recent.action,
        old.action,
    ]


def test_audit_log_with_a_bad_date_shows_the_error_not_a_500(manager_client, staff_user):
    audit_record(actor=staff_user, action="some.event")

    response = manager_client.get("/audit/", {"date_from": "not-a-date"})

    assert response.status_code == 200
    assert "Enter a valid date." in response.content.decode()


def test_audit_log_pages_50_at_a_time_newest_first_keeping_the_filters(manager_client, staff_user):
    events = _events(55, actor=staff_user)
    newest_first = [e.pk for e in reversed(events)]

    first = manager_client.get("/audit/", {"user": "staff1"})
    older = first.context["page"].older_query
    second = manager_client.get(f"/audit/?{older}")

    assert [e.pk for e in first.context["events"]] == newest_first[:50]
    assert [e.pk for e in second.context["events"]] == newest_first[50:]
    assert "user=staff1" in older
    assert f'href="?{older.replace("&", "&amp;")}">Older</a>' in first.content.decode()
    assert not second.context["page"].has_older and second.context["page"].has_newer


@pytest.mark.parametrize("rows", [3, 60])
def test_audit_log_query_count_does_not_grow_with_rows(
    manager_client, staff_user, rows, django_assert_num_queries
):
    _events(rows, actor=staff_user)

    # session, user with its role, alert badge, page (no count)
    with django_assert_num_queries(4):
        response = manager_client.get("/audit/", {"action": "stock"})

    assert response.status_code == 200


def _csv(response):
    assert response.status_code == 200
    assert response.streaming
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_audit_export_streams_the_filtered_events_as_csv(manager_client, staff_user, item):
    audit_record(
        actor=Actor(user=staff_user, ip=IP, user_agent=AGENT),
        action="stock.issue",
        obj=item,
        details={"quantity": "2.000", "lot": "LOT-A"},
    )
    audit_record(actor=staff_user, action="auth.login", obj=staff_user)

    response = manager_client.get("/audit/export.csv", {"action": "stock"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="audit-')
    rows = _csv(response)
    assert rows[0] == [
        "time",
        "user",
        "action",
        "object_type",
        "object_id",
        "object",
        "ip_address",
        "user_agent",
        "details",
    ]
    assert len(rows) == 2
    assert rows[1][1:] == [
        "staff1",
        "stock.issue",
        "Item",
        str(item.pk),
        "SKU-0042 Blue widget",
        IP,
        AGENT,
        '{"lot": "LOT-A", "quantity": "2.000"}',
    ]


def test_audit_export_neutralises_spreadsheet_formulas(manager_client):
    audit_record(actor=None, action="auth.login_failed", details={"username": '=HYPERLINK("x")'})
    audit_record(actor=UserFactory(username="-evil"), action="some.event")

    rows = _csv(manager_client.get("/audit/export.csv"))

    assert rows[1][1] == "'-evil"
    assert rows[2][8] == '{"username": "=HYPERLINK(\\"x\\")"}'


def test_audit_export_with_an_unreadable_filter_exports_nothing(manager_client, staff_user):
    audit_record(actor=staff_user, action="some.event")

    response = manager_client.get("/audit/export.csv", {"date_from": "yesterday"})

    assert response.status_code == 400
    assert response.content.decode() == "Invalid filter: date_from: Enter a valid date."


def test_audit_list_and_export_are_get_only(manager_client):
    assert manager_client.post("/audit/").status_code == 405
    assert manager_client.post("/audit/export.csv").status_code == 405
