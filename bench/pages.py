"""Every list and detail page, deep pages included, at 10,000 and at 1,000,000 ledger rows
(PostgreSQL only), and the full movements CSV export through gunicorn as `make serve` runs it.

    scripts/pg-tmp.sh .venv/bin/python -m bench.pages [--small 10000] [--large 1000000]
        [--runs 9] [--no-export] [--only ledger,print]
    (or `make bench-pages`)

The history is bench.dashboard's: the same daily volume (about 333 movements a day), first
30 days of it (10,000 rows), then eight more years before that (1,000,000 rows in all),
bulk-inserted with INSERT ... SELECT generate_series, with 1 purchase order per 20 rows,
1 sales order per 10 (four in five for one of 20 customers), one operation and one audit
event per 10 rows. The catalogue stays the same size: 3 stores, 200 items, 1,000 lots,
one supplier (so its page faces all 50,000 purchase orders).

Each page is requested through django.test.Client logged in as an Admin: one warm-up
request, then --runs timed ones; the median is printed with the large/small ratio (target:
at most 1.5) and the page's query count. Deep pages are the oldest page (?oldest=1) and
the page older than the middle row of the history (?older=<its cursor>): a keyset page
reads the same few rows at any depth.

Then gunicorn starts as `make serve` starts it (bench/export.py: gunicorn.conf.py, 4
workers, no timeout flag) and a manager downloads GET /ledger/export.csv in full: lines,
megabytes, seconds and the serving worker's peak resident memory (VmHWM) are printed
for each size.
"""

import argparse
import contextlib
import os
import statistics
import time
from datetime import timedelta

from . import dashboard, harness
from .export import measure_export
from .harness import say

TARGET = 1.5
CUSTOMERS = 20


