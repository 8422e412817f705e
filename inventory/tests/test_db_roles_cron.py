"""The scheduled commands (README, Production deployment) purge what they purge when run
as the least-privilege app role, as cron runs them (PostgreSQL)."""

import io
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from api.models import IdempotentRequest
from inventory.tests.db_roles_helpers import as_role, pg_only

LONG_AGO = timedelta(days=30)


def _stored_answer(user) -> IdempotentRequest:
    answer = IdempotentRequest.objects.create(
        user=user,
        key="till1-0001",
        request_hash="0" * 64,
        method="POST",
        path="/api/v1/sales-orders/quick/",
        status_code=201,
        response_body="{}",
    )
    IdempotentRequest.objects.filter(pk=answer.pk).update(created_at=timezone.now() - LONG_AGO)
    return answer


def _finished_task() -> DBTaskResult:
    return DBTaskResult.objects.create(
        status="SUCCESSFUL",
        args_kwargs={"args": [1], "kwargs": {}},
        task_path="inventory.tasks.send_low_stock_alert",
        backend_name="default",
        run_after=timezone.now() - LONG_AGO,
        finished_at=timezone.now() - LONG_AGO,
    )


@pg_only
# Committed as cron's would be: a refusal then shows as itself, not as a broken transaction.
@pytest.mark.django_db(transaction=True)
def test_the_purging_commands_run_as_the_app_role(roles, settings, staff_user):
    # given a stored API answer, an expired session and a finished task, all long past
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    _stored_answer(staff_user)
    Session.objects.create(
        session_key="x" * 32, session_data="", expire_date=timezone.now() - LONG_AGO
    )
    _finished_task()

    # when cron runs the purges as the app role
    with as_role(roles["app"]):
        for command in ("api_purge_idempotency", "clearsessions", "prune_db_task_results"):
            call_command(command, stdout=io.StringIO())

    # then each deleted its rows
    assert not IdempotentRequest.objects.exists()
    assert not Session.objects.exists()
    assert not DBTaskResult.objects.exists()
