from django.db import migrations


class Migration(migrations.Migration):
    """Re-created the posting functions with inventory_issue_posting, a copy of the
    drawing rule in PL/pgSQL. 0008 drops them all; see 0004."""

    dependencies = [("inventory", "0006_stocked_balances_and_posting_readback")]

    operations = []
