"""Trigram indexes for searching items by part of their SKU or name (PostgreSQL).

Every text search of the catalogue (the item picker as one types, the item list's and
the stock levels' search box) is a LIKE '%text%' on UPPER(sku) or UPPER(name), as
Django writes icontains and istartswith on PostgreSQL. No B-tree serves that, so each
keystroke read the whole catalogue: the picker took 10.8 ms of SQL at 20,000 items,
0.8 ms with these indexes. pg_trgm ships with PostgreSQL (contrib). A superuser (as
in development and CI) creates it here; in production the owner role that migrates may
not, so `manage.py db_roles --part setup`, run by a superuser, creates it first.

SQLite has neither the extension nor GIN: its searches scan, as before. The SQL is
written out here so that this migration keeps doing what it did when it was applied.
"""

from django.db import migrations

CREATE = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX item_sku_trgm ON inventory_item USING gin (UPPER(sku::text) gin_trgm_ops)",
    "CREATE INDEX item_name_trgm ON inventory_item USING gin (UPPER(name::text) gin_trgm_ops)",
)
# The extension stays: other databases' objects may use it.
DROP = ("DROP INDEX IF EXISTS item_sku_trgm", "DROP INDEX IF EXISTS item_name_trgm")


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("inventory", "0012_item_sku_order")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
