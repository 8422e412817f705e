"""SQL of the triggers that make the append-only tables refuse UPDATE and DELETE.

Frozen with the migrations that run it (0002, 0005): never edit this text; a change
is a new migration with a text of its own. test_database_functions compares what
a migrated database holds with it. inventory.db_triggers re-exports it for the test
suite (which must drop the triggers to flush SQLite between transactional tests).
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
