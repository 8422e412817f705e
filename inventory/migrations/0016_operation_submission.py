from django.db import migrations, models

from inventory.migration_sql import run_sql
from inventory.migrations._append_only_v1 import create_statements, drop_statements

# SQLite adds this column by rebuilding the table, which drops its append-only triggers
# (as in 0005): put them back.
recreate_append_only_triggers = run_sql(drop_statements, create_statements)


class Migration(migrations.Migration):
    dependencies = [
        ("inventory", "0015_item_barcode"),
    ]

    operations = [
        migrations.AddField(
            model_name="operation",
            name="submission",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
        migrations.RunPython(recreate_append_only_triggers, recreate_append_only_triggers),
    ]
