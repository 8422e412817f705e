"""Print the SQL of a least-privilege PostgreSQL setup: an owner role and an app role.

The owner runs `migrate` and owns every table, function and sequence; it is not a
superuser. The app role serves requests and runs the task worker: it owns nothing, so it
cannot ALTER, DROP or DISABLE TRIGGER on anything, and it may only read and add rows of the
append-only tables (no UPDATE, DELETE or TRUNCATE). UPDATE is granted where the app
updates, DELETE only where it really deletes (DELETING below says why, table by table).

Two parts, both idempotent:

- setup, once, as a superuser, before the owner's first `migrate`: the two roles, who may
  connect and create, and (for a database first migrated by another role, such as
  `postgres`) ownership of its existing objects handed to the owner;
- grants, as the owner (or a superuser), after every `migrate`: the app role's exact
  privileges on every table of the installed models, and default privileges so that a
  table a later migration creates is readable and writable (no DELETE) at once.

The table list comes from the installed models, so printing needs no database
connection; --execute runs the SQL through Django's own connection instead. Grants are
on tables only: nothing depends on the posting functions, which run with their caller's
privileges (EXECUTE stays granted to PUBLIC, PostgreSQL's default).
"""

import re

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection, transaction

from inventory.db_triggers import APPEND_ONLY_TABLES

# Plain lower-case identifiers only: they are written into SQL unquoted.
ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}\Z")

# The app never writes these: migrations (and post_migrate) fill the first five, the role
# groups are read-only in the admin, and no screen gives a user a permission of their own.
READ_ONLY = frozenset(
    {
        "django_migrations",
        "django_content_type",
        "auth_permission",
        "auth_group",
        "auth_group_permissions",
        "auth_user_user_permissions",
    }
)

# History: rows are added, never changed or removed. The admin's change log is history too.
INSERT_ONLY = frozenset({*APPEND_ONLY_TABLES, "django_admin_log"})

# The only tables the app deletes from, and why.
DELETING = {
    "django_session": "logout, the new session key at login, clearsessions",
    "auth_user_groups": "a role change removes the previous role group",
    "axes_accessattempt": "django-axes resets attempts at a successful login and expires them",
    "axes_accessattemptexpiration": "removed with its attempt",
    "axes_accesslog": "django-axes trims old access logs (axes_reset_logs)",
    "axes_accessfailurelog": "django-axes trims old failure logs",
    "django_tasks_database_dbtaskresult": "prune_db_task_results removes finished tasks",
    "api_idempotentrequest": "api_purge_idempotency drops stored answers past their days",
    "inventory_purchaseorderline": "editing a draft purchase order replaces its lines",
    "inventory_salesorderline": "editing a draft sales order replaces its lines",
}

PRIVILEGES = {
    "read": "SELECT",
    "insert": "SELECT, INSERT",
    "write": "SELECT, INSERT, UPDATE",
    "delete": "SELECT, INSERT, UPDATE, DELETE",
}
HEADINGS = {
    "read": "Read only: the app never writes these.",
    "insert": "Append-only history: rows are added, never updated, deleted or truncated.",
    "write": "Rows the app adds and updates, and never deletes.",
    "delete": "Rows the app also deletes (see DELETING in db_roles.py for why).",
}


def model_tables() -> list[str]:
    """Return the tables of the installed models (many-to-many tables included)."""
    tables = {"django_migrations"}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            tables.add(model._meta.db_table)
    return sorted(tables)


def table_access() -> dict[str, str]:
    """Return each table's access class: read, insert, write or delete."""
    access = {}
    for table in model_tables():
        if table in READ_ONLY:
            access[table] = "read"
        elif table in INSERT_ONLY:
            access[table] = "insert"
        elif table in DELETING:
            access[table] = "delete"
        else:
            access[table] = "write"
    return access


