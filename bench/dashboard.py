"""Dashboard response time with 10,000 and with 1,000,000 ledger rows (PostgreSQL only).

    scripts/pg-tmp.sh .venv/bin/python -m bench.dashboard [--small 10000] [--large 1000000]
    (or `make bench-dashboard`)

The data model a growing business: the same daily volume (about 333 movements a
day), first 30 days of it (10,000 rows), then eight more years of history before
that (1,000,000 rows in all). Rows are bulk-inserted with INSERT ... SELECT
generate_series (the append-only triggers refuse only UPDATE and DELETE): receipts
against purchase order lines, reservations, issues and returns against sales order
lines, adjustments; 1 purchase order per 20 rows and 1 sales order per 10 rows,
with their lines. Balances are then set to the sums of the ledger, as the services
would have left them. The catalogue stays the same size: 3 stores, 200 items, 1,000
lots.

The dashboard's default view (all stores, last 30 days) and a one-store view are
requested through django.test.Client logged in as a manager: 2 warm-up requests,
then --runs timed ones; the median is printed. The target is a large/small ratio
of at most 1.5: the dashboard reads the period's rows through the created_at index
and the balances, never the whole ledger.
"""

import argparse
import statistics
import time
from datetime import timedelta
from decimal import Decimal

from . import harness
from .harness import say

STORES = 3
ITEMS = 200
LOTS_PER_ITEM = 5
DAY_SECONDS = 86400
WINDOW_DAYS = 30
TARGET = 1.5

# One block of 10 consecutive rows per (store, lot): 4 receipts of 10, 3 issues of 3,
# 1 return of 1, 1 reservation of 2, 1 count adjustment of -1. Every balance stays
# at on hand >= reserved >= 0.
KIND_SQL = """
CASE WHEN g % 10 < 4 THEN 'RECEIVE' WHEN g % 10 < 7 THEN 'ISSUE'
     WHEN g % 10 = 7 THEN 'RETURN' WHEN g % 10 = 8 THEN 'RESERVE' ELSE 'ADJUST' END
"""


def _table(model) -> str:
    return model._meta.db_table


def seed_catalog():
    """Create the manager, stores, items and lots (a few in quarantine); return them."""
    from django.utils import timezone

    from inventory.models import Item, Lot

    manager, _ = harness.make_user("bench-manager", "Manager")
    stores, items, _supplier, _customer = harness.make_catalog(
        items=ITEMS, stores=STORES, prefix="DASH"
    )
    Item.objects.filter(pk__in=[i.pk for i in items[:20]]).update(reorder_level=Decimal("5000"))
    received = timezone.now() - timedelta(days=9 * 366)
    Lot.objects.bulk_create(
        Lot(
            item=items[n % ITEMS],
            code=f"DASH-L{n:05d}",
            qc_status="QUARANTINE" if n % 100 == 99 else "APPROVED",
            unit_cost=Decimal("1.00") + Decimal("0.50") * (n % 17),
            received_at=received,
        )
        for n in range(ITEMS * LOTS_PER_ITEM)
    )
    lots = list(Lot.objects.filter(code__startswith="DASH-L").order_by("code"))
    return manager, stores, lots


def _lookup_tables(cursor, stores, lots):
    """Temporary tables mapping a row's store and lot numbers to their ids."""
    cursor.execute("CREATE TEMP TABLE IF NOT EXISTS bench_store (n int PRIMARY KEY, id bigint)")
    cursor.execute(
        "CREATE TEMP TABLE IF NOT EXISTS bench_lot "
        "(n int PRIMARY KEY, id bigint, item_id bigint, unit_cost numeric)"
    )
    cursor.execute("TRUNCATE bench_store, bench_lot")
    cursor.executemany(
        "INSERT INTO bench_store VALUES (%s, %s)", [(n, s.pk) for n, s in enumerate(stores)]
    )
    cursor.executemany(
        "INSERT INTO bench_lot VALUES (%s, %s, %s, %s)",
        [(n, lot.pk, lot.item_id, lot.unit_cost) for n, lot in enumerate(lots)],
    )


