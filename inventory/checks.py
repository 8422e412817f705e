"""System checks that advise against running the app with too many database rights, or
with e-mails that cannot link back to it.

The two role checks are database checks, so they run only where a database is named:
`migrate` runs the first, and `manage.py check --deploy --database default` (with the
app's DATABASE_URL) runs both. `manage.py db_roles` prints the setup they point to. The
SITE_URL check runs with every command that checks (`migrate`, `check`, `runserver`).
"""

from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.db import DatabaseError, connections

from inventory.db_triggers import APPEND_ONLY_TABLES

ROLES_HINT = (
    "Migrate as an owner role and run the app as a role that owns nothing: "
    "`python manage.py db_roles` prints the SQL, and the README's production section "
    "says how to use it."
)


def _postgres(databases):
    for alias in databases or ():
        connection = connections[alias]
        if connection.vendor == "postgresql":
            yield alias, connection


def _query(connection, sql, params=()):
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    except DatabaseError:
        return None  # a database that does not answer is reported elsewhere


@register(Tags.database)
def check_not_superuser(app_configs, databases=None, **kwargs):
    """Warn when the connection's role is a superuser: it bypasses every privilege."""
    warnings = []
    for alias, connection in _postgres(databases):
        rows = _query(
            connection, "SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user"
        )
        if rows and rows[0][1]:
            warnings.append(
                Warning(
                    f"Database {alias!r} is used as {rows[0][0]!r}, a PostgreSQL superuser: "
                    "it may empty, alter or unguard the ledger and audit tables.",
                    hint=ROLES_HINT,
                    id="inventory.W001",
                )
            )
    return warnings


@register(Tags.database, deploy=True)
def check_app_owns_nothing(app_configs, databases=None, **kwargs):
    """Warn when the app's role owns the append-only tables: it could drop their triggers."""
    warnings = []
    for alias, connection in _postgres(databases):
        rows = _query(
            connection,
            "SELECT relname FROM pg_class WHERE relnamespace = current_schema()::regnamespace "
            "AND relname = ANY(%s) AND pg_has_role(current_user, relowner, 'USAGE') "
            "ORDER BY relname",
            [list(APPEND_ONLY_TABLES)],
        )
        if rows:
            warnings.append(
                Warning(
                    f"Database {alias!r} is used as a role that owns (or holds the rights of "
                    f"the owner of) {', '.join(name for (name,) in rows)}: it may disable or "
                    "drop their append-only triggers.",
                    hint=ROLES_HINT,
                    id="inventory.W002",
                )
            )
    return warnings


@register()
def check_site_url(app_configs, **kwargs):
    """Warn when a production site (DEBUG off) has no SITE_URL: e-mails are sent from
    background tasks, which have no request to take the address from, so they go without
    links (to the alerts, the pending sign-ups, the sign-in page)."""
    if settings.DEBUG or settings.SITE_URL:
        return []
    return [
        Warning(
            "SITE_URL is not set: the e-mails the app sends (low-stock alerts, sign-ups "
            "waiting for a role, approvals) will carry no links to the site.",
            hint="Set SITE_URL to the address people open, e.g. https://stock.example.com "
            "(.env.example, and the README's production section).",
            id="inventory.W003",
        )
    ]
