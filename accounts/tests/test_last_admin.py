"""Someone must always be able to manage users: the last active Admin keeps the role."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.test import Client

from accounts.roles import Role, user_role
from accounts.services import user_set_role
from accounts.tests.factories import UserFactory
from inventory.exceptions import InventoryError
from inventory.models import AuditEvent

pytestmark = pytest.mark.django_db
User = get_user_model()


def _fresh(user):
    return User.objects.get(pk=user.pk)


def test_the_last_admin_cannot_remove_their_own_admin_role(admin_role_client, admin_role_user):
    # given admin1 is the only active Admin
    events = AuditEvent.objects.count()

    # when they give themselves the Staff role on the users page
    response = admin_role_client.post(
        f"/users/{admin_role_user.pk}/role/", {"role": str(int(Role.STAFF))}, follow=True
    )

    # then it is refused with a message, and nothing changed
    assert "admin1 is the last active Admin" in response.content.decode()
    assert user_role(_fresh(admin_role_user)) is Role.ADMIN
    assert AuditEvent.objects.count() == events


def test_an_admin_can_step_down_when_another_active_admin_remains(admin_role_user):
    UserFactory(role="Admin", username="admin2")

    user_set_role(actor=admin_role_user, user=admin_role_user, role=Role.MANAGER)

    assert user_role(_fresh(admin_role_user)) is Role.MANAGER


def test_a_deactivated_admin_does_not_count_as_the_other_admin(admin_role_user):
    UserFactory(role="Admin", username="admin2", is_active=False)

    with pytest.raises(InventoryError, match="last active Admin"):
        user_set_role(actor=admin_role_user, user=admin_role_user, role=Role.NONE)

    assert user_role(_fresh(admin_role_user)) is Role.ADMIN


def test_a_superuser_counts_as_the_other_admin(admin_role_user):
    UserFactory(username="root", is_superuser=True)

    user_set_role(actor=admin_role_user, user=admin_role_user, role=Role.STAFF)

    assert user_role(_fresh(admin_role_user)) is Role.STAFF


def test_the_admin_remove_role_action_refuses_the_last_admin(admin_role_client, admin_role_user):
    response = admin_role_client.post(
        "/admin/auth/user/",
        {"action": "remove_role", "index": "0", "_selected_action": [str(admin_role_user.pk)]},
        follow=True,
    )

    # (the admin capitalises its messages)
    assert "Admin1 is the last active Admin" in response.content.decode()
    assert user_role(_fresh(admin_role_user)) is Role.ADMIN


def test_the_admin_role_action_changes_the_others_and_says_so(admin_role_client, admin_role_user):
    # Found by a QA pass: the last Admin's refusal stopped the action, so a user before it
    # was changed with only the refusal shown, and a user after it silently was not.
    before = UserFactory(role="Staff", username="aaron")
    after = UserFactory(role="Staff", username="zoe")
    selected = [str(user.pk) for user in (before, admin_role_user, after)]

    response = admin_role_client.post(
        "/admin/auth/user/",
        {"action": "make_manager", "index": "0", "_selected_action": selected},
        follow=True,
    )

    html = response.content.decode()
    assert "Admin1 is the last active Admin" in html
    assert "2 users: Manager." in html
    assert user_role(_fresh(before)) is Role.MANAGER
    assert user_role(_fresh(after)) is Role.MANAGER
    assert user_role(_fresh(admin_role_user)) is Role.ADMIN


def _change_form(user, **changes):
    data = {
        "username": user.username,
        "first_name": "",
        "last_name": "",
        "email": user.email,
        "is_active": "on",
        "is_staff": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_last_admin_cannot_be_deactivated_in_the_django_admin(
    admin_role_client, admin_role_user
):
    # when the only Admin unticks "active" on their own account
    response = admin_role_client.post(
        f"/admin/auth/user/{admin_role_user.pk}/change/",
        _change_form(admin_role_user, is_active=None),
    )

    # then the form is shown again with the reason, and the account is still active
    assert response.status_code == 200
    assert "admin1 is the last active Admin" in response.content.decode()
    assert _fresh(admin_role_user).is_active is True


def test_an_admin_can_be_deactivated_when_another_remains(admin_role_client, admin_role_user):
    other = UserFactory(role="Admin", username="admin2")

    response = admin_role_client.post(
        f"/admin/auth/user/{other.pk}/change/", _change_form(other, is_active=None)
    )

    assert response.status_code == 302
    assert _fresh(other).is_active is False


def test_a_username_longer_than_any_account_is_refused_before_the_lockout_records_it(db):
    # Found: 300 characters overflowed django-axes' 255-character column (a 500 on
    # PostgreSQL, for anyone, logged in or not).
    client = Client()

    response = client.post("/login/", {"username": "u" * 300, "password": "whatever"})

    assert response.status_code == 200
    assert "Please enter a correct username and password." in response.content.decode()
    assert AccessAttempt.objects.count() == 0


def test_the_admin_login_refuses_an_overlong_username_too(db):
    response = Client().post(
        "/admin/login/?next=/admin/", {"username": "u" * 300, "password": "whatever"}
    )

    assert response.status_code == 200
    assert AccessAttempt.objects.count() == 0