def insert_rows(
    *, first, last, newest, oldest, window, manager, stores, lots, customers=()
) -> None:
    """Insert ledger rows g in [first, last), spread evenly from `newest` back to `oldest`,
    with their operations (1 per 10 rows) and orders (1 PO per 20 rows, 1 SO per 10), and
    an audit event per operation. Sales orders go round `customers` (ids), every fifth
    one to a walk-in; all are walk-ins when `customers` is empty."""
    from django.db import connection

    from inventory.models import (
        AuditEvent,
        LedgerEntry,
        Operation,
        PurchaseOrder,
        PurchaseOrderLine,
        SalesOrder,
        SalesOrderLine,
    )

    span = (newest - oldest).total_seconds()
    count = last - first
    params = {
        "first": first,
        "last": last - 1,
        "count": count,
        "newest": newest,
        "step": span / count,
        "stores": len(stores),
        "lots": len(lots),
        "window": window,
        "actor": manager.pk,
        "supplier": lots[0].item.supplier_id,
        "customers": len(customers),
    }
    # the time of row g: newest for g = first, going back by `step` seconds per row
    at = "(%(newest)s::timestamptz - ((g - %(first)s) * %(step)s) * interval '1 second')"
    store_of = "(SELECT id FROM bench_store WHERE n = (g / 10) %% %(stores)s)"
    lot_n = "((g / (10 * %(stores)s)) %% %(lots)s)"
    customer_of = (
        "CASE WHEN (g / 10) %% 5 = 0 OR %(customers)s = 0 THEN NULL ELSE "
        "(SELECT id FROM bench_customer WHERE n = (g / 10) %% GREATEST(%(customers)s, 1)) END"
    )
    with connection.cursor() as cursor:
        _lookup_tables(cursor, stores, lots)
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS bench_customer (n int PRIMARY KEY, id bigint)"
        )
        cursor.execute("TRUNCATE bench_customer")
        cursor.executemany("INSERT INTO bench_customer VALUES (%s, %s)", list(enumerate(customers)))
        # one audit event per operation, as each posting writes
        cursor.execute(
            f"""
            INSERT INTO {_table(AuditEvent)} (actor_id, actor_username, action, object_type,
                object_id, object_repr, details, ip_address, user_agent, created_at)
            SELECT %(actor)s, 'bench-manager',
                   CASE WHEN g %% 20 = 0 THEN 'stock.receive' ELSE 'stock.issue' END,
                   'Operation', (10000000 + g / 10)::text, '', '{{}}'::jsonb, NULL, '', {at}
            FROM generate_series(%(first)s, %(last)s) AS g WHERE g %% 10 = 0
            """,
            params,
        )
        # operations (one per block of 10 rows): ids from 10,000,000 keep them apart
        cursor.execute(
            f"""
            INSERT INTO {_table(Operation)} (id, kind, idempotency_key, actor_id, created_at)
            SELECT 10000000 + g / 10, 'BENCH', NULL, %(actor)s, {at}
            FROM generate_series(%(first)s, %(last)s) AS g WHERE g %% 10 = 0
            """,
            params,
        )
        # purchase orders and their lines: PO number p covers rows 20p .. 20p + 19
        cursor.execute(
            f"""
            INSERT INTO {_table(PurchaseOrder)}
                (id, supplier_id, store_id, status, note, created_by_id, created_at, updated_at)
            SELECT 10000000 + g / 20, %(supplier)s, {store_of},
                   CASE WHEN {at} >= %(window)s AND (g / 20) %% 4 = 0 THEN 'ORDERED'
                        ELSE 'RECEIVED' END,
                   '', %(actor)s, {at}, {at}
            FROM generate_series(%(first)s, %(last)s) AS g WHERE g %% 20 = 0
            """,
            params,
        )
        cursor.execute(
            f"""
            INSERT INTO {_table(PurchaseOrderLine)}
                (id, order_id, item_id, quantity_ordered, unit_cost, quantity_received)
            SELECT 10000000 + g / 20, 10000000 + g / 20,
                   (SELECT item_id FROM bench_lot WHERE n = {lot_n}), 1000, 2.00, 0
            FROM generate_series(%(first)s, %(last)s) AS g WHERE g %% 20 = 0
            """,
            params,
        )
        cursor.execute(
            f"""
            INSERT INTO {_table(SalesOrder)}
                (id, customer_id, store_id, status, note, created_by_id, created_at, updated_at)
            SELECT 10000000 + g / 10, {customer_of}, {store_of},
                   CASE WHEN {at} >= %(window)s AND (g / 10) %% 4 = 0 THEN 'CONFIRMED'
                        ELSE 'SHIPPED' END,
                   '', %(actor)s, {at}, {at}
            FROM generate_series(%(first)s, %(last)s) AS g WHERE g %% 10 = 0
            """,
            params,
        )
        cursor.execute(
            f"""
            INSERT INTO {_table(SalesOrderLine)}
                (id, order_id, item_id, quantity, unit_price, quantity_reserved,
                 quantity_shipped, quantity_returned)
            SELECT 10000000 + g / 10, 10000000 + g / 10,
                   (SELECT item_id FROM bench_lot WHERE n = {lot_n}), 1000, 5.00, 0, 0, 0
            FROM generate_series(%(first)s, %(last)s) AS g WHERE g %% 10 = 0
            """,
            params,
        )
        kind = KIND_SQL.replace("%", "%%")
        cursor.execute(
            f"""
            INSERT INTO {_table(LedgerEntry)}
                (operation_id, kind, item_id, store_id, lot_id, quantity, on_hand_delta,
                 reserved_delta, unit_cost, actor_id, created_at, po_line_id, so_line_id,
                 reason, note, reverses_id)
            SELECT 10000000 + g / 10, {kind}, l.item_id, s.id, l.id,
                   CASE WHEN g %% 10 < 4 THEN 10 WHEN g %% 10 < 7 THEN 3
                        WHEN g %% 10 = 8 THEN 2 ELSE 1 END,
                   CASE WHEN g %% 10 < 4 THEN 10 WHEN g %% 10 < 7 THEN -3
                        WHEN g %% 10 = 7 THEN 1 WHEN g %% 10 = 8 THEN 0 ELSE -1 END,
                   CASE WHEN g %% 10 = 8 THEN 2 ELSE 0 END,
                   l.unit_cost, %(actor)s, {at},
                   CASE WHEN g %% 10 < 4 THEN 10000000 + g / 20 END,
                   CASE WHEN g %% 10 BETWEEN 4 AND 8 THEN 10000000 + g / 10 END,
                   CASE WHEN g %% 10 = 9 THEN 'COUNT' ELSE '' END, '', NULL
            FROM generate_series(%(first)s, %(last)s) AS g
            JOIN bench_lot AS l ON l.n = {lot_n}
            JOIN bench_store AS s ON s.n = (g / 10) %% %(stores)s
            """,
            params,
        )
        for model in (Operation, PurchaseOrder, PurchaseOrderLine, SalesOrder, SalesOrderLine):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{_table(model)}', 'id'), "
                f"(SELECT max(id) FROM {_table(model)}))"
            )


