"""The "Forgot your password?" flow: Django's reset views, the e-mail sent after commit
through the configured backend, one e-mail per account every 5 minutes, the new password
checked by the validators, audited, and every other session signed out."""

import re
from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from accounts.tests.factories import PASSWORD, UserFactory
from inventory.models import AuditEvent

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-fresh-unusual-passphrase"
LINK = re.compile(r"(https?://\S+)(/password/reset/[\w-]+/[\w-]+/)")
RESET_ACTIONS = ("user.password_reset_request", "user.password_reset")


@pytest.fixture(name="ask")
def ask_fixture(client, django_capture_on_commit_callbacks):
    """Post the "Forgot your password?" form, running what waits for the commit."""

    def ask(email):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/password/forgot/", {"email": email})

    return ask


def _path_in(mail) -> str:
    return LINK.search(mail.body)[2]


def _signs_in(username, password) -> bool:
    response = Client().post("/login/", {"username": username, "password": password})
    return response.status_code == 302


def _set_password(client, path, password, confirmation=None):
    form_page = client.get(path)
    assert form_page.status_code == 302  # Django hides the token from the next page
    return client.post(
        form_page.url, {"new_password1": password, "new_password2": confirmation or password}
    )


def test_the_sign_in_page_offers_the_reset_and_the_reset_page_says_ask_an_admin(client):
    login_page = client.get("/login/").content.decode()
    reset_page = client.get("/password/forgot/").content.decode()

    assert 'href="/password/forgot/">Forgot your password?</a>' in login_page
    assert "Ask an Admin to set a new password" in reset_page


def test_the_full_flow_from_the_request_to_signing_in_with_the_new_password(
    client, staff_user, ask, mailoutbox
):
    response = ask("staff1@example.com")

    assert response.status_code == 302
    assert response.url == "/password/forgot/sent/"
    (mail,) = mailoutbox
    assert mail.to == ["staff1@example.com"]
    assert mail.subject == "[Inventory] Set a new password"
    assert LINK.search(mail.body)[1] == "http://testserver"  # no SITE_URL: the request's
    path = _path_in(mail)

    done = _set_password(client, path, NEW_PASSWORD)

    assert done.status_code == 302
    assert done.url == "/password/reset/done/"
    assert "Your new password is set" in client.get(done.url).content.decode()
    assert _signs_in("staff1", NEW_PASSWORD)
    assert not _signs_in("staff1", PASSWORD)
    # the link a second time: refused, the password stays the new one
    again = Client().get(path, follow=True)
    assert again.context["validlink"] is False
    assert "This link is not valid" in again.content.decode()
    staff_user.refresh_from_db()
    assert staff_user.check_password(NEW_PASSWORD)


@override_settings(SITE_URL="https://stock.example.com")
def test_with_a_site_url_the_link_points_there(staff_user, ask, mailoutbox):
    ask("STAFF1@example.com")  # any letter case, as Django's form matches it

    (mail,) = mailoutbox
    assert LINK.search(mail.body)[1] == "https://stock.example.com"


def test_an_unknown_address_gets_the_same_answer_and_no_e_mail(client, staff_user, ask, mailoutbox):
    known = ask("staff1@example.com")
    unknown = ask("nobody@example.com")

    assert (unknown.status_code, unknown.url) == (known.status_code, known.url)
    assert len(mailoutbox) == 1
    assert AuditEvent.objects.filter(action="user.password_reset_request").count() == 1


def test_inactive_users_and_users_without_a_usable_password_get_no_e_mail(ask, mailoutbox):
    UserFactory(username="leaver", is_active=False)
    nopass = UserFactory(username="nopass")
    nopass.set_unusable_password()
    nopass.save()

    assert ask("leaver@example.com").url == "/password/forgot/sent/"
    assert ask("nopass@example.com").url == "/password/forgot/sent/"
    assert mailoutbox == []
    assert not AuditEvent.objects.filter(action__in=RESET_ACTIONS).exists()


def test_a_weak_password_is_refused_next_to_the_field_and_nothing_changes(
    client, staff_user, ask, mailoutbox
):
    ask("staff1@example.com")

    response = _set_password(client, _path_in(mailoutbox[0]), "12345678")

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "This password is entirely numeric." in errors["new_password1"]
    assert "new_password2" not in errors
    assert "This password is entirely numeric." in response.content.decode()
    staff_user.refresh_from_db()
    assert staff_user.check_password(PASSWORD)
    assert not AuditEvent.objects.filter(action="user.password_reset").exists()


def test_setting_the_password_signs_out_the_other_sessions_and_is_audited(
    client, staff_user, staff_client, ask, mailoutbox
):
    assert staff_client.get("/").status_code == 200
    ask("staff1@example.com")

    _set_password(client, _path_in(mailoutbox[0]), NEW_PASSWORD)

    response = staff_client.get("/")
    assert response.status_code == 302
    assert response.url.startswith("/login/")
    asked, reset = AuditEvent.objects.filter(action__in=RESET_ACTIONS).order_by("pk")
    assert (asked.action, asked.actor_id, asked.object_id) == (
        "user.password_reset_request",
        None,
        str(staff_user.pk),
    )
    assert (reset.action, reset.actor_id, reset.object_id) == (
        "user.password_reset",
        staff_user.pk,
        str(staff_user.pk),
    )
    assert reset.details == {}  # never the password or its hash
    assert reset.action_label == "Password reset by e-mail link"


def test_a_second_request_within_5_minutes_sends_no_second_e_mail(
    staff_user, ask, mailoutbox, monkeypatch
):
    ask("staff1@example.com")
    ask("staff1@example.com")
    ask("Staff1@Example.com")

    assert len(mailoutbox) == 1
    assert AuditEvent.objects.filter(action="user.password_reset_request").count() == 1

    # when the 5 minutes are over, one more
    later = timezone.now() + timedelta(minutes=5, seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    ask("staff1@example.com")
    ask("staff1@example.com")

    assert len(mailoutbox) == 2
    assert AuditEvent.objects.filter(action="user.password_reset_request").count() == 2


def test_a_user_deactivated_before_the_e_mail_goes_gets_none(
    staff_user, client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        client.post("/password/forgot/", {"email": "staff1@example.com"})
    staff_user.is_active = False
    staff_user.save(update_fields=["is_active"])

    for callback in callbacks:
        callback()

    assert mailoutbox == []
