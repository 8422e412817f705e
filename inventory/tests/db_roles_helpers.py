"""The two roles of `manage.py db_roles`, made in the test database for the tests that
try them on PostgreSQL (the `roles` fixture is registered in conftest.py)."""

import io
import secrets
from contextlib import contextmanager

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

ON_POSTGRES = connection.vendor == "postgresql"


def pg_only(test):
    """Mark a test `pg` and skip it, with the reason, on any other database."""
    skip = pytest.mark.skipif(
        not ON_POSTGRES, reason="database roles and privileges are PostgreSQL's: `make test-pg`"
    )
    return pytest.mark.pg(skip(test))


def db_roles_sql(part: str, owner: str, app: str) -> str:
    out = io.StringIO()
    call_command("db_roles", owner=owner, app=app, part=part, stdout=out)
    return out.getvalue()


def connect_as(user: str, password: str) -> psycopg.Connection:
    """A connection of its own to the test database, logged in as `user`."""
    settings = connection.settings_dict
    return psycopg.connect(
        dbname=settings["NAME"],
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=user,
        password=password,
        autocommit=True,
    )


@pytest.fixture(scope="module", name="roles")
def roles_fixture(django_db_setup, django_db_blocker):
    """Create the two roles with the command's SQL; drop them and what they hold after."""
    if not ON_POSTGRES:
        pytest.skip("PostgreSQL only")
    suffix = secrets.token_hex(4)
    owner, app = f"test_inv_owner_{suffix}", f"test_inv_app_{suffix}"
    password = secrets.token_urlsafe(16)
    settings = connection.settings_dict
    with django_db_blocker.unblock():
        superuser = connect_as(settings["USER"], settings["PASSWORD"])
        if not superuser.execute(
            "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
        ).fetchone()[0]:
            superuser.close()
            pytest.skip(
                "creating the roles needs a superuser in DATABASE_URL (as make test-pg has)"
            )
        with superuser.transaction():
            superuser.execute(db_roles_sql("setup", owner, app))
            superuser.execute(f"ALTER ROLE {owner} PASSWORD '{password}'")
            superuser.execute(f"ALTER ROLE {app} PASSWORD '{password}'")
        # The grants run as the owner, as after a production migrate.
        with connect_as(owner, password) as as_owner, as_owner.transaction():
            as_owner.execute(db_roles_sql("grants", owner, app))
        try:
            yield {"owner": owner, "app": app, "password": password}
        finally:
            database = settings["NAME"]
            try:
                with superuser.transaction():
                    superuser.execute(f"REASSIGN OWNED BY {owner} TO CURRENT_USER")
                    # One role at a time: PostgreSQL 15 fails on a default ACL that
                    # DROP OWNED BY owner, app would visit twice.
                    superuser.execute(f"DROP OWNED BY {app}")
                    superuser.execute(f"DROP OWNED BY {owner}")
                    superuser.execute(f"DROP ROLE {app}")
                    superuser.execute(f"DROP ROLE {owner}")
                    superuser.execute(
                        f'GRANT CONNECT, TEMPORARY ON DATABASE "{database}" TO PUBLIC'
                    )
                    superuser.execute("GRANT USAGE ON SCHEMA public TO PUBLIC")
            finally:
                superuser.close()


@contextmanager
def as_role(role: str):
    """Run Django's own connection (so the services' own SQL) as `role`."""
    with connection.cursor() as cursor:
        cursor.execute(f"SET ROLE {role}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
