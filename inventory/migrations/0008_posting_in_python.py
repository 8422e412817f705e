import django.db.models.functions.text
from django.db import migrations, models

# The PL/pgSQL posting functions of 0004-0007, by their signatures then. They held
# a copy of the drawing rule; the rules now live once, in Python.
DROP_POSTING_FUNCTIONS = """
DO $$
DECLARE f regprocedure;
BEGIN
    FOR f IN
        SELECT p.oid::regprocedure FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = current_schema()
          AND p.proname IN ('inventory_open_posting', 'inventory_write_posting',
                            'inventory_issue_posting', 'inventory_claim_operation')
    LOOP
        EXECUTE 'DROP FUNCTION ' || f;
    END LOOP;
END $$;
"""


def drop_posting_functions(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_POSTING_FUNCTIONS)


def rename_case_twins(apps, schema_editor):
    """Lot codes that differ only by case (possible before this migration) get the
    lot's id appended, so the case-insensitive unique constraint can be added."""
    Lot = apps.get_model("inventory", "Lot")
    seen = set()
    for lot in Lot.objects.order_by("pk").only("pk", "item_id", "code"):
        key = (lot.item_id, lot.code.lower())
        if key in seen:
            Lot.objects.filter(pk=lot.pk).update(code=f"{lot.code[:50]}~{lot.pk}")
        seen.add(key)


class Migration(migrations.Migration):
    dependencies = [("inventory", "0007_issue_posting_function")]

    operations = [
        migrations.RunPython(drop_posting_functions, migrations.RunPython.noop),
        migrations.RunPython(rename_case_twins, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="lot",
            constraint=models.UniqueConstraint(
                models.F("item"),
                django.db.models.functions.text.Lower("code"),
                name="lot_code_ci_unique_per_item",
                violation_error_message="This item already has a lot with that code.",
            ),
        ),
        migrations.RemoveConstraint(model_name="lot", name="lot_code_unique_per_item"),
    ]
