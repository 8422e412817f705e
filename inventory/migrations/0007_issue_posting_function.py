from django.db import migrations

from inventory.db_posting import create_statements
from inventory.migration_sql import run_sql


class Migration(migrations.Migration):
    """The posting functions re-created with the current SQL, which adds
    inventory_issue_posting: a direct issue in one call (PostgreSQL only)."""

    dependencies = [("inventory", "0006_stocked_balances_and_posting_readback")]

    operations = [
        migrations.RunPython(run_sql(create_statements), migrations.RunPython.noop),
    ]
