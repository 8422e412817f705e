"""django-axes: five failed logins lock that username from that address for 15 minutes."""

import pytest
from axes.models import AccessAttempt

from accounts.tests.factories import PASSWORD
from inventory.models import AuditEvent

pytestmark = pytest.mark.django_db

IP = "198.51.100.20"
LOCKED_TEXT = "This account is locked for 15 minutes from this address after 5 failed logins."


def _login(client, username, password, ip=IP):
    return client.post(
        "/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
        HTTP_USER_AGENT="lockout-test",
    )


def test_five_failures_lock_the_username_from_that_address_even_with_the_right_password(
    client, staff_user
):
    # given five failed logins for staff1 from one address
    for _ in range(4):
        response = _login(client, "staff1", "wrong-password")
        assert response.status_code == 200
        assert "Please enter a correct username and password." in response.content.decode()
    fifth = _login(client, "staff1", "wrong-password")

    # then the fifth already answers with the lockout page
    assert fifth.status_code == 429
    assert LOCKED_TEXT in fifth.content.decode()

    # when the sixth attempt has the right password
    sixth = _login(client, "staff1", PASSWORD)

    # then it is refused with the lockout message and nobody is signed in
    assert sixth.status_code == 429
    assert LOCKED_TEXT in sixth.content.decode()
    assert "_auth_user_id" not in client.session
    assert not AuditEvent.objects.filter(action="auth.login").exists()
    # the refused sixth attempt counts too
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address, attempt.failures_since_start) == (
        "staff1",
        IP,
        6,
    )


def test_four_failures_do_not_lock_and_a_success_resets_the_count(client, staff_user):
    for _ in range(4):
        _login(client, "staff1", "wrong-password")

    response = _login(client, "staff1", PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(staff_user.pk)
    assert AccessAttempt.objects.count() == 0


def test_lockout_is_per_username_and_address(client, staff_user, manager_user):
    for _ in range(5):
        _login(client, "staff1", "wrong-password")

    # another user from the same address, and the same user from another address, get in
    other_user = _login(client, "manager1", PASSWORD)
    assert other_user.status_code == 302
    client.post("/logout/")
    other_address = _login(client, "staff1", PASSWORD, ip="198.51.100.99")
    assert other_address.status_code == 302


def test_lockout_lifts_after_the_cool_off(client, staff_user):
    from datetime import timedelta

    from django.utils import timezone

    for _ in range(5):
        _login(client, "staff1", "wrong-password")
    # 15 minutes and a second later
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=15, seconds=1))

    response = _login(client, "staff1", PASSWORD)

    assert response.status_code == 302


def test_behind_a_proxy_the_lockout_is_per_client_address(client, settings, staff_user):
    # given BEHIND_PROXY=1 and AXES_PROXY_COUNT=1: every request comes from the proxy
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.AXES_IPWARE_PROXY_COUNT = 1

    def login(password, client_address):
        return client.post(
            "/login/",
            {"username": "staff1", "password": password},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=client_address,
        )

    # when one client fails six times
    failures = [login("wrong-password", "203.0.113.7") for _ in range(6)]

    # then that client is locked out, and the lockout is recorded against its address
    assert failures[-1].status_code == 429
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.7"]
    # another client behind the same proxy signs in; the first stays locked out
    other = login(PASSWORD, "198.51.100.8")
    assert other.status_code == 302
    client.post("/logout/")
    assert login(PASSWORD, "203.0.113.7").status_code == 429
