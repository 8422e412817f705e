"""The least-privilege roles of `manage.py db_roles`, tried on PostgreSQL.

The command's SQL creates an owner role and an app role in the test database (setup as
the test superuser, grants as the owner, as production runs them). As the app role, a
login of its own cannot rewrite history, and the services still post, sell and receive
(Django's connection switched with SET ROLE, so the very code of production runs).
"""

import io
from decimal import Decimal

import psycopg
import pytest
from axes.models import AccessAttempt
from django.core.management import CommandError, call_command
from django.db import connection

from accounts.roles import Role
from accounts.services import user_set_role
from accounts.tests.factories import PASSWORD
from inventory.checks import check_app_owns_nothing, check_not_superuser
from inventory.db_triggers import APPEND_ONLY_TABLES
from inventory.management.commands.db_roles import model_tables
from inventory.models import LedgerEntry, SalesOrderLine, StockBalance
from inventory.services.purchasing import purchase_direct
from inventory.services.qc import lot_approve
from inventory.services.sales import sales_order_create, sales_order_update, sales_quick_sale
from inventory.services.stock import stock_issue, stock_receive
from inventory.tests.db_roles_helpers import as_role, connect_as, db_roles_sql, pg_only
from inventory.tests.factories import SupplierFactory

INSUFFICIENT_PRIVILEGE = "42501"
INTEGRITY_CONSTRAINT_VIOLATION = "23000"


@pytest.fixture
def history(staff_user, manager_user, item, qc_item, store):
    """Committed rows in every append-only table, visible to other logins."""
    stock_receive(actor=staff_user, item=item, store=store, quantity=5, lot_code="L1")
    stock_receive(actor=staff_user, item=qc_item, store=store, quantity=2, lot_code="Q1")
    lot_approve(actor=manager_user, lot=qc_item.lots.get())
    assert all(_state(table)[0] for table in APPEND_ONLY_TABLES)


