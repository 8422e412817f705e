from django.db import migrations

from inventory.db_posting import create_statements, drop_statements


def create_functions(apps, schema_editor):
    for sql in create_statements(schema_editor.connection.vendor):
        schema_editor.execute(sql, params=None)


def drop_functions(apps, schema_editor):
    for sql in drop_statements(schema_editor.connection.vendor):
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("inventory", "0003_open_order_indexes")]

    operations = [migrations.RunPython(create_functions, drop_functions)]
