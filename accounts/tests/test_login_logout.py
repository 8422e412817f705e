import pytest

from accounts.tests.factories import PASSWORD
from inventory.models import AuditEvent

GENERIC = "Please enter a correct username and password."


@pytest.mark.django_db
def test_login_with_right_password_signs_in_and_is_audited(client, staff_user):
    response = client.post(
        "/login/",
        {"username": staff_user.username, "password": PASSWORD},
        REMOTE_ADDR="10.1.2.3",
        HTTP_USER_AGENT="pytest-browser",
    )

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(staff_user.pk)
    event = AuditEvent.objects.get(action="auth.login")
    assert (event.actor, event.ip_address, event.user_agent) == (
        staff_user,
        "10.1.2.3",
        "pytest-browser",
    )


@pytest.mark.django_db
def test_wrong_password_and_unknown_user_get_the_same_generic_message(client, staff_user):
    wrong = client.post("/login/", {"username": staff_user.username, "password": "nope-nope"})
    unknown = client.post("/login/", {"username": "ghost", "password": "nope-nope"})

    for response in (wrong, unknown):
        assert response.status_code == 200
        assert response.context["form"].non_field_errors() == [GENERIC]
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="auth.login_failed").count() == 2


@pytest.mark.django_db
def test_get_on_logout_does_not_log_out(staff_client, staff_user):
    response = staff_client.get("/logout/")

    assert response.status_code == 405
    assert staff_client.session["_auth_user_id"] == str(staff_user.pk)


@pytest.mark.django_db
def test_post_on_logout_logs_out(staff_client):
    response = staff_client.post("/logout/")

    assert response.status_code == 302
    assert "_auth_user_id" not in staff_client.session
    assert AuditEvent.objects.filter(action="auth.logout").count() == 1


@pytest.mark.django_db
def test_anonymous_user_is_sent_to_login(client):
    response = client.get("/items/")

    assert response.status_code == 302
    assert response.url.startswith("/login/?next=/items/")


@pytest.mark.django_db
def test_password_change_works_for_role_less_user(client, roleless_user):
    client.force_login(roleless_user)

    response = client.post(
        "/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "another-long-passphrase",
            "new_password2": "another-long-passphrase",
        },
    )

    assert response.status_code == 302
    roleless_user.refresh_from_db()
    assert roleless_user.check_password("another-long-passphrase")
