from django.db import migrations, models

from inventory.migration_sql import run_sql


def fillfactor(vendor: str) -> list[str]:
    """Room on each balance page for the next version of a row, so that an update
    can stay on its page (HOT) and add no index entries."""
    if vendor != "postgresql":
        return []
    return ["ALTER TABLE inventory_stockbalance SET (fillfactor = 80);"]


class Migration(migrations.Migration):
    """A partial index of the balances that hold stock (on a column the database
    computes). It also re-created the posting functions, which 0008 drops."""

    dependencies = [("inventory", "0005_fewer_write_indexes")]

    operations = [
        migrations.AddField(
            model_name="stockbalance",
            name="has_stock",
            field=models.GeneratedField(
                db_persist=True,
                expression=models.Q(("on_hand__gt", 0)),
                output_field=models.BooleanField(),
            ),
        ),
        migrations.AddIndex(
            model_name="stockbalance",
            index=models.Index(
                condition=models.Q(("has_stock", True)),
                fields=["item", "store"],
                name="balance_stocked_item_store",
            ),
        ),
        migrations.RunPython(run_sql(fillfactor), migrations.RunPython.noop),
    ]
