"""The SQL that `manage.py db_roles` prints: its policy, table by table, on any database.

Whether PostgreSQL enforces it is tried in test_db_roles.py.
"""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from inventory.db_triggers import APPEND_ONLY_TABLES
from inventory.management.commands.db_roles import DELETING, model_tables, table_access

ON_POSTGRES = connection.vendor == "postgresql"


def _sql(part: str | None, owner: str, app: str) -> str:
    out = io.StringIO()
    call_command("db_roles", owner=owner, app=app, part=part, stdout=out)
    return out.getvalue()


def test_append_only_tables_get_select_and_insert_only():
    access = table_access()

    assert {table: access[table] for table in APPEND_ONLY_TABLES} == dict.fromkeys(
        APPEND_ONLY_TABLES, "insert"
    )


def test_every_table_listed_as_deleting_exists():
    assert set(DELETING) - set(model_tables()) == set()
    assert {table for table, access in table_access().items() if access == "delete"} == set(
        DELETING
    )


def _granted(sql: str) -> dict[str, str]:
    """Map each table to the privileges the printed GRANT statements give it."""
    granted = {}
    for statement in sql.split(";"):
        code = [line for line in statement.splitlines() if line and not line.startswith("--")]
        if code and code[0].startswith("GRANT ") and code[0].endswith(" ON TABLE"):
            privileges = code[0].removeprefix("GRANT ").removesuffix(" ON TABLE")
            for line in code[1:-1]:
                granted[line.strip().rstrip(",")] = privileges
    return granted


def test_the_printed_sql_grants_every_table_and_no_truncate_delete_or_update_of_history():
    sql = _sql(None, "inventory_owner", "inventory_app")
    granted = _granted(sql)

    assert set(granted) == set(model_tables())
    assert {table: granted[table] for table in APPEND_ONLY_TABLES} == dict.fromkeys(
        APPEND_ONLY_TABLES, "SELECT, INSERT"
    )
    assert "TRUNCATE" not in sql
    assert "GRANT ALL" not in sql


@pytest.mark.parametrize(
    ("owner", "app", "message"),
    [
        ("inventory_owner", "inventory_owner", "two different roles"),
        ("owner; DROP TABLE x", "inventory_app", "lower-case letters"),
        ("inventory_owner", "App", "lower-case letters"),
    ],
)
def test_unsafe_or_equal_role_names_are_refused(owner, app, message):
    with pytest.raises(CommandError, match=message):
        _sql(None, owner, app)


@pytest.mark.skipif(ON_POSTGRES, reason="the refusal is for databases other than PostgreSQL")
def test_execute_on_another_database_is_refused_with_a_message():
    with pytest.raises(CommandError, match="Database roles are PostgreSQL's"):
        call_command("db_roles", part="grants", execute=True, stdout=io.StringIO())


def test_the_app_may_delete_what_the_scheduled_purges_remove():
    access = table_access()

    # clearsessions, api_purge_idempotency, prune_db_task_results
    purged = ["django_session", "api_idempotentrequest", "django_tasks_database_dbtaskresult"]
    assert {table: access[table] for table in purged} == dict.fromkeys(purged, "delete")
