"""The /audit/ screen: who may read it, its filters, pages and query count, and the CSV export."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from inventory.services.actor import Actor
from inventory.services.audit import audit_record
from inventory.tests.audit_helpers import AGENT, IP

pytestmark = pytest.mark.django_db


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
    assert '<span class="text-body-secondary">quantity</span> 2</div>' in html


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
    assert "Enter a valid date as YYYY-MM-DD, e.g. 2026-12-31." in response.content.decode()


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
    assert list(response.context["events"]) == []
    assert (
        "Nothing is shown until the filters are corrected: From: Enter a valid date as "
        "YYYY-MM-DD, e.g. 2026-12-31." in (response.content.decode())
    )


def test_audit_list_and_export_are_get_only(manager_client):
    assert manager_client.post("/audit/").status_code == 405
    assert manager_client.post("/audit/export.csv").status_code == 405


def test_the_details_read_as_words_not_as_a_stored_dict(manager_client, manager_user, item):
    from inventory.services import catalog

    catalog.item_update(actor=manager_user, item=item, data={"name": "Renamed widget"})
    audit_record(
        actor=manager_user,
        action="stock.adjust",
        details={"reason": "WRITE_OFF", "entries": [{"lot": "L1", "on_hand_delta": "-3.500"}]},
    )

    html = manager_client.get("/audit/").content.decode()

    details = html.split('data-label="Details"')
    assert "{&#x27;" not in html and "{'" not in html
    assert any("name</span> Blue widget → Renamed widget" in d for d in details)
    assert any("entries</span> lot L1, on hand Δ -3.5" in d for d in details)
