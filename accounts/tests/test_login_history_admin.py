"""Found by a QA pass: an Admin could delete django-axes' login history in the Django admin.
The login and failed-login logs are read-only there, superusers included; an access
attempt may still be deleted, which is how a locked-out login is unlocked early."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from accounts.tests.factories import PASSWORD

from .test_lockout import _login

pytestmark = pytest.mark.django_db

LOGS = [AccessLog, AccessFailureLog]


def _url(model, view, *args):
    return reverse(f"admin:axes_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def row(request):
    return request.param.objects.create(
        username="staff1",
        ip_address="198.51.100.20",
        user_agent="history-test",
        http_accept="text/html",
        path_info="/login/",
    )


@pytest.mark.parametrize("row", LOGS, indirect=True, ids=lambda m: m.__name__)
def test_login_history_is_shown_but_never_deleted_or_changed(admin_client, row):
    model = type(row)
    before = list(model.objects.order_by("pk").values_list("pk", "username"))

    # when an Admin (a superuser) opens the history and tries to delete, change or add
    listing = admin_client.get(_url(model, "changelist"))
    shown = admin_client.get(_url(model, "change", row.pk))
    delete = admin_client.post(_url(model, "delete", row.pk), {"post": "yes"})
    bulk = admin_client.post(
        _url(model, "changelist"),
        {"action": "delete_selected", ACTION_CHECKBOX_NAME: [row.pk], "post": "yes"},
    )
    change = admin_client.post(_url(model, "change", row.pk), {"username": "someone-else"})
    add = admin_client.post(_url(model, "add"), {"username": "forged", "path_info": "/x/"})

    # then it is listed and shown, and nothing is deleted, changed or added
    assert (listing.status_code, shown.status_code) == (200, 200)
    assert "history-test" in listing.content.decode()
    assert "delete_selected" not in listing.content.decode()
    assert 'name="_save"' not in shown.content.decode()
    assert (delete.status_code, change.status_code, add.status_code) == (403, 403, 403)
    assert bulk.status_code == 200  # the changelist again: no such action
    assert list(model.objects.order_by("pk").values_list("pk", "username")) == before
    assert (row.pk, "staff1") in before


def test_an_admin_still_unlocks_a_locked_out_login(client, admin_client, staff_user):
    # given staff1 locked out after five failed logins
    for _ in range(5):
        _login(client, "staff1", "wrong-password")
    assert _login(client, "staff1", PASSWORD).status_code == 429
    attempt = AccessAttempt.objects.get(username="staff1")

    # when an Admin deletes the access attempt in the admin
    response = admin_client.post(_url(AccessAttempt, "delete", attempt.pk), {"post": "yes"})

    # then it is gone and staff1 signs in
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert _login(client, "staff1", PASSWORD).status_code == 302
