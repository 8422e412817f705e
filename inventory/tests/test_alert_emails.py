"""Low-stock alert emails: to every active manager, on commit, or queued for the worker."""

import socket
import time

import pytest
from django.core.mail import get_connection
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from accounts.tests.factories import UserFactory
from inventory.models import Alert
from inventory.tests.alerts_helpers import (
    _receive,
    _sell,
)

pytestmark = pytest.mark.django_db


def _run_worker(monkeypatch):
    """Run `manage.py db_worker --batch` inside the test transaction.

    The worker closes stale connections between tasks, which would close the test's.
    """
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    call_command("db_worker", batch=True, no_startup_delay=True, reload=False, verbosity=0)


def test_alert_email_goes_to_every_active_manager_after_commit(
    staff_user, manager_user, admin_role_user, low_item, store, mailoutbox,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    # given a second active manager, an inactive one and a manager without an address
    UserFactory(role="Manager", username="manager2", email="m2@example.com")
    UserFactory(role="Manager", username="gone", email="gone@example.com", is_active=False)
    UserFactory(role="Manager", username="noaddress", email="")
    with django_capture_on_commit_callbacks(execute=True):
        _receive(staff_user, low_item, store, "10")

    # when a sale takes the item below its reorder level
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _sell(staff_user, low_item, store, "8")
        # then nothing is sent before the transaction commits
        assert mailoutbox == []

    # then one email goes to the active managers only, once
    assert len(callbacks) == 1
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert sorted(mail.to) == ["m2@example.com", "manager1@example.com"]
    assert mail.subject == "[Inventory] Low stock: SKU-LOW1 at Main Store"
    assert "Available: 2 kg" in mail.body
    assert "Reorder level: 5 kg" in mail.body

    # when two more sales follow, no further email is sent
    with django_capture_on_commit_callbacks(execute=True):
        _sell(staff_user, low_item, store, "1")
        _sell(staff_user, low_item, store, "1")
    assert len(mailoutbox) == 1


def test_no_email_when_the_posting_rolls_back(
    staff_user, manager_user, low_item, store, mailoutbox, django_capture_on_commit_callbacks
):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True):
        _receive(staff_user, low_item, store, "10")

    class Boom(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Boom),
        transaction.atomic(),
    ):
        _sell(staff_user, low_item, store, "8")
        raise Boom

    assert callbacks == []
    assert mailoutbox == []
    assert Alert.objects.count() == 0


def test_with_the_database_backend_the_email_is_queued_for_the_worker(
    settings, monkeypatch, staff_user, manager_user, low_item, store, mailoutbox,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    # given TASKS_BACKEND=database
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        _receive(staff_user, low_item, store, "10")

    # when a sale opens an alert
    with django_capture_on_commit_callbacks(execute=True):
        _sell(staff_user, low_item, store, "8")

    # then a task is queued and nothing is sent yet
    alert = Alert.objects.get()
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "inventory.tasks.send_low_stock_alert"
    assert queued.args_kwargs == {"args": [alert.pk], "kwargs": {}}
    assert queued.status == "READY"
    assert mailoutbox == []

    # when the worker runs, the email is sent
    _run_worker(monkeypatch)
    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"
    assert [m.to for m in mailoutbox] == [["manager1@example.com"]]


def test_queued_email_is_skipped_when_stock_recovered_before_the_worker_ran(
    settings, monkeypatch, staff_user, manager_user, low_item, store, mailoutbox,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        _receive(staff_user, low_item, store, "10")
        _sell(staff_user, low_item, store, "8")
        _receive(staff_user, low_item, store, "10")

    _run_worker(monkeypatch)

    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert mailoutbox == []


def test_with_a_site_url_the_alert_links_to_the_alerts_page(
    staff_user, manager_user, low_item, store, mailoutbox, django_capture_on_commit_callbacks,
    settings,
):  # fmt: skip
    settings.SITE_URL = "https://stock.example.com"
    with django_capture_on_commit_callbacks(execute=True):
        _receive(staff_user, low_item, store, "10")
    with django_capture_on_commit_callbacks(execute=True):
        _sell(staff_user, low_item, store, "8")

    (mail,) = mailoutbox
    assert mail.body.endswith("\nOpen alerts: https://stock.example.com/alerts/\n")


def test_a_stalled_mail_server_fails_the_task_instead_of_blocking_the_worker(
    settings, monkeypatch, staff_user, manager_user, low_item, store,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    # by default an SMTP connection gives up after EMAIL_TIMEOUT, 10 seconds
    assert get_connection("django.core.mail.backends.smtp.EmailBackend").timeout == 10
    # given a queued alert and a mail server that takes connections and never answers
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        _receive(staff_user, low_item, store, "10")
        _sell(staff_user, low_item, store, "8")
    with socket.create_server(("127.0.0.1", 0)) as stalled:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = stalled.getsockname()
        settings.EMAIL_TIMEOUT = 0.5  # shortened for the test

        # when the worker runs
        started = time.monotonic()
        _run_worker(monkeypatch)

    # then the task fails after the timeout and the worker moves on
    assert time.monotonic() - started < 5
    queued = DBTaskResult.objects.get()
    assert queued.status == "FAILED"
    assert "timed out" in queued.traceback


def test_with_no_manager_the_alert_email_goes_to_the_admins(
    staff_user, low_item, store, mailoutbox, django_capture_on_commit_callbacks
):
    # given a small shop: the owner (a superuser), an Admin and till staff, no Manager
    UserFactory(username="owner", email="owner@example.com", is_superuser=True)
    UserFactory(role="Admin", username="partner", email="partner@example.com")
    UserFactory(role="Manager", username="noaddress", email="")
    with django_capture_on_commit_callbacks(execute=True):
        _receive(staff_user, low_item, store, "10")

    # when a sale takes the item below its reorder level
    with django_capture_on_commit_callbacks(execute=True):
        _sell(staff_user, low_item, store, "8")

    # then the Admins hear of it, since no Manager has an address
    assert len(mailoutbox) == 1
    assert sorted(mailoutbox[0].to) == ["owner@example.com", "partner@example.com"]
