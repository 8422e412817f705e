from django.db import migrations

from inventory.migrations._append_only_v1 import create_statements, drop_statements
from inventory.migration_sql import run_sql


class Migration(migrations.Migration):
    dependencies = [("inventory", "0001_initial")]

    operations = [migrations.RunPython(run_sql(create_statements), run_sql(drop_statements))]
