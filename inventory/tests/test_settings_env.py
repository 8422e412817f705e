"""Settings read from the environment: an empty value means the default, as the lines of
.env.example copied to .env do; lists and addresses are parsed. Each case starts Django
in a process of its own, with only the variables it names."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
SETTINGS_SOURCE = (BASE_DIR / "inventory_system" / "settings.py").read_text()
# Every variable settings.py reads through django-environ.
VARIABLES = sorted(set(re.findall(r"env\.\w+\(\s*\"(\w+)\"", SETTINGS_SOURCE)) | {"DEBUG"})
SHOW = """
import json, sys
import django
django.setup()
from django.conf import settings
print(json.dumps({name: getattr(settings, name, None) for name in sys.argv[1:]}, default=str))
"""
PRODUCTION = {"DEBUG": "0", "SECRET_KEY": "k" * 50}


def _python(script: str, *args: str, **variables) -> subprocess.CompletedProcess:
    """Run `script` with only `variables` set of those the settings read: the others are
    empty, so neither the shell nor the .env file sets them."""
    env = {name: value for name, value in os.environ.items() if name not in VARIABLES}
    env.update(dict.fromkeys(VARIABLES, ""), DJANGO_SETTINGS_MODULE="inventory_system.settings")
    env.update(variables)
    result = subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result


def _settings(names: list[str], **variables) -> dict:
    """The named settings of a Django started with `variables`."""
    return json.loads(_python(SHOW, *names, **variables).stdout)


def _env_example() -> dict[str, str]:
    """The variables .env.example sets, as a .env copied from it sets them."""
    lines = (BASE_DIR / ".env.example").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if re.match(r"[A-Z_]+=", line))


def test_every_variable_left_empty_means_its_default():
    # given every variable the settings read set, but empty (HTTPS=, DATABASE_URL=, ...)
    found = _settings(
        ["SECURE_SSL_REDIRECT", "DATABASES", "EMAIL_BACKEND", "EMAIL_TIMEOUT", "AXES_ENABLED"]
        + ["ALLOWED_HOSTS", "TIME_ZONE", "SECRET_KEY_FALLBACKS", "ADMINS", "LOG_LEVEL"],
        **PRODUCTION,
    )

    # then Django starts with the documented defaults: HTTPS on with DEBUG=0, SQLite
    assert found["SECURE_SSL_REDIRECT"] is True
    assert found["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert found["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert (found["EMAIL_TIMEOUT"], found["AXES_ENABLED"], found["TIME_ZONE"]) == (10, True, "UTC")
    assert found["ALLOWED_HOSTS"] == ["127.0.0.1", "localhost", "testserver"]
    assert (found["SECRET_KEY_FALLBACKS"], found["ADMINS"], found["LOG_LEVEL"]) == (
        [],
        [],
        "WARNING",
    )


def test_an_empty_debug_stays_off():
    # Its default (on) would serve debug pages and the development key: empty is off.
    assert _settings(["DEBUG"], DEBUG="", SECRET_KEY="k" * 50) == {"DEBUG": False}


def test_the_env_example_as_shipped_gives_production_its_hardening_and_sqlite():
    example = _env_example()

    found = _settings(["SECURE_SSL_REDIRECT", "DATABASES"], **{**example, **PRODUCTION})

    assert found["SECURE_SSL_REDIRECT"] is True
    assert found["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"


def test_admins_and_key_fallbacks_are_read_as_lists():
    found = _settings(
        ["ADMINS", "SECRET_KEY_FALLBACKS", "SERVER_EMAIL"],
        **PRODUCTION,
        ADMINS='Ann Admin <ann@example.com>, ops@example.com, "Ops, night" <night@example.com>',
        SECRET_KEY_FALLBACKS="old-key-2,old-key-1",
        DEFAULT_FROM_EMAIL="inventory@example.com",
    )

    assert found["ADMINS"] == [
        ["Ann Admin", "ann@example.com"],
        ["", "ops@example.com"],
        ["Ops, night", "night@example.com"],
    ]
    assert found["SECRET_KEY_FALLBACKS"] == ["old-key-2", "old-key-1"]
    assert found["SERVER_EMAIL"] == "inventory@example.com"


def test_log_lines_carry_time_level_and_logger_once():
    script = (
        "import django, logging; django.setup(); "
        "logging.getLogger('django.request').warning('Not Found: /nowhere/')"
    )

    # with DEBUG on, where Django's own console handler printed it a second time, bare
    result = _python(script, DEBUG="1")

    assert re.fullmatch(
        r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} WARNING django\.request: Not Found: /nowhere/\n",
        result.stderr,
    ), result.stderr


@pytest.mark.parametrize("blank", [" ", "\t", "  "])
def test_a_value_of_only_spaces_is_blank_too(blank):
    # Found by a regression pass: "HTTPS= " (a trailing space) turned HTTPS off.
    found = _settings(["SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE"], **PRODUCTION, HTTPS=blank)

    assert found == {"SECURE_SSL_REDIRECT": True, "SESSION_COOKIE_SECURE": True}


def test_the_company_name_on_printed_documents_defaults_to_inventory():
    # given COMPANY_NAME left empty, then set
    assert _settings(["COMPANY_NAME"], **PRODUCTION) == {"COMPANY_NAME": "Inventory"}
    named = _settings(["COMPANY_NAME"], **PRODUCTION, COMPANY_NAME="Harbour Hardware Ltd")

    # then the printed documents are headed with the business's own name
    assert named == {"COMPANY_NAME": "Harbour Hardware Ltd"}
    assert _env_example()["COMPANY_NAME"] == "Inventory"
