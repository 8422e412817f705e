"""Read-replica routing: the dashboard and the CSV exports read the replica; services and
everything else stay on the primary.

The replica here is a second alias pointing at the same test database (what a real
replica holds), added for the test with the router switched on, as READ_REPLICA_URL
does in settings.py. The tests commit (transaction=True): the replica's connection is a
second session and sees only committed rows.
"""

import os
import subprocess
import sys
from decimal import Decimal

import pytest
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from inventory.models import Item, LedgerEntry, StockBalance
from inventory.selectors.dashboard import dashboard_figures
from inventory.selectors.replica import read_alias, replica_reads
from inventory.services.sales import sales_quick_sale
from inventory.services.stock import stock_receive
from inventory_system.db_router import REPLICA, ReplicaRouter

pytestmark = pytest.mark.django_db(transaction=True)
ROUTER = "inventory_system.db_router.ReplicaRouter"


@pytest.fixture
def replica():
    """Add a "replica" alias on the default test database and switch the router on."""
    settings_dict = dict(connections[DEFAULT_DB_ALIAS].settings_dict)
    settings_dict["TEST"] = {**settings_dict.get("TEST", {}), "MIRROR": DEFAULT_DB_ALIAS}
    connections.settings[REPLICA] = settings_dict
    try:
        # Connected here: the test case allows only the aliases known when it was set up.
        connections[REPLICA].connect()
        with override_settings(DATABASE_ROUTERS=[ROUTER]):
            yield connections[REPLICA]
    finally:
        if hasattr(connections._connections, REPLICA):
            connections[REPLICA].close()
            del connections[REPLICA]
        del connections.settings[REPLICA]


@pytest.fixture
def stocked(manager_user, store, item):
    """Stock received and one quick sale, committed on the primary."""
    stock_receive(actor=manager_user, item=item, store=store, quantity=10)
    sales_quick_sale(
        actor=manager_user,
        store=store,
        customer=None,
        lines=[(item, 2, None)],
        idempotency_key=None,
    )
    return item


def captured(replica_connection):
    return (
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]),
        CaptureQueriesContext(replica_connection),
    )


def test_without_a_replica_reports_read_the_primary(stocked):
    # given no replica configured, when the dashboard is read
    on_default = CaptureQueriesContext(connections[DEFAULT_DB_ALIAS])
    with on_default:
        figures = dashboard_figures()
    # then every query ran on the primary
    assert read_alias() == DEFAULT_DB_ALIAS
    assert REPLICA not in connections.settings
    assert len(on_default.captured_queries) > 0
    assert figures["totals"]["sold_lines"] == 1


def test_dashboard_reads_only_the_replica(replica, stocked, store):
    # given the number of queries the dashboard runs
    with CaptureQueriesContext(replica):
        expected = dashboard_figures()
    default, on_replica = captured(replica)
    # when it is read with the replica on
    with default, on_replica:
        figures = dashboard_figures()
    # then every one of its queries ran on the replica, none on the primary
    assert read_alias() == REPLICA
    assert default.captured_queries == []
    assert len(on_replica.captured_queries) >= 10
    assert figures == expected
    assert figures["totals"]["sold_lines"] == 1
    assert figures["stock_value_by_store"][0]["items"] == 1


def test_dashboard_page_reads_its_figures_from_the_replica(replica, stocked, manager_client):
    default, on_replica = captured(replica)
    with default, on_replica:
        response = manager_client.get(reverse("inventory:dashboard"))
    assert response.status_code == 200
    assert response.context["totals"]["sold_lines"] == 1
    on_primary = " ".join(q["sql"] for q in default.captured_queries)
    # The session, the user and the filter form's stores stay on the primary.
    assert "inventory_ledgerentry" not in on_primary
    assert "inventory_stockbalance" not in on_primary
    assert any("inventory_ledgerentry" in q["sql"] for q in on_replica.captured_queries)


def test_movements_export_reads_the_replica(replica, stocked, manager_client):
    default, on_replica = captured(replica)
    with default, on_replica:
        response = manager_client.get(reverse("inventory:ledger_export"))
        lines = b"".join(response.streaming_content).decode().splitlines()
    assert response.status_code == 200
    # header, the receipt, and the sale's reserve, issue (and unreserve when it writes one)
    assert len(lines) == 1 + LedgerEntry.objects.count()
    assert not any("inventory_ledgerentry" in q["sql"] for q in default.captured_queries)
    replica_sql = [q["sql"] for q in on_replica.captured_queries]
    assert len(replica_sql) >= 1
    assert all("inventory_ledgerentry" in sql for sql in replica_sql)


