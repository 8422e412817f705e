from django.db import migrations


class Migration(migrations.Migration):
    """Created the PostgreSQL posting functions, from a live module whose text changed
    later. 0008 drops them: the stock rules live once, in Python
    (inventory/rules.py), so a fresh database never needs them. A database that
    applied the old text keeps it until 0008 drops it."""

    dependencies = [("inventory", "0003_open_order_indexes")]

    operations = []
