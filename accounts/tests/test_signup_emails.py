"""Sign-ups reach the Admins, approvals reach the person: e-mails sent after commit, and a
badge on the Users link while someone waits."""

import pytest
from django.test import override_settings

from accounts.roles import Role
from accounts.services import user_set_role
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SIGN_UP = {
    "username": "newbie",
    "email": "newbie@example.com",
    "password1": "a-long-unusual-passphrase",
    "password2": "a-long-unusual-passphrase",
}


def test_a_sign_up_is_e_mailed_to_every_active_admin_after_commit(
    client, admin_role_user, manager_user, mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory(role="Admin", username="admin2")
    UserFactory(role="Admin", username="gone", is_active=False)
    UserFactory(role="Admin", username="noaddress", email="")
    UserFactory(username="root", is_superuser=True, email="root@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/register/", SIGN_UP)

    assert response.status_code == 302
    (mail,) = mailoutbox
    assert sorted(mail.to) == ["admin1@example.com", "admin2@example.com", "root@example.com"]
    assert mail.subject == "[Inventory] New sign-up: newbie"
    assert "newbie (newbie@example.com) signed up and is waiting for a role" in mail.body
    assert "the Users page" in mail.body


@override_settings(SITE_URL="https://stock.example.com")
def test_with_a_site_url_the_e_mails_link_to_the_page(
    client, admin_role_user, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/register/", SIGN_UP)
    newbie = UserFactory._meta.model.objects.get(username="newbie")
    with django_capture_on_commit_callbacks(execute=True):
        user_set_role(actor=admin_role_user, user=newbie, role=Role.STAFF)

    signup, approval = mailoutbox
    assert "https://stock.example.com/users/?pending=1" in signup.body
    assert approval.to == ["newbie@example.com"]
    assert "approved with the Staff role" in approval.body
    assert "https://stock.example.com/login/" in approval.body


def test_only_a_first_role_is_announced_to_the_person(
    admin_role_user, staff_user, roleless_user, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user_set_role(actor=admin_role_user, user=staff_user, role=Role.MANAGER)
        user_set_role(actor=admin_role_user, user=roleless_user, role=Role.STAFF)

    (mail,) = mailoutbox
    assert mail.to == [roleless_user.email]
    assert mail.subject == "[Inventory] Your account was approved"


def test_no_e_mail_when_no_admin_has_an_address(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory(role="Admin", username="noaddress", email="")

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/register/", SIGN_UP)

    assert mailoutbox == []


def test_the_users_link_shows_how_many_wait_to_admins_only(
    admin_role_client, manager_client, roleless_user
):
    UserFactory(username="waiting2")
    UserFactory(username="left", is_active=False)  # deactivated: not waiting

    admin_page = admin_role_client.get("/items/").content.decode()
    manager_page = manager_client.get("/items/").content.decode()

    assert 'href="/users/?pending=1"' in admin_page
    assert 'data-testid="pending-badge"' in admin_page
    assert '>2<span class="visually-hidden"> awaiting approval' in admin_page
    assert "pending-badge" not in manager_page


def test_no_badge_when_nobody_waits(admin_role_client, staff_user):
    page = admin_role_client.get("/items/").content.decode()

    assert "pending-badge" not in page
    assert 'href="/users/"' in page