def setup_sql(owner: str, app: str) -> str:
    """Return the superuser's part: roles, connect and schema rights, object ownership."""
    return f"""\
-- Part 1 of 2: run once as a superuser, before the owner's first migrate. Idempotent.
-- Then give each role a password: \\password {owner} and \\password {app} in psql.

DO $$
BEGIN
    IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        RAISE EXCEPTION 'Run the setup part as a superuser, not as %', current_user;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{owner}') THEN
        CREATE ROLE {owner} LOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{app}') THEN
        CREATE ROLE {app} LOGIN;
    END IF;
END
$$;
-- Neither role may bypass permissions, triggers or row security, nor create roles or databases.
ALTER ROLE {owner} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
ALTER ROLE {app} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
-- A member of the owner role would hold the owner's rights: the app role must not be one.
DO $$
BEGIN
    IF pg_has_role('{app}', '{owner}', 'MEMBER') THEN
        REVOKE {owner} FROM {app};
    END IF;
END
$$;

-- Only these two roles (and superusers) connect; the database name is the current one.
DO $$
BEGIN
    EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO {owner}, {app}', current_database());
END
$$;
-- Extensions the migrations use: the owner may not create them (migration 0013).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
-- Only the owner creates objects (PostgreSQL before 15 lets every role create in public).
ALTER SCHEMA public OWNER TO {owner};
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO {app};

-- A database first migrated by another role (such as postgres): its tables (with their
-- identity sequences), other sequences and functions pass to the owner. Objects of an
-- extension stay with the extension.
DO $$
DECLARE
    object_name text;
BEGIN
    FOR object_name IN
        SELECT c.oid::regclass::text FROM pg_class c
        WHERE c.relnamespace = 'public'::regnamespace
          AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
          AND c.relowner <> '{owner}'::regrole
          AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
    LOOP
        EXECUTE format('ALTER TABLE %s OWNER TO {owner}', object_name);
    END LOOP;
    FOR object_name IN
        SELECT c.oid::regclass::text FROM pg_class c
        WHERE c.relnamespace = 'public'::regnamespace
          AND c.relkind = 'S'
          AND c.relowner <> '{owner}'::regrole
          AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
    LOOP
        EXECUTE format('ALTER SEQUENCE %s OWNER TO {owner}', object_name);
    END LOOP;
    FOR object_name IN
        SELECT p.oid::regprocedure::text FROM pg_proc p
        WHERE p.pronamespace = 'public'::regnamespace
          AND p.proowner <> '{owner}'::regrole
          AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
    LOOP
        EXECUTE format('ALTER ROUTINE %s OWNER TO {owner}', object_name);
    END LOOP;
END
$$;
"""


def grants_sql(owner: str, app: str) -> str:
    """Return the owner's part: the app role's privileges, table by table."""
    by_access: dict[str, list[str]] = {name: [] for name in PRIVILEGES}
    for table, access in table_access().items():
        by_access[access].append(table)
    lines = [
        "-- Part 2 of 2: run as the owner (or a superuser) after every migrate. Idempotent.",
        "",
        "-- Another role's GRANT or REVOKE would only warn and change nothing: refuse it.",
        "DO $$",
        "BEGIN",
        f"    IF NOT pg_has_role(current_user, '{owner}', 'USAGE') THEN",
        f"        RAISE EXCEPTION 'Run the grants part as {owner} or a superuser, not as %',",
        "            current_user;",
        "    END IF;",
        "END",
        "$$;",
        "",
        "-- Start from nothing, so a privilege taken away here is taken away in the database.",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {app};",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {app};",
    ]
    for access, tables in by_access.items():
        if not tables:
            continue
        listed = ",\n".join(f"    {table}" for table in tables)
        lines += ["", f"-- {HEADINGS[access]}"]
        lines.append(f"GRANT {PRIVILEGES[access]} ON TABLE\n{listed}\nTO {app};")
    lines += [
        "",
        "-- A table a later migration creates: read and written at once, DELETE only once it is",
        "-- listed in db_roles.py and this part runs again. No sequence privileges: Django's",
        "-- identity columns draw their values without them.",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public",
        f"    GRANT SELECT, INSERT, UPDATE ON TABLES TO {app};",
        "",
    ]
    return "\n".join(lines)


class Command(BaseCommand):
    help = (
        "Print the SQL that sets up a PostgreSQL owner role (runs migrations, owns the "
        "tables) and an app role (no DDL; no UPDATE, DELETE or TRUNCATE of history)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--owner", default="inventory_owner", help="role that migrates")
        parser.add_argument("--app", default="inventory_app", help="role the app connects as")
        parser.add_argument(
            "--part",
            choices=["setup", "grants"],
            help="print one part only (default: both): setup as a superuser once, "
            "grants as the owner after every migrate",
        )
        parser.add_argument(
            "--execute",
            action="store_true",
            help="run the SQL on DATABASE_URL's database, in one transaction, instead of "
            "printing it (for the grants after a migrate, where psql is not at hand)",
        )

    def handle(self, *args, owner, app, part, execute, **options):
        for name in (owner, app):
            if not ROLE_NAME.match(name):
                raise CommandError(
                    f"Role name {name!r}: use lower-case letters, digits and underscores, "
                    "starting with a letter or underscore (at most 63 characters)."
                )
        if owner == app:
            raise CommandError("The owner and the app role must be two different roles.")
        parts = []
        if part in (None, "setup"):
            parts.append(setup_sql(owner, app))
        if part in (None, "grants"):
            parts.append(grants_sql(owner, app))
        sql = "\n".join(parts)
        if not execute:
            self.stdout.write(sql, ending="")
            return
        if connection.vendor != "postgresql":
            raise CommandError(
                "Database roles are PostgreSQL's: DATABASE_URL names another database."
            )
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql)  # no parameters: format()'s % signs reach PostgreSQL as is
        except DatabaseError as exc:
            diagnostic = getattr(exc.__cause__, "diag", None)
            message = getattr(diagnostic, "message_primary", None) or str(exc).strip()
            raise CommandError(f"Nothing was changed: {message}") from exc
        self.stdout.write(f"db_roles: {part or 'setup and grants'} applied for {app}.")
