"""Database triggers that make the append-only tables refuse UPDATE and DELETE.

Used by migration 0002 and by the test suite (which must drop them to flush SQLite
between transactional tests; PostgreSQL flushes with TRUNCATE, which row triggers
do not see).
"""

APPEND_ONLY_TABLES = (
    "inventory_ledgerentry",
    "inventory_operation",
    "inventory_lotdecision",
    "inventory_auditevent",
)

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION inventory_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$;
"""


def create_statements(vendor: str) -> list[str]:
    if vendor == "postgresql":
        statements = [_PG_FUNCTION]
        for table in APPEND_ONLY_TABLES:
            statements.append(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION inventory_refuse_change();"
            )
        return statements
    if vendor == "sqlite":
        statements = []
        for table in APPEND_ONLY_TABLES:
            for op in ("UPDATE", "DELETE"):
                statements.append(
                    f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {op} refused'); END;"
                )
        return statements
    raise NotImplementedError(f"No append-only triggers for database vendor {vendor!r}.")


def drop_statements(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [
            f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};"
            for table in APPEND_ONLY_TABLES
        ] + ["DROP FUNCTION IF EXISTS inventory_refuse_change();"]
    return [
        f"DROP TRIGGER IF EXISTS {table}_no_{op};"
        for table in APPEND_ONLY_TABLES
        for op in ("update", "delete")
    ]


# Statement-level BEFORE TRUNCATE triggers, created by migration 0010 (which holds their
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
