"""Every change to a user, in the Django admin or by the user themselves, is audited:
created, edited, (de)activated, password set by an Admin or changed by its owner."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from accounts.services import user_update
from accounts.tests.factories import PASSWORD, UserFactory
from inventory.exceptions import InventoryError
from inventory.models import AuditEvent
from inventory.tests.audit_helpers import AGENT, IP

pytestmark = pytest.mark.django_db
User = get_user_model()
NEW_PASSWORD = "a-fresh-long-passphrase-42"


def _change_form(user, **changes):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on" if user.is_active else None,
        "is_staff": "on" if user.is_staff else None,
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _no_password_in(event, user):
    text = str(event.details)
    assert "password" not in event.details
    assert user.password not in text
    assert NEW_PASSWORD not in text and PASSWORD not in text


def test_adding_a_user_in_the_admin_is_audited(admin_role_client, admin_role_user):
    response = admin_role_client.post(
        "/admin/auth/user/add/",
        {
            "username": "newcomer",
            "usable_password": "true",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
        REMOTE_ADDR=IP,
        HTTP_USER_AGENT=AGENT,
    )

    assert response.status_code == 302
    user = User.objects.get(username="newcomer")
    assert user.check_password(NEW_PASSWORD)
    event = AuditEvent.objects.get(action="user.create")
    assert (event.actor, event.object_type, event.object_id) == (
        admin_role_user,
        "User",
        str(user.pk),
    )
    assert (event.ip_address, event.user_agent) == (IP, AGENT)
    assert event.details["username"] == [None, "newcomer"]
    assert event.details["is_superuser"] == [None, False]
    assert event.details["usable_password"] == [None, True]
    _no_password_in(event, user)


def test_editing_a_user_in_the_admin_records_what_changed(admin_role_client, admin_role_user):
    user = UserFactory(role="Staff", username="clerk", email="clerk@example.com")

    response = admin_role_client.post(
        f"/admin/auth/user/{user.pk}/change/",
        _change_form(user, first_name="Clara", email="clara@example.com", is_staff="on"),
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.first_name, user.email, user.is_staff) == ("Clara", "clara@example.com", True)
    event = AuditEvent.objects.get(action="user.update")
    assert event.actor == admin_role_user
    assert (event.object_type, event.object_id) == ("User", str(user.pk))
    assert event.details == {
        "first_name": ["", "Clara"],
        "email": ["clerk@example.com", "clara@example.com"],
        "is_staff": [False, True],
    }
    assert user.password not in str(event.details)
    assert not AuditEvent.objects.filter(action__in=["user.activate", "user.deactivate"]).exists()


def test_saving_a_user_unchanged_records_nothing(admin_role_client):
    user = UserFactory(role="Staff", username="clerk")

    response = admin_role_client.post(f"/admin/auth/user/{user.pk}/change/", _change_form(user))

    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action__startswith="user.").exists()


def test_deactivating_and_reactivating_a_user_in_the_admin_is_audited(
    admin_role_client, admin_role_user
):
    user = UserFactory(role="Staff", username="clerk")

    off = admin_role_client.post(
        f"/admin/auth/user/{user.pk}/change/", _change_form(user, is_active=None)
    )
    user.refresh_from_db()
    on = admin_role_client.post(
        f"/admin/auth/user/{user.pk}/change/", _change_form(user, is_active="on")
    )

    assert (off.status_code, on.status_code) == (302, 302)
    user.refresh_from_db()
    assert user.is_active is True
    events = AuditEvent.objects.filter(action__startswith="user.").order_by("pk")
    assert [(e.action, e.actor, e.object_id, e.details) for e in events] == [
        ("user.deactivate", admin_role_user, str(user.pk), {"is_active": [True, False]}),
        ("user.activate", admin_role_user, str(user.pk), {"is_active": [False, True]}),
    ]


def test_setting_a_password_in_the_admin_is_audited_without_the_password(
    admin_role_client, admin_role_user
):
    user = UserFactory(role="Staff", username="clerk")

    response = admin_role_client.post(
        f"/admin/auth/user/{user.pk}/password/",
        {"usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        REMOTE_ADDR=IP,
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    event = AuditEvent.objects.get(action="user.password_set")
    assert (event.actor, event.object_type, event.object_id, event.ip_address) == (
        admin_role_user,
        "User",
        str(user.pk),
        IP,
    )
    assert event.details == {"usable_password": True}
    _no_password_in(event, user)


def test_disabling_password_sign_in_in_the_admin_is_audited(admin_role_client, admin_role_user):
    user = UserFactory(role="Staff", username="clerk")

    response = admin_role_client.post(
        f"/admin/auth/user/{user.pk}/password/",
        {"usable_password": "false", "unset-password": "1"},
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.has_usable_password()
    event = AuditEvent.objects.get(action="user.password_set")
    assert (event.actor, event.details) == (admin_role_user, {"usable_password": False})


def test_an_admin_setting_their_own_password_stays_signed_in(admin_role_client, admin_role_user):
    response = admin_role_client.post(
        f"/admin/auth/user/{admin_role_user.pk}/password/",
        {"usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert admin_role_client.get("/admin/").status_code == 200
    assert AuditEvent.objects.filter(action="user.password_set").count() == 1


def test_changing_ones_own_password_is_audited(staff_client, staff_user):
    response = staff_client.post(
        "/password/",
        {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
        REMOTE_ADDR=IP,
        HTTP_USER_AGENT=AGENT,
    )

    assert response.status_code == 302
    staff_user.refresh_from_db()
    assert staff_user.check_password(NEW_PASSWORD)
    event = AuditEvent.objects.get(action="user.password_change")
    assert (event.actor, event.object_type, event.object_id) == (
        staff_user,
        "User",
        str(staff_user.pk),
    )
    assert (event.ip_address, event.user_agent, event.details) == (IP, AGENT, {})
    # still signed in with the new password's session hash
    assert staff_client.get("/password/").status_code == 200


def test_a_refused_password_change_records_nothing(staff_client, staff_user):
    response = staff_client.post(
        "/password/",
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert not AuditEvent.objects.filter(action="user.password_change").exists()


def test_logout_is_recorded_against_the_user_not_a_lazy_object(staff_user):
    client = Client()
    client.force_login(staff_user)

    client.post("/logout/")

    event = AuditEvent.objects.get(action="auth.logout")
    assert (event.object_type, event.object_id, event.object_repr) == (
        "User",
        str(staff_user.pk),
        "staff1",
    )


def test_only_an_admin_may_change_a_user(manager_user, staff_user):
    with pytest.raises(InventoryError, match="Only an Admin"):
        user_update(actor=manager_user, user=staff_user, data={"is_active": False})

    staff_user.refresh_from_db()
    assert staff_user.is_active is True
    assert not AuditEvent.objects.filter(action__startswith="user.").exists()


def test_the_service_refuses_deactivating_the_last_admin(admin_role_user):
    with pytest.raises(InventoryError, match="last active Admin"):
        user_update(actor=admin_role_user, user=admin_role_user, data={"is_active": False})

    admin_role_user.refresh_from_db()
    assert admin_role_user.is_active is True


def test_only_a_superuser_may_grant_superuser(admin_role_user, staff_user):
    with pytest.raises(InventoryError, match="superuser"):
        user_update(actor=admin_role_user, user=staff_user, data={"is_superuser": True})

    staff_user.refresh_from_db()
    assert staff_user.is_superuser is False


def test_a_refusal_the_form_did_not_foresee_is_a_message_not_a_500(admin_role_client, monkeypatch):
    # found by a code review: save_model calls the services, whose refusals were 500s
    user = UserFactory(role="Staff", username="clerk2", email="c2@example.com")

    def refuse(**kwargs):
        raise InventoryError("Refused by the service.")

    monkeypatch.setattr("accounts.admin.user_update", refuse)
    url = f"/admin/auth/user/{user.pk}/change/"

    response = admin_role_client.post(url, _change_form(user, first_name="Zed"), follow=True)

    assert response.status_code == 200
    assert "Refused by the service." in response.content.decode()
    user.refresh_from_db()
    assert user.first_name != "Zed"
    assert not AuditEvent.objects.filter(action="user.update").exists()


def test_the_admins_change_password_link_opens_the_audited_password_page(admin_role_user):
    client = Client()
    client.post("/login/", {"username": admin_role_user.username, "password": PASSWORD})

    shown = client.get("/admin/password_change/")
    posted = client.post(
        "/admin/password_change/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    # Django's own page saved the password with no audit event; now both go to /password/
    assert (shown.status_code, shown["Location"]) == (302, "/password/")
    assert (posted.status_code, posted["Location"]) == (302, "/password/")
    admin_role_user.refresh_from_db()
    assert admin_role_user.check_password(PASSWORD)
    changed = client.post(
        "/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert changed.status_code == 302
    admin_role_user.refresh_from_db()
    assert admin_role_user.check_password(NEW_PASSWORD)
    event = AuditEvent.objects.get(action="user.password_change")
    assert (event.actor, event.object_id) == (admin_role_user, str(admin_role_user.pk))
