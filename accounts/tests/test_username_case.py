"""Sign-in takes the username in any letter case: the form, the Django admin, the API after it,
the lockout and the audit trail all name the one real account; the password stays exact."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model

from accounts.services import user_update
from accounts.tests.factories import PASSWORD, UserFactory
from accounts.tests.test_user_admin_audit import _change_form
from api.models import ApiToken
from api.tests.conftest import ApiClient
from inventory.exceptions import InventoryError
from inventory.models import AuditEvent

pytestmark = pytest.mark.django_db

IP = "198.51.100.30"
GENERIC = "Please enter a correct username and password."
LOCKED_TEXT = "This account is locked for 15 minutes from this address after 5 failed logins."


def _login(client, username, password, path="/login/"):
    return client.post(
        path,
        {"username": username, "password": password},
        REMOTE_ADDR=IP,
        HTTP_USER_AGENT="case-test",
    )


@pytest.fixture
def anna():
    return UserFactory(role="Staff", username="anna")


def test_the_sign_in_form_takes_the_username_in_another_case(client, anna):
    response = _login(client, "ANNA", PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(anna.pk)
    event = AuditEvent.objects.get(action="auth.login")
    assert (event.actor, event.actor_username, event.object_id) == (anna, "anna", str(anna.pk))
    assert not AuditEvent.objects.filter(action="auth.login_failed").exists()


def test_the_password_stays_case_sensitive(client, anna):
    response = _login(client, "anna", PASSWORD.upper())

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [GENERIC]
    assert "_auth_user_id" not in client.session


def test_signed_in_as_another_case_the_api_and_its_tokens_are_the_real_users(client, anna):
    assert _login(client, "ANNA", PASSWORD).status_code == 302

    # the session reaches the API as anna
    assert client.get("/api/v1/items/").status_code == 200
    # and a token made on the tokens page is anna's and works
    page = client.post("/account/api-tokens/", {"name": "Till", "expires_on": "2099-12-31"})
    html = page.content.decode()
    raw = html.split('readonly value="')[1].split('"')[0]
    assert ApiToken.objects.get().user == anna
    assert ApiClient(raw).get("/api/v1/items/").status_code == 200


def test_the_django_admin_login_takes_the_username_in_another_case(client):
    admin = UserFactory(role="Admin", username="Boss")

    response = _login(client, "boss", PASSWORD, path="/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.session["_auth_user_id"] == str(admin.pk)
    assert client.get("/admin/").status_code == 200


def test_failures_in_any_case_count_against_one_lockout(client, anna):
    for username in ("ANNA", "anna", "Anna", "aNNa"):
        response = _login(client, username, "wrong-password")
        assert response.status_code == 200

    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address, attempt.failures_since_start) == (
        "anna",
        IP,
        4,
    )
    # the fifth failure, in yet another case, locks the account from this address
    assert _login(client, "ANNA", "wrong-password").status_code == 429
    # and the right password in any case is then refused too
    for username in ("anna", "ANNA"):
        locked = _login(client, username, PASSWORD)
        assert locked.status_code == 429
        assert LOCKED_TEXT in locked.content.decode()
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.get().failures_since_start == 7
    assert not AuditEvent.objects.filter(action="auth.login").exists()


def test_a_success_in_another_case_resets_the_failures(client, anna):
    for _ in range(4):
        _login(client, "anna", "wrong-password")

    assert _login(client, "ANNA", PASSWORD).status_code == 302

    assert AccessAttempt.objects.count() == 0


def test_a_failed_sign_in_names_the_real_account_or_the_name_typed(client, anna):
    _login(client, "ANNA", "wrong-password")
    _login(client, "Nobody", "wrong-password")

    events = AuditEvent.objects.filter(action="auth.login_failed").order_by("pk")
    assert [e.details for e in events] == [{"username": "anna"}, {"username": "Nobody"}]
    # the audit log's user filter finds it under her name
    client.force_login(UserFactory(role="Manager", username="manager1"))
    page = client.get("/audit/", {"user": "anna"})
    assert list(page.context["events"]) == [events[0]]


@pytest.fixture
def case_twins():
    """Two accounts whose names differ only in case, as an old database may hold:
    made past the form's check, with the same password (the worst case)."""
    users = get_user_model().objects
    lower = users.create_user(username="bob", password=PASSWORD)
    title = users.create_user(username="Bob", password=PASSWORD)
    return lower, title


@pytest.mark.parametrize("typed, expected", [("bob", 0), ("Bob", 1)])
def test_with_case_twins_the_exact_spelling_signs_in_to_that_account(
    client, case_twins, typed, expected
):
    response = _login(client, typed, PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(case_twins[expected].pk)
    assert AuditEvent.objects.get(action="auth.login").actor == case_twins[expected]


def test_with_case_twins_another_spelling_signs_in_to_neither(client, case_twins):
    lower, title = case_twins
    title.set_password("only-the-title-one")
    title.save()

    # neither the shared-looking password nor the one only "Bob" has gets "BOB" in
    for password in (PASSWORD, "only-the-title-one"):
        response = _login(client, "BOB", password)
        assert response.status_code == 200
        assert response.context["form"].non_field_errors() == [GENERIC]
    # "bob" with Bob's password is bob's wrong password, never Bob's account
    assert _login(client, "bob", "only-the-title-one").status_code == 200
    assert "_auth_user_id" not in client.session
    assert not AuditEvent.objects.filter(action="auth.login").exists()
    failed = AuditEvent.objects.filter(action="auth.login_failed").order_by("pk")
    assert [e.details["username"] for e in failed] == ["BOB", "BOB", "bob"]


def test_the_admin_cannot_rename_a_user_to_another_accounts_name_in_another_case(
    admin_role_client, admin_role_user, anna
):
    bob = UserFactory(role="Staff", username="bob")

    response = admin_role_client.post(
        f"/admin/auth/user/{bob.pk}/change/", _change_form(bob, username="Anna")
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["username"] == [
        "A user with that username already exists."
    ]
    bob.refresh_from_db()
    assert bob.username == "bob"
    assert not AuditEvent.objects.filter(action="user.update").exists()
    # the service refuses it too, whoever calls it
    with pytest.raises(InventoryError) as refused:
        user_update(actor=admin_role_user, user=bob, data={"username": "ANNA"})
    assert (refused.value.field, refused.value.message) == (
        "username",
        "A user with that username already exists.",
    )
    assert get_user_model().objects.get(pk=bob.pk).username == "bob"


def test_the_admin_may_change_the_case_of_a_users_own_name(admin_role_client, anna):
    response = admin_role_client.post(
        f"/admin/auth/user/{anna.pk}/change/", _change_form(anna, username="Anna")
    )

    assert response.status_code == 302
    anna.refresh_from_db()
    assert anna.username == "Anna"
    assert AuditEvent.objects.get(action="user.update").details == {"username": ["anna", "Anna"]}