def sync_balances() -> None:
    """Set every balance to the sums of its ledger rows, as the services keep them."""
    from django.db import connection

    from inventory.models import LedgerEntry, StockBalance

    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {_table(StockBalance)} (store_id, lot_id, item_id, on_hand, reserved)
            SELECT store_id, lot_id, item_id, sum(on_hand_delta), sum(reserved_delta)
            FROM {_table(LedgerEntry)} GROUP BY store_id, lot_id, item_id
            ON CONFLICT (store_id, lot_id)
            DO UPDATE SET on_hand = EXCLUDED.on_hand, reserved = EXCLUDED.reserved
            """
        )
        cursor.execute("ANALYZE")


OPEN_ORDER_INDEXES = [
    "CREATE INDEX bench_po_open ON inventory_purchaseorder (status) "
    "WHERE status IN ('ORDERED', 'PARTIALLY_RECEIVED')",
    "CREATE INDEX bench_so_open ON inventory_salesorder (status) "
    "WHERE status IN ('CONFIRMED', 'PARTIALLY_SHIPPED')",
]


def add_open_order_indexes() -> None:
    """The partial indexes proposed for the open-order counts (not in the schema yet)."""
    from django.db import connection

    with connection.cursor() as cursor:
        for statement in OPEN_ORDER_INDEXES:
            cursor.execute(statement)
        cursor.execute("ANALYZE inventory_purchaseorder, inventory_salesorder")


def time_dashboard(client, params: dict, runs: int) -> tuple[float, int]:
    """Return (median seconds, queries) of GET /dashboard/ after 2 warm-up requests."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):
        response = client.get("/dashboard/", params)
        if response.status_code != 200:
            harness.die(f"/dashboard/ answered {response.status_code}")
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get("/dashboard/", params)
        timings.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as queries:
        client.get("/dashboard/", params)
    return statistics.median(timings), len(queries.captured_queries)


