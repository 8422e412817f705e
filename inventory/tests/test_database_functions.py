"""The database holds exactly the functions and triggers whose SQL the migrations froze.

No stock rule lives in the database: the PL/pgSQL posting functions are gone, and
what remains (the append-only trigger function) matches the text of the migration
module that created it, so an edit to it can only arrive as a new migration.
"""

import pytest
from django.db import connection

from inventory.migrations import _append_only_v1 as frozen

pytestmark = pytest.mark.django_db


def _statement(text: str) -> str:
    return " ".join(text.split()).rstrip(";")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL functions")
def test_postgresql_functions_are_the_migrations_text():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.proname, p.prosrc FROM pg_proc p "
            "JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = current_schema() AND p.proname LIKE 'inventory%%' "
            "ORDER BY p.proname"
        )
        functions = dict(cursor.fetchall())

    assert "inventory_refuse_change" in functions
    assert not {name for name in functions if "posting" in name}
    body = frozen._PG_FUNCTION.split("$$")[1]
    assert functions["inventory_refuse_change"].strip() == body.strip()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite triggers")
def test_sqlite_triggers_are_the_migrations_text():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'inventory%'"
        )
        triggers = {name: _statement(sql) for name, sql in cursor.fetchall()}

    expected = {}
    for sql in frozen.create_statements("sqlite"):
        name = sql.split()[2]
        expected[name] = _statement(sql)
    assert {k: v for k, v in triggers.items() if k in expected} == expected
