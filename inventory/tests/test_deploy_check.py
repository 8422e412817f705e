"""Production settings: `check --deploy` is clean, and a missing SECRET_KEY stops the app."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "inventory.example.com",
    "HTTPS": "1",
    "SITE_URL": "https://inventory.example.com",
}
# Settings variables a developer's shell (or .env) might hold; each run sets its own.
# DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser tests' conftest, never in production.
CLEARED = (
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "HTTPS",
    "BEHIND_PROXY",
    "SECURE_HSTS_SECONDS",
    "AXES_ENABLED",
    "SITE_URL",
    "DJANGO_SETTINGS_MODULE",
)


def _manage(*args, **env_vars):
    env = {k: v for k, v in os.environ.items() if k not in CLEARED}
    env.update(env_vars)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."
    assert "WARNING" not in result.stderr


def test_check_deploy_fails_on_plain_http_settings():
    # The same check catches a production setup without HTTPS hardening.
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **{**PRODUCTION, "HTTPS": "0"})

    assert result.returncode == 1
    assert "security.W008" in result.stderr  # SECURE_SSL_REDIRECT
    assert "security.W012" in result.stderr  # SESSION_COOKIE_SECURE


def test_production_refuses_to_start_without_a_secret_key():
    # Empty rather than absent, so that a SECRET_KEY in a local .env cannot fill it in.
    env = {**PRODUCTION, "SECRET_KEY": ""}

    result = _manage("check", **env)

    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is not set." in result.stderr
    assert "With DEBUG off the app refuses to start without it" in result.stderr


def test_check_deploy_warns_of_emails_without_links_when_site_url_is_unset():
    # Empty rather than absent, so that a SITE_URL in a local .env cannot fill it in.
    result = _manage("check", "--deploy", **{**PRODUCTION, "SITE_URL": ""})

    assert result.returncode == 0  # a warning: the app still starts
    assert "inventory.W003" in result.stderr
    assert "will carry no links" in result.stderr
