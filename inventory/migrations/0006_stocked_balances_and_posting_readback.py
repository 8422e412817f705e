from django.db import migrations, models

from inventory.db_posting import create_statements
from inventory.migration_sql import run_sql


class Migration(migrations.Migration):
    """A partial index of the balances that hold stock, and the posting functions
    re-created (CREATE OR REPLACE) with the current SQL."""

    dependencies = [("inventory", "0005_fewer_write_indexes")]

    operations = [
        migrations.AddIndex(
            model_name="stockbalance",
            index=models.Index(
                condition=models.Q(("on_hand__gt", 0)),
                fields=["item", "store"],
                name="balance_stocked_item_store",
            ),
        ),
        migrations.RunPython(run_sql(create_statements), migrations.RunPython.noop),
    ]
