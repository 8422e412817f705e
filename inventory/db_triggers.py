"""The append-only triggers' SQL, as the migrations that installed it froze it."""

from inventory.migrations._append_only_v1 import (  # noqa: F401
    APPEND_ONLY_TABLES,
    create_statements,
    drop_statements,
)

# Statement-level BEFORE TRUNCATE triggers, created by migration 0009 (which holds their
# SQL): TRUNCATE fires no row trigger. Named here for the test suite, whose flush between
# transactional tests on PostgreSQL is a TRUNCATE of every table.
TRUNCATE_GUARDS = {table: f"{table}_no_truncate" for table in APPEND_ONLY_TABLES}


def truncate_guard_statements(tables, *, enable: bool) -> list[str]:
    """ALTER TABLE statements that lift (or restore) the TRUNCATE guards of these tables.

    Only a table's owner may run them: the app role of `manage.py db_roles` cannot.
    """
    action = "ENABLE" if enable else "DISABLE"
    return [
        f"ALTER TABLE {table} {action} TRIGGER {TRUNCATE_GUARDS[table]};"
        for table in tables
        if table in TRUNCATE_GUARDS
    ]
