"""BEFORE TRUNCATE triggers on the append-only tables (PostgreSQL).

The row triggers of 0002 refuse UPDATE and DELETE, but TRUNCATE fires no row trigger:
until now a table owner could empty the ledger in one statement. A statement-level
BEFORE TRUNCATE trigger refuses it, also when the table is reached through
`TRUNCATE other_table CASCADE`. The app role has no TRUNCATE privilege at all
(`manage.py db_roles`); this guards against the owner, by accident or by script.

SQLite has no TRUNCATE: its "truncate optimisation" of a DELETE without WHERE is
skipped on a table with triggers, so 0002's BEFORE DELETE triggers refuse that
statement too (inventory/tests/test_truncate_guards.py checks it on both databases).

The SQL is written out here rather than imported, so that this migration keeps doing
what it did when it was applied, whatever later code says.
"""

from django.db import migrations

TABLES = (
    "inventory_ledgerentry",
    "inventory_operation",
    "inventory_lotdecision",
    "inventory_auditevent",
)

CREATE_FUNCTION = """
CREATE FUNCTION inventory_refuse_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: TRUNCATE refused', TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$;
"""
CREATE_TRIGGER = (
    "CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
    "FOR EACH STATEMENT EXECUTE FUNCTION inventory_refuse_truncate();"
)
DROP_TRIGGER = "DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};"
DROP_FUNCTION = "DROP FUNCTION IF EXISTS inventory_refuse_truncate();"


def create_guards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE_FUNCTION, params=None)
    for table in TABLES:
        schema_editor.execute(CREATE_TRIGGER.format(table=table), params=None)


def drop_guards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(DROP_TRIGGER.format(table=table), params=None)
    schema_editor.execute(DROP_FUNCTION, params=None)


class Migration(migrations.Migration):
    dependencies = [("inventory", "0008_posting_in_python")]

    operations = [migrations.RunPython(create_guards, drop_guards)]