def test_audit_export_reads_the_replica(replica, stocked, manager_client):
    default, on_replica = captured(replica)
    with default, on_replica:
        response = manager_client.get(reverse("inventory:audit_export"))
        lines = b"".join(response.streaming_content).decode().splitlines()
    assert response.status_code == 200
    assert len(lines) > 1
    assert not any("inventory_auditevent" in q["sql"] for q in default.captured_queries)
    assert any("inventory_auditevent" in q["sql"] for q in on_replica.captured_queries)


def test_stock_export_reads_the_replica(replica, stocked, manager_client):
    default, on_replica = captured(replica)
    with default, on_replica:
        response = manager_client.get(reverse("inventory:stock_export"))
        lines = b"".join(response.streaming_content).decode().splitlines()
    assert response.status_code == 200 and len(lines) == 2  # the header, the one pair
    assert not any("inventory_stockbalance" in q["sql"] for q in default.captured_queries)
    assert any("inventory_stockbalance" in q["sql"] for q in on_replica.captured_queries)


def test_services_write_and_lock_on_the_primary(replica, manager_user, store, item):
    # given the replica on, when stock is received and sold
    default, on_replica = captured(replica)
    with default, on_replica:
        stock_receive(actor=manager_user, item=item, store=store, quantity=5)
        sales_quick_sale(
            actor=manager_user,
            store=store,
            customer=None,
            lines=[(item, 1, None)],
            idempotency_key=None,
        )
    # then nothing ran on the replica, and the primary took the writes
    assert on_replica.captured_queries == []
    assert any("INSERT" in q["sql"] for q in default.captured_queries)
    assert StockBalance.objects.get(item=item, store=store).on_hand == Decimal("4.000")


def test_inside_replica_reads_a_transaction_still_reads_and_locks_the_primary(replica, item):
    default, on_replica = captured(replica)
    with default, on_replica, replica_reads():
        outside = Item.objects.get(pk=item.pk)
        with transaction.atomic():
            locked = Item.objects.select_for_update().get(pk=item.pk)
            locked.name = "Renamed under lock"
            locked.save(update_fields=["name"])
    assert outside._state.db == REPLICA
    assert locked._state.db == DEFAULT_DB_ALIAS
    assert len(on_replica.captured_queries) == 1
    primary_sql = [q["sql"] for q in default.captured_queries]
    assert (
        any("FOR UPDATE" in sql for sql in primary_sql)
        or connections[DEFAULT_DB_ALIAS].vendor == "sqlite"
    )  # SQLite has no FOR UPDATE: its write lock is the transaction's
    assert any(sql.startswith("UPDATE") for sql in primary_sql)


def test_an_object_read_from_the_replica_is_saved_on_the_primary(replica, item):
    copy = Item.objects.using(REPLICA).get(pk=item.pk)
    default, on_replica = captured(replica)
    with default, on_replica:
        copy.name = "Saved from a replica read"
        copy.save(update_fields=["name"])
    assert on_replica.captured_queries == []
    assert [q["sql"].split()[0] for q in default.captured_queries] == ["UPDATE"]
    assert Item.objects.get(pk=item.pk).name == "Saved from a replica read"


def test_the_replica_is_never_migrated():
    router = ReplicaRouter()
    assert router.allow_migrate(REPLICA, "inventory") is False
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "inventory") is None
    assert router.db_for_write(Item) == DEFAULT_DB_ALIAS


@pytest.mark.django_db(transaction=False)
def test_read_replica_url_adds_the_alias_and_the_router():
    code = (
        "from django.conf import settings as s; "
        "r = s.DATABASES['replica']; "
        "print(r['ENGINE'], r['NAME'], r['HOST'], r['TEST']['MIRROR'], r['CONN_MAX_AGE'], "
        "s.DATABASES['default']['CONN_MAX_AGE'], r['CONN_HEALTH_CHECKS'], s.DATABASE_ROUTERS)"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "inventory_system.settings",
        "DATABASE_URL": "postgres://app@primary.example/inventory",
        "READ_REPLICA_URL": "postgres://reader@replica.example/inventory",
    }
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.split()
    assert out == [
        "django.db.backends.postgresql",
        "inventory",
        "replica.example",
        "default",
        "60",
        "60",
        "True",
        "['inventory_system.db_router.ReplicaRouter']",
    ]
