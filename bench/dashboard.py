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

from . import harness
from .harness import say
from .history import (  # noqa: F401 - bench.pages reaches these through this module
    DAY_SECONDS,
    ITEMS,
    LOTS_PER_ITEM,
    STORES,
    WINDOW_DAYS,
    add_open_order_indexes,
    counts,
    insert_rows,
    seed_catalog,
    sync_balances,
)

TARGET = 1.5


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
