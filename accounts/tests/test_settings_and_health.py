import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def _run_check(env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_without_secret_key_refuses_to_start():
    result = _run_check({"DEBUG": "0", "ALLOWED_HOSTS": "example.com"})

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_with_secret_key_starts():
    result = _run_check(
        {
            "DEBUG": "0",
            "ALLOWED_HOSTS": "example.com",
            "SECRET_KEY": "x" * 20 + "-prod-key-" + "y" * 30,
        }
    )

    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_healthz_answers_200_when_database_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_healthz_answers_503_when_database_fails(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise connection.Database.OperationalError(
            'connection to server at "db.internal" (10.0.0.5), port 5432 failed'
        )

    monkeypatch.setattr(connection, "cursor", broken_cursor)

    response = client.get("/healthz")

    # The driver's message names the host and port: it goes to the log, not the public.
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}
    assert response["Retry-After"] == "30"
    assert b"db.internal" not in response.content and b"5432" not in response.content


def test_sqlite_default_uses_wal_and_immediate_transactions(settings):
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("SQLite settings only")
    assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]


@pytest.mark.django_db
def test_healthz_answers_head_with_its_status_and_no_body(client, rf):
    from inventory_system.health import healthz

    response = client.head("/healthz")
    direct = healthz(rf.head("/healthz"))

    assert response.status_code == 200
    # no body for gunicorn to drop (it logs a warning for each one)
    assert (direct.status_code, direct.content) == (200, b"")


@pytest.mark.django_db
def test_healthz_answers_a_load_balancer_probing_by_address(client, caplog, settings, mailoutbox):
    # given a probe whose Host is the app server's address, not in ALLOWED_HOSTS
    settings.ADMINS = [("Ops", "ops@example.com")]
    logging.getLogger("django.security.DisallowedHost").addHandler(caplog.handler)
    try:
        probe = client.get("/healthz", HTTP_HOST="10.0.0.5:8121")
        page = client.get("/login/", HTTP_HOST="10.0.0.5:8121")
    finally:
        logging.getLogger("django.security.DisallowedHost").removeHandler(caplog.handler)

    # then /healthz answers; any other page is still refused, in one line of log, unmailed
    assert (probe.status_code, probe.json()) == (200, {"status": "ok", "database": "ok"})
    assert page.status_code == 400
    (record,) = [r for r in caplog.records if r.name == "django.security.DisallowedHost"]
    assert record.getMessage().startswith("Invalid HTTP_HOST header: '10.0.0.5:8121'.")
    assert record.exc_info is None
    assert mailoutbox == []