def _middle_cursor(queryset) -> str:
    """The cursor of the row halfway down a newest-first list (one OFFSET read, set-up only)."""
    from inventory.selectors.keyset import encode_cursor

    rows = queryset.order_by("-created_at", "-pk")
    return encode_cursor(rows[rows.count() // 2])


def pages(*, stores, lots, customer, supplier, manager) -> list[tuple[str, str]]:
    """Return (label, URL) of every page to time, deep pages resolved for this history."""
    from inventory.models import AuditEvent, LedgerEntry, PurchaseOrder, SalesOrder

    oldest_entry = LedgerEntry.objects.order_by("created_at", "pk").first()
    oldest_week = oldest_entry.created_at.date()
    oldest_so = SalesOrder.objects.order_by("created_at", "pk").first()
    oldest_po = PurchaseOrder.objects.order_by("created_at", "pk").first()
    item = lots[0].item
    return [
        ("dashboard", "/dashboard/"),
        ("sales by item", "/reports/sales-by-item/"),
        (
            "sales by item, oldest week",
            "/reports/sales-by-item/"
            f"?date_from={oldest_week}&date_to={oldest_week + timedelta(days=6)}",
        ),
        ("items", "/items/"),
        ("item detail", f"/items/{item.pk}/"),
        ("item detail, oldest movements", f"/items/{item.pk}/?oldest=1"),
        ("stock levels", "/stock/"),
        ("lots (QC queue)", "/lots/"),
        ("lot detail", f"/lots/{lots[7].pk}/"),
        ("lot detail, oldest movements", f"/lots/{lots[7].pk}/?oldest=1"),
        ("alerts", "/alerts/"),
        ("categories", "/categories/"),
        ("stores", "/stores/"),
        ("suppliers", "/suppliers/"),
        ("customers", "/customers/"),
        ("users", "/users/"),
        ("movements", "/ledger/"),
        ("movements, oldest page", "/ledger/?oldest=1"),
        (
            "movements, older than the middle",
            f"/ledger/?older={_middle_cursor(LedgerEntry.objects)}",
        ),
        ("movements kind=ADJUST & store", f"/ledger/?kind=ADJUST&store={stores[0].pk}"),
        ("movements item=", f"/ledger/?item={item.pk}"),
        ("movements store=", f"/ledger/?store={stores[1].pk}"),
        ("movements user=", f"/ledger/?user={manager.pk}"),
        ("movements lot=", f"/ledger/?lot={lots[7].code}"),
        (
            "movements, oldest week",
            f"/ledger/?date_from={oldest_week}&date_to={oldest_week + timedelta(days=6)}",
        ),
        ("movements, item oldest page", f"/ledger/?item={item.pk}&oldest=1"),
        ("movement detail, oldest", f"/ledger/{oldest_entry.pk}/"),
        ("audit log", "/audit/"),
        ("audit log, oldest page", "/audit/?oldest=1"),
        ("audit log, older than the middle", f"/audit/?older={_middle_cursor(AuditEvent.objects)}"),
        ("audit log action=stock.receive", "/audit/?action=stock.receive"),
        ("sales orders", "/sales/"),
        ("sales orders, oldest page", "/sales/?oldest=1"),
        (
            "sales orders, older than the middle",
            f"/sales/?older={_middle_cursor(SalesOrder.objects)}",
        ),
        ("sales orders customer=", f"/sales/?customer={customer.pk}"),
        ("sales orders status=CONFIRMED", "/sales/?status=CONFIRMED"),
        ("sales order detail, oldest", f"/sales/{oldest_so.pk}/"),
        ("purchases", "/purchases/"),
        ("purchases, oldest page", "/purchases/?oldest=1"),
        (
            "purchases, older than the middle",
            f"/purchases/?older={_middle_cursor(PurchaseOrder.objects)}",
        ),
        ("purchases status=ORDERED", "/purchases/?status=ORDERED"),
        ("purchase detail, oldest", f"/purchases/{oldest_po.pk}/"),
        ("printed purchase order, oldest", f"/purchases/{oldest_po.pk}/print/"),
        ("printed delivery note, oldest", f"/sales/{oldest_so.pk}/print/"),
        ("reorder", f"/purchases/reorder/?store={stores[0].pk}"),
        (
            "reorder, a supplier's draft filled in",
            f"/purchases/order/new/?reorder=1&store={stores[0].pk}&supplier={supplier.pk}",
        ),
        ("supplier detail", f"/suppliers/{supplier.pk}/"),
        ("supplier detail, oldest orders", f"/suppliers/{supplier.pk}/?oldest=1"),
        ("customer detail", f"/customers/{customer.pk}/"),
        ("customer detail, oldest orders", f"/customers/{customer.pk}/?oldest=1"),
    ]


@contextlib.contextmanager
def using(wrapper):
    """Make `wrapper` this thread's default connection (both databases stay connected)."""
    from django.db import connections

    previous = connections["default"]
    connections._connections.default = wrapper
    try:
        yield
    finally:
        connections._connections.default = previous


def _get(client, url: str) -> int:
    """GET url; return its statement count."""
    from django.db import connection

    statements = []

    def count(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url)
    if response.status_code != 200:
        harness.die(f"{url} answered {response.status_code}")
    return len(statements)


def time_pair(client, small, large, runs: int) -> dict[str, tuple[float, float, int]]:
    """Time one page on both databases, interleaved, so a burst of load on this shared
    machine falls on both sides alike. Return, for "small" and "large": the median
    seconds of the request, the median seconds spent in the database, and the queries."""
    from django.db import connection

    sides = {"small": small, "large": large}
    queries = {}
    for side, (db, url) in sides.items():
        with using(db):
            queries[side] = _get(client, url)
    timings = {side: [] for side in sides}
    in_sql = {side: [] for side in sides}
    for _ in range(runs):
        for side, (db, url) in sides.items():
            spent = []

            def timer(execute, sql, params, many, context, spent=spent):
                started = time.perf_counter()
                try:
                    return execute(sql, params, many, context)
                finally:
                    spent.append(time.perf_counter() - started)

            with using(db), connection.execute_wrapper(timer):
                started = time.perf_counter()
                client.get(url)
                timings[side].append(time.perf_counter() - started)
            in_sql[side].append(sum(spent))
    return {
        side: (statistics.median(timings[side]), statistics.median(in_sql[side]), queries[side])
        for side in sides
    }


def clone_database(run, name: str):
    """Copy the run's database to `name`; return a connection wrapper for the copy."""
    from django.db import connections

    connections.close_all()  # CREATE DATABASE ... TEMPLATE needs the source idle
    with harness._admin_connect(run.base_url) as admin:
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{run.name}"')
    wrapper = connections.create_connection("default")
    wrapper.settings_dict = {**wrapper.settings_dict, "NAME": name}
    return wrapper


def drop_database(run, name: str) -> None:
    if os.environ.get("BENCH_KEEP_DB") == "1":
        say(f"(database {name} kept: BENCH_KEEP_DB=1)")
        return
    with harness._admin_connect(run.base_url) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def fill(label, *, first, last, newest, oldest, window, manager, stores, lots, customers):
    started = time.perf_counter()
    dashboard.insert_rows(
        first=first,
        last=last,
        newest=newest,
        oldest=oldest,
        window=window,
        manager=manager,
        stores=stores,
        lots=lots,
        customers=[c.pk for c in customers],
    )
    dashboard.sync_balances()
    say(f"[{label}] filled in {time.perf_counter() - started:.1f} s: {dashboard.counts()}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pages", description=__doc__)
    parser.add_argument("--small", type=int, default=10_000, help="rows in the first 30 days")
    parser.add_argument("--large", type=int, default=1_000_000, help="rows in all")
    parser.add_argument("--runs", type=int, default=9, help="timed requests per page and size")
    parser.add_argument("--no-export", action="store_true", help="skip the CSV export")
    parser.add_argument(
        "--only",
        default="",
        help="time only pages whose label contains this (or one of, comma-separated)",
    )
    args = parser.parse_args(argv)
    if args.large <= args.small:
        harness.die("--large must be greater than --small")

    run = harness.start("pages")
    large_name = f"{run.name}_large"
    try:
        from django.db import connections
        from django.test import Client
        from django.test.utils import override_settings
        from django.utils import timezone

        from inventory.models import Customer, Supplier

        with override_settings(
            STORAGES={
                "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
            },
            ALLOWED_HOSTS=["testserver"],
        ):
            manager, stores, lots = dashboard.seed_catalog()
            _, password = harness.make_user("bench-manager", "Manager")
            manager.refresh_from_db()
            Customer.objects.bulk_create(
                Customer(name=f"Bench customer {n:02d}") for n in range(CUSTOMERS)
            )
            customers = list(
                Customer.objects.filter(name__startswith="Bench customer ").order_by("name")
            )
            supplier = Supplier.objects.get(pk=lots[0].item.supplier_id)
            # An Admin sees every page (/users/ included); the manager made every row.
            admin, _ = harness.make_user("bench-admin", "Admin")
            client = Client()
            client.force_login(admin)
            now = timezone.now()
            window_start = now - timedelta(days=dashboard.WINDOW_DAYS)
            history_days = (args.large - args.small) / (args.small / dashboard.WINDOW_DAYS)
            common = {
                "window": window_start,
                "manager": manager,
                "stores": stores,
                "lots": lots,
                "customers": customers,
            }
            # The small history in the run's database, then a copy of it that gets the
            # large history too: both stay up, so every page is timed on both, interleaved.
            fill("small", first=0, last=args.small, newest=now, oldest=window_start, **common)
            page_args = {
                "stores": stores,
                "lots": lots,
                "customer": customers[1],
                "supplier": supplier,
            }
            small_pages = pages(manager=manager, **page_args)
            small_db = connections["default"]
            large_db = clone_database(run, large_name)
            with using(large_db):
                fill(
                    "large",
                    first=args.small,
                    last=args.large,
                    newest=window_start,
                    oldest=window_start - timedelta(days=round(history_days)),
                    **common,
                )
                large_pages = pages(manager=manager, **page_args)

            say()
            say(
                f"| page | {args.small:,} rows | {args.large:,} rows | ratio "
                "| of which SQL | queries |\n|---|---|---|---|---|---|"
            )
            over = []
            for (name, small_url), (_, large_url) in zip(small_pages, large_pages, strict=True):
                if args.only and not any(part in name for part in args.only.split(",")):
                    continue
                timed = time_pair(client, (small_db, small_url), (large_db, large_url), args.runs)
                (small, small_sql, queries), (large, large_sql, large_queries) = (
                    timed["small"],
                    timed["large"],
                )
                ratio = large / small
                if ratio > TARGET:
                    over.append(name)
                if large_queries != queries:
                    queries = f"{queries} / {large_queries}"
                say(
                    f"| {name} | {small * 1000:.1f} ms | {large * 1000:.1f} ms | "
                    f"{ratio:.2f}{' **over**' if ratio > TARGET else ''} | "
                    f"{small_sql * 1000:.1f} / {large_sql * 1000:.1f} ms | {queries} |"
                )
            say()
            say(
                f"Median of {args.runs} requests a page and size after a warm-up, the two sizes "
                "interleaved; 'of which SQL': the median time in the database at each size. "
                f"Target ratio <= {TARGET}. Over target: {', '.join(over) or 'none'}."
            )
            if not args.no_export:
                large_url = run.database_url.rsplit("/", 1)[0] + f"/{large_name}"
                for label, url in (("small", run.database_url), ("large", large_url)):
                    summary = measure_export(run, url, password)
                    say(f"GET /ledger/export.csv at {label} through gunicorn: {summary}")
            for label, db in (("small", small_db), ("large", large_db)):
                with using(db):
                    clean, line = harness.verify_ledger()
                say(f"verify_ledger ({label}): {line}")
            large_db.close()
            return 0 if clean and not over else 1
    finally:
        from django.db import connections

        connections.close_all()
        with contextlib.suppress(Exception):
            drop_database(run, large_name)
        run.finish()


if __name__ == "__main__":
    raise SystemExit(main())