def _state(table: str) -> tuple:
    """Every row of the table and whether each of its triggers is enabled."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} ORDER BY id")
        rows = cursor.fetchall()
        cursor.execute(
            "SELECT tgname, tgenabled FROM pg_trigger "
            "WHERE tgrelid = %s::regclass AND NOT tgisinternal ORDER BY tgname",
            [table],
        )
        return rows, cursor.fetchall()


REWRITES = {
    "update": "UPDATE {table} SET created_at = created_at - interval '1 day'",
    "delete": "DELETE FROM {table}",
    "truncate": "TRUNCATE {table}",
    "disable trigger": "ALTER TABLE {table} DISABLE TRIGGER {table}_append_only",
    "disable all triggers": "ALTER TABLE {table} DISABLE TRIGGER ALL",
    "drop trigger": "DROP TRIGGER {table}_append_only ON {table}",
    "drop table": "DROP TABLE {table} CASCADE",
}


@pg_only
@pytest.mark.parametrize("statement", list(REWRITES))
@pytest.mark.parametrize("table", ["inventory_ledgerentry", "inventory_auditevent"])
@pytest.mark.django_db(transaction=True)
def test_the_app_role_cannot_rewrite_history(roles, history, table, statement):
    # given the ledger and audit rows of a receipt, and the app role's own login
    before = _state(table)
    # when it tries to change, empty or unguard the table
    with (
        connect_as(roles["app"], roles["password"]) as app,
        pytest.raises(psycopg.Error) as refused,
    ):
        app.execute(REWRITES[statement].format(table=table))

    # then PostgreSQL refuses for want of privilege, and nothing changed
    assert refused.value.sqlstate == INSUFFICIENT_PRIVILEGE
    assert _state(table) == before
    assert [enabled for _, enabled in before[1]] == ["O", "O"]


@pg_only
@pytest.mark.django_db
def test_the_app_role_creates_no_table_and_grants_itself_nothing(roles):
    with connect_as(roles["app"], roles["password"]) as app:
        with pytest.raises(psycopg.Error) as create:
            app.execute("CREATE TABLE inventory_shadow (id int)")
        # a GRANT without the grant option is only a warning: it grants nothing
        app.execute(f"GRANT DELETE, TRUNCATE ON inventory_ledgerentry TO {roles['app']}")

    assert create.value.sqlstate == INSUFFICIENT_PRIVILEGE
    for table in APPEND_ONLY_TABLES:
        assert _privileges(roles["app"], table) == {"SELECT", "INSERT"}
    assert _privileges(roles["app"], "inventory_stockbalance") == {"SELECT", "INSERT", "UPDATE"}
    assert _privileges(roles["app"], "inventory_salesorderline") == {
        "SELECT",
        "INSERT",
        "UPDATE",
        "DELETE",
    }


def _privileges(role: str, table: str) -> set[str]:
    kinds = ["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT kind FROM unnest(%s::text[]) kind WHERE has_table_privilege(%s, %s, kind)",
            [kinds, role, table],
        )
        return {kind for (kind,) in cursor.fetchall()}


@pg_only
@pytest.mark.parametrize("table", APPEND_ONLY_TABLES)
@pytest.mark.django_db(transaction=True)
def test_truncate_is_refused_even_to_the_owner(roles, history, table):
    before = _state(table)

    with (
        connect_as(roles["owner"], roles["password"]) as owner,
        pytest.raises(psycopg.Error, match=f"{table} is append-only: TRUNCATE refused") as e,
    ):
        owner.execute(f"TRUNCATE {table} CASCADE")

    assert e.value.sqlstate == INTEGRITY_CONSTRAINT_VIOLATION
    assert _state(table) == before


@pg_only
@pytest.mark.django_db(transaction=True)
def test_the_owner_migrates_the_search_indexes_once_the_setup_made_the_extension(roles):
    """Migration 0013 as production runs it: the owner may not create pg_trgm, so the
    setup part (a superuser's) does, and then the owner's migrate makes the indexes."""
    from importlib import import_module

    statements = import_module("inventory.migrations.0013_item_text_search_indexes").CREATE
    settings = connection.settings_dict
    superuser = connect_as(settings["USER"], settings["PASSWORD"])
    owner, app, password = roles["owner"], roles["app"], roles["password"]
    try:
        superuser.execute("DROP EXTENSION pg_trgm CASCADE")  # and with it the two indexes
        with connect_as(owner, password) as as_owner, pytest.raises(psycopg.Error) as refused:
            as_owner.execute(statements[0])
        assert refused.value.sqlstate == INSUFFICIENT_PRIVILEGE

        with superuser.transaction():
            superuser.execute(db_roles_sql("setup", owner, app))
        with connect_as(owner, password) as as_owner, as_owner.transaction():
            for sql in statements:
                as_owner.execute(sql)

        found = superuser.execute(
            "SELECT indexname FROM pg_indexes WHERE indexdef LIKE '%%gin_trgm_ops%%' ORDER BY 1"
        ).fetchall()
        assert found == [("item_name_trgm",), ("item_sku_trgm",)]
    finally:  # whatever happened, the database keeps what the migrations made
        for sql in statements:
            superuser.execute(sql.replace("INDEX ", "INDEX IF NOT EXISTS ", 1))
        superuser.close()


def _current_user() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        return cursor.fetchone()[0]


@pg_only
@pytest.mark.django_db(transaction=True)
def test_postings_a_sale_and_a_receipt_succeed_as_the_app_role(roles, staff_user, item, store):
    supplier = SupplierFactory()
    with as_role(roles["app"]):
        assert _current_user() == roles["app"]
        # a posting: a receipt into a new lot, then a direct issue from it
        receipt = stock_receive(actor=staff_user, item=item, store=store, quantity=10, lot_code="A")
        issue = stock_issue(actor=staff_user, item=item, store=store, quantity=3)
        # a quick sale: the order and its shipment in one transaction
        sale = sales_quick_sale(
            actor=staff_user,
            store=store,
            customer=None,
            lines=[(item, "2", None)],
            idempotency_key="quick-sale",
        )
        # a purchase receipt: a RECEIVED order and its lot at once
        purchase = purchase_direct(
            actor=staff_user,
            supplier=supplier,
            store=store,
            lines=[{"item": item, "quantity": "4", "unit_cost": "2.50", "lot_code": "B"}],
            idempotency_key="direct-purchase",
        )
        verified = io.StringIO()
        call_command("verify_ledger", stdout=verified)

    assert [e.on_hand_delta for e in receipt.entries] == [Decimal("10")]
    assert [e.on_hand_delta for e in issue.entries] == [Decimal("-3")]
    assert sale.order.status == "SHIPPED"
    assert purchase.order.status == "RECEIVED"
    balances = {b.lot.code: b.on_hand for b in StockBalance.objects.select_related("lot")}
    assert balances == {"A": Decimal("5"), "B": Decimal("4")}
    assert LedgerEntry.objects.count() == 4  # receive, issue, the sale's issue, receive
    assert verified.getvalue().startswith("verify_ledger: OK")


@pg_only
@pytest.mark.django_db(transaction=True)
def test_the_rows_the_app_deletes_it_may_delete(
    roles, client, staff_user, admin_role_user, item, store
):
    with as_role(roles["app"]):
        # a draft order edited: its lines are replaced
        order = sales_order_create(
            actor=staff_user, store=store, customer=None, lines=[(item, "1", None)]
        )
        sales_order_update(
            actor=staff_user, order=order, store=store, customer=None, lines=[(item, "2", None)]
        )
        # a role change: the previous role group is removed
        user_set_role(actor=admin_role_user, user=staff_user, role=Role.MANAGER)
        # a failed login, then a login (axes resets the attempts; the session gets a new
        # key) and a logout, through the test client on this same connection
        failed = client.post("/login/", {"username": staff_user.username, "password": "wrong"})
        logged_in = client.post("/login/", {"username": staff_user.username, "password": PASSWORD})
        logged_out = client.post("/logout/")
        attempts_left = AccessAttempt.objects.count()

    assert failed.status_code == 200
    assert attempts_left == 0
    assert [line.quantity for line in SalesOrderLine.objects.all()] == [Decimal("2")]
    assert list(staff_user.groups.values_list("name", flat=True)) == ["Manager"]
    assert (logged_in.status_code, logged_out.status_code) == (302, 302)
    assert "_auth_user_id" not in client.session


@pg_only
@pytest.mark.django_db
def test_the_grants_part_run_by_the_owner_resets_the_app_roles_privileges(roles):
    owner, app = roles["owner"], roles["app"]
    with as_role(owner):
        # given privileges drifted: the app may rewrite the ledger, and lost a DELETE it needs
        _run(f"GRANT UPDATE, DELETE, TRUNCATE ON inventory_ledgerentry TO {app}")
        _run(f"REVOKE DELETE ON django_session FROM {app}")
        drifted = _privileges(app, "inventory_ledgerentry"), _privileges(app, "django_session")
        # when the owner runs the grants part again, as after a migrate
        out = io.StringIO()
        call_command("db_roles", owner=owner, app=app, part="grants", execute=True, stdout=out)

    assert drifted == (
        {"SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE"},
        {"SELECT", "INSERT", "UPDATE"},
    )
    assert _privileges(app, "inventory_ledgerentry") == {"SELECT", "INSERT"}
    assert _privileges(app, "django_session") == {"SELECT", "INSERT", "UPDATE", "DELETE"}
    assert out.getvalue() == f"db_roles: grants applied for {app}.\n"


@pg_only
@pytest.mark.django_db
def test_the_grants_part_refuses_to_run_as_the_app_role(roles):
    owner, app = roles["owner"], roles["app"]
    before = {table: _privileges(app, table) for table in model_tables()}

    with as_role(app), pytest.raises(CommandError) as refused:
        call_command("db_roles", owner=owner, app=app, part="grants", execute=True)

    assert str(refused.value) == (
        f"Nothing was changed: Run the grants part as {owner} or a superuser, not as {app}"
    )
    assert {table: _privileges(app, table) for table in model_tables()} == before


def _run(sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql)


def _warnings() -> list[str]:
    found = check_not_superuser(None, databases=["default"])
    found += check_app_owns_nothing(None, databases=["default"])
    return [warning.id for warning in found]


@pg_only
@pytest.mark.django_db
def test_the_checks_advise_against_a_superuser_or_an_owner_as_the_app(roles):
    # the test database's own user is a superuser (and so holds every owner's rights)
    as_superuser = _warnings()
    with as_role(roles["owner"]):
        as_owner = _warnings()
    with as_role(roles["app"]):
        as_app = _warnings()

    assert as_superuser == ["inventory.W001", "inventory.W002"]
    assert as_owner == ["inventory.W002"]
    assert as_app == []