def slowest_queries(client, top: int) -> list[tuple[float, str]]:
    """Return the `top` slowest statements of one /dashboard/ request, in ms."""
    from django.db import connection

    timed = []

    def timer(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timed.append(((time.perf_counter() - started) * 1000, " ".join(sql.split())))

    with connection.execute_wrapper(timer):
        client.get("/dashboard/")
    return sorted(timed, reverse=True)[:top]


def counts() -> str:
    from inventory.models import LedgerEntry, PurchaseOrder, SalesOrder, StockBalance

    return (
        f"{LedgerEntry.objects.count():,} ledger rows, {PurchaseOrder.objects.count():,} POs, "
        f"{SalesOrder.objects.count():,} SOs, {StockBalance.objects.count():,} balances"
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.dashboard", description=__doc__)
    parser.add_argument("--small", type=int, default=10_000, help="rows in the first 30 days")
    parser.add_argument("--large", type=int, default=1_000_000, help="rows in all")
    parser.add_argument("--runs", type=int, default=9, help="timed requests per measure")
    parser.add_argument("--top", type=int, default=0, help="print the N slowest queries")
    parser.add_argument(
        "--open-order-indexes",
        action="store_true",
        help="then add partial indexes on open PO/SO statuses and time the large size again",
    )
    args = parser.parse_args(argv)
    if args.large <= args.small:
        harness.die("--large must be greater than --small")

    run = harness.start("dashboard")
    try:
        from django.test import Client
        from django.test.utils import override_settings
        from django.utils import timezone

        # Plain static storage: the bench measures the page, not collectstatic.
        with override_settings(
            STORAGES={
                "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
            },
            ALLOWED_HOSTS=["testserver"],
        ):
            manager, stores, lots = seed_catalog()
            client = Client()
            client.force_login(manager)
            now = timezone.now()
            window_start = now - timedelta(days=WINDOW_DAYS)
            per_day = args.small / WINDOW_DAYS
            history_days = (args.large - args.small) / per_day
            results = {}

            for label, first, last, newest, oldest in [
                ("small", 0, args.small, now, window_start),
                (
                    "large",
                    args.small,
                    args.large,
                    window_start,
                    window_start - timedelta(days=round(history_days)),
                ),
            ]:
                started = time.perf_counter()
                insert_rows(
                    first=first,
                    last=last,
                    newest=newest,
                    oldest=oldest,
                    window=window_start,
                    manager=manager,
                    stores=stores,
                    lots=lots,
                )
                sync_balances()
                say(f"[{label}] filled in {time.perf_counter() - started:.1f} s: {counts()}")
                default, queries = time_dashboard(client, {}, args.runs)
                one_store, _ = time_dashboard(client, {"store": stores[0].pk}, args.runs)
                results[label] = (default, one_store)
                for ms, sql in slowest_queries(client, args.top):
                    say(f"    {ms:7.1f} ms  {sql[:150]}")
                say(
                    f"[{label}] GET /dashboard/ median of {args.runs}: {default * 1000:.1f} ms "
                    f"(all stores, last 30 days, {queries} queries); "
                    f"{one_store * 1000:.1f} ms (one store)"
                )

            say()
            say(
                f"History: {args.small:,} rows in the last {WINDOW_DAYS} days, then "
                f"{args.large:,} rows reaching back {history_days / 365:.1f} years more."
            )
            ok = True
            for n, view in enumerate(["all stores", "one store"]):
                small, large = results["small"][n], results["large"][n]
                ratio = large / small
                ok = ok and ratio <= TARGET
                say(
                    f"Dashboard ({view}): {small * 1000:.1f} ms at {args.small:,} rows, "
                    f"{large * 1000:.1f} ms at {args.large:,} rows: ratio {ratio:.2f} "
                    f"(target <= {TARGET}) {'OK' if ratio <= TARGET else 'OVER TARGET'}"
                )
            if args.open_order_indexes:
                add_open_order_indexes()
                default, _ = time_dashboard(client, {}, args.runs)
                one_store, _ = time_dashboard(client, {"store": stores[0].pk}, args.runs)
                for n, value in enumerate([default, one_store]):
                    view = ["all stores", "one store"][n]
                    say(
                        f"With partial indexes on open order statuses ({view}): "
                        f"{value * 1000:.1f} ms at {args.large:,} rows: ratio "
                        f"{value / results['small'][n]:.2f}"
                    )
            clean, line = harness.verify_ledger()
            say(f"verify_ledger: {line}")
            return 0 if ok and clean else 1
    finally:
        run.finish()


if __name__ == "__main__":
    raise SystemExit(main())
