"""Run vendor-specific SQL from a migration (triggers, functions)."""


def run_sql(*statements_for):
    """A RunPython callable that executes each statements_for(vendor), in order."""

    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for statements in statements_for:
            for sql in statements(vendor):
                schema_editor.execute(sql, params=None)

    return run
