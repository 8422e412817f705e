"""Project-wide pytest fixtures: users of each role, logged-in clients, catalogue basics."""

import pytest
from django.db.backends.postgresql.base import DatabaseOperations as PgOperations
from django.db.backends.sqlite3.base import DatabaseOperations  # base first: avoids an import cycle

from inventory.db_triggers import create_statements, drop_statements, truncate_guard_statements

_sqlite_sql_flush = DatabaseOperations.sql_flush


def _sql_flush_around_triggers(self, style, tables, *, reset_sequences=False, allow_cascade=False):
    """SQLite flushes with DELETE, which the append-only triggers refuse: lift them for the
    flush between transactional tests only (PostgreSQL flushes with TRUNCATE)."""
    statements = _sqlite_sql_flush(
        self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
    )
    if not statements:
        return statements
    return drop_statements("sqlite") + statements + create_statements("sqlite")


DatabaseOperations.sql_flush = _sql_flush_around_triggers

_pg_sql_flush = PgOperations.sql_flush


def _pg_sql_flush_around_truncate_guards(
    self, style, tables, *, reset_sequences=False, allow_cascade=False
):
    """PostgreSQL flushes with TRUNCATE, which the append-only tables' BEFORE TRUNCATE
    triggers refuse: disable them around the flush between transactional tests only. The
    flush runs in one transaction, so a failed flush leaves them enabled."""
    statements = _pg_sql_flush(
        self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
    )
    if not statements:
        return statements
    return (
        truncate_guard_statements(tables, enable=False)
        + statements
        + truncate_guard_statements(tables, enable=True)
    )


PgOperations.sql_flush = _pg_sql_flush_around_truncate_guards


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def staff_user(db):
    from accounts.tests.factories import UserFactory

    return UserFactory(role="Staff", username="staff1")


@pytest.fixture
def manager_user(db):
    from accounts.tests.factories import UserFactory

    return UserFactory(role="Manager", username="manager1")


@pytest.fixture
def admin_role_user(db):
    from accounts.tests.factories import UserFactory

    return UserFactory(role="Admin", username="admin1")


@pytest.fixture
def roleless_user(db):
    from accounts.tests.factories import UserFactory

    return UserFactory(username="pending1")


def _client_for(user):
    """A separate client per role, so one test can act as several users."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def staff_client(staff_user):
    return _client_for(staff_user)


@pytest.fixture
def manager_client(manager_user):
    return _client_for(manager_user)


@pytest.fixture
def admin_role_client(admin_role_user):
    return _client_for(admin_role_user)


@pytest.fixture
def store(db):
    from inventory.tests.factories import StoreFactory

    return StoreFactory(code="MAIN", name="Main Store")


@pytest.fixture
def other_store(db):
    from inventory.tests.factories import StoreFactory

    return StoreFactory(code="WH", name="Warehouse", kind="WAREHOUSE")


@pytest.fixture
def item(db):
    from inventory.tests.factories import ItemFactory

    return ItemFactory(sku="SKU-0042", name="Blue widget", reorder_level=0)


@pytest.fixture
def qc_item(db):
    from inventory.tests.factories import ItemFactory

    return ItemFactory(sku="SKU-QC01", name="Checked widget", qc_required=True, reorder_level=0)


@pytest.fixture
def supplier(db):
    from inventory.tests.factories import SupplierFactory

    return SupplierFactory(name="Acme Fasteners")
