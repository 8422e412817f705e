"""The audit trail: sign-in, failed sign-in, sign-out and role changes, with their context."""

import pytest

from accounts.tests.factories import PASSWORD, UserFactory
from inventory.models import AuditEvent
from inventory.tests.audit_helpers import AGENT, IP

pytestmark = pytest.mark.django_db


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
