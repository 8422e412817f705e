"""No one empties the append-only tables: TRUNCATE is refused by a trigger (PostgreSQL),
and a DELETE without WHERE by the row triggers (both databases)."""

import importlib

import pytest
from django.core.management.color import no_style
from django.db import DatabaseError, IntegrityError, connection, transaction

from inventory.db_triggers import APPEND_ONLY_TABLES, TRUNCATE_GUARDS
from inventory.services.qc import lot_approve
from inventory.services.stock import stock_receive

pytestmark = pytest.mark.django_db
ON_POSTGRES = connection.vendor == "postgresql"
guards = importlib.import_module("inventory.migrations.0009_truncate_guards")


def pg_only(test):
    """Mark a test `pg` and skip it, with the reason, on any other database."""
    skip = pytest.mark.skipif(
        not ON_POSTGRES, reason="SQLite has no TRUNCATE (see the DELETE tests): `make test-pg`"
    )
    return pytest.mark.pg(skip(test))


@pytest.fixture
def history(staff_user, manager_user, item, qc_item, store):
    """Rows in every append-only table."""
    stock_receive(actor=staff_user, item=item, store=store, quantity=5, lot_code="L1")
    stock_receive(actor=staff_user, item=qc_item, store=store, quantity=2, lot_code="Q1")
    lot_approve(actor=manager_user, lot=qc_item.lots.get())
    if ON_POSTGRES:
        # Run the deferred foreign-key checks of these rows now: PostgreSQL refuses to
        # TRUNCATE or ALTER a table with checks pending in the transaction, before any
        # trigger of ours could answer (committed rows, as in production, have none).
        _run("SET CONSTRAINTS ALL IMMEDIATE")
    return _counts()


def _counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for table in (*APPEND_ONLY_TABLES, "inventory_item", "inventory_stockbalance"):
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            counts[table] = cursor.fetchone()[0]
    return counts


def _run(sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql)


def _triggers_enabled() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname, tgenabled FROM pg_trigger WHERE tgname = ANY(%s)",
            [list(TRUNCATE_GUARDS.values())],
        )
        return dict(cursor.fetchall())


@pg_only
@pytest.mark.parametrize("table", APPEND_ONLY_TABLES)
def test_truncate_of_an_append_only_table_is_refused(history, table):
    # the test database's user is a superuser: the trigger refuses even that
    with (
        pytest.raises(IntegrityError, match=f"{table} is append-only: TRUNCATE refused"),
        transaction.atomic(),
    ):
        _run(f"TRUNCATE {table} CASCADE")

    assert _counts() == history
    assert min(history[table] for table in APPEND_ONLY_TABLES) > 0


@pg_only
def test_a_cascading_truncate_that_reaches_the_ledger_is_refused(history):
    with (
        pytest.raises(IntegrityError, match="append-only: TRUNCATE refused"),
        transaction.atomic(),
    ):
        _run("TRUNCATE inventory_item CASCADE")

    assert _counts() == history


@pytest.mark.parametrize("table", APPEND_ONLY_TABLES)
def test_a_delete_without_where_is_refused_on_either_database(history, table):
    # SQLite skips its truncate optimisation on a table with triggers, so the row
    # trigger sees this statement too
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _run(f"DELETE FROM {table}")

    assert _counts() == history


@pg_only
def test_the_migration_reverses_and_reapplies(history):
    with connection.schema_editor() as editor:
        guards.drop_guards(None, editor)
    assert _triggers_enabled() == {}
    _run("TRUNCATE inventory_lotdecision")  # unguarded: allowed, and rolled back with the test
    assert _counts()["inventory_lotdecision"] == 0

    with connection.schema_editor() as editor:
        guards.create_guards(None, editor)

    assert _triggers_enabled() == dict.fromkeys(TRUNCATE_GUARDS.values(), "O")
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        _run("TRUNCATE inventory_auditevent")


@pg_only
def test_the_test_suites_flush_lifts_the_guards_and_restores_them(history):
    # the flush between transactional tests (conftest.py) is a TRUNCATE of every table
    tables = connection.introspection.django_table_names(only_existing=True)

    connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), tables))

    assert set(_counts().values()) == {0}
    assert _triggers_enabled() == dict.fromkeys(TRUNCATE_GUARDS.values(), "O")
