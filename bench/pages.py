"""Every list and detail page, deep pages included, at 10,000 and at 1,000,000 ledger rows
(PostgreSQL only), and the full movements CSV export through gunicorn as `make serve` runs it.

    scripts/pg-tmp.sh .venv/bin/python -m bench.pages [--small 10000] [--large 1000000]
        [--runs 5] [--no-export] [--only ledger]
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

Then gunicorn starts as `make serve` starts it (gunicorn.conf.py, 4 workers, no timeout
flag) and a manager downloads GET /ledger/export.csv in full: lines, megabytes, seconds
and the serving worker's peak resident memory (VmHWM) are printed for each size.
"""

import argparse
import os
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import timedelta

from . import dashboard, harness
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
        ("items", "/items/"),
        ("item detail", f"/items/{item.pk}/"),
        ("stock levels", "/stock/"),
        ("lots (QC queue)", "/lots/"),
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
        ("supplier detail", f"/suppliers/{supplier.pk}/"),
        ("supplier detail, oldest orders", f"/suppliers/{supplier.pk}/?oldest=1"),
        ("customer detail", f"/customers/{customer.pk}/"),
        ("customer detail, oldest orders", f"/customers/{customer.pk}/?oldest=1"),
    ]


def time_page(client, url: str, runs: int) -> tuple[float, int]:
    """Return (median seconds, queries) of GET url after one warm-up request."""
    from django.db import connection

    statements = []

    def count(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url)
    if response.status_code != 200:
        harness.die(f"{url} answered {response.status_code}")
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(url)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings), len(statements)


def _peak_rss_kb(pids) -> dict[int, int]:
    peaks = {}
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        peaks[pid] = int(line.split()[1])
        except OSError:
            pass
    return peaks


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True)
    return [int(p) for p in out.stdout.split()]


def measure_export(run, password: str) -> str:
    """Serve as `make serve` does and download the full movements CSV; return a summary."""
    harness.collectstatic(run.env)
    port = harness.free_port()
    # make serve: gunicorn inventory_system.wsgi --bind HOST:PORT --workers 4, from the
    # repository root, so gunicorn.conf.py applies (no --timeout flag).
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "inventory_system.wsgi"]
        + ["--bind", f"127.0.0.1:{port}", "--workers", "4"],
        cwd=harness.REPO,
        env={**os.environ, **run.env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(150):
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=2):
                    break
            except OSError:
                time.sleep(0.2)
        session = harness.Session(url, timeout=900)
        session.login("bench-manager", password)
        workers = _children(proc.pid)
        request = urllib.request.Request(f"{url}/ledger/export.csv")
        started = time.perf_counter()
        lines = size = 0
        with session.opener.open(request, timeout=900) as response:
            status = response.status
            while chunk := response.read(1 << 16):
                size += len(chunk)
                lines += chunk.count(b"\n")
        seconds = time.perf_counter() - started
        peaks = sorted(_peak_rss_kb(workers).values()) or [0]
        return (
            f"status {status}, {lines:,} lines ({lines - 1:,} movements), "
            f"{size / 1e6:.0f} MB in {seconds:.1f} s ({(lines - 1) / seconds:,.0f} rows/s); "
            f"peak RSS of the serving worker {peaks[-1] / 1024:.0f} MB "
            f"(the others {peaks[0] / 1024:.0f} MB)"
        )
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pages", description=__doc__)
    parser.add_argument("--small", type=int, default=10_000, help="rows in the first 30 days")
    parser.add_argument("--large", type=int, default=1_000_000, help="rows in all")
    parser.add_argument("--runs", type=int, default=5, help="timed requests per page")
    parser.add_argument("--no-export", action="store_true", help="skip the CSV export")
    parser.add_argument("--only", default="", help="time only pages whose label contains this")
    args = parser.parse_args(argv)
    if args.large <= args.small:
        harness.die("--large must be greater than --small")

    run = harness.start("pages")
    try:
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
            results: dict[str, dict[str, tuple[float, int]]] = {}
            exports = {}
            for label, first, last, newest, oldest in [
                ("small", 0, args.small, now, window_start),
                ("large", args.small, args.large, window_start,
                 window_start - timedelta(days=round(history_days))),
            ]:  # fmt: skip
                started = time.perf_counter()
                dashboard.insert_rows(
                    first=first,
                    last=last,
                    newest=newest,
                    oldest=oldest,
                    window=window_start,
                    manager=manager,
                    stores=stores,
                    lots=lots,
                    customers=[c.pk for c in customers],
                )
                dashboard.sync_balances()
                filled = time.perf_counter() - started
                say(f"[{label}] filled in {filled:.1f} s: {dashboard.counts()}")
                targets = pages(
                    stores=stores,
                    lots=lots,
                    customer=customers[1],
                    supplier=supplier,
                    manager=manager,
                )
                results[label] = {}
                for name, url in targets:
                    if args.only and args.only not in name:
                        continue
                    results[label][name] = time_page(client, url, args.runs)
                    seconds, queries = results[label][name]
                    say(f"[{label}] {seconds * 1000:8.1f} ms  {queries:3d} q  {name}  {url[:60]}")
                if not args.no_export:
                    exports[label] = measure_export(run, password)
                    say(f"[{label}] GET /ledger/export.csv through gunicorn: {exports[label]}")

            say()
            say(
                f"| page | {args.small:,} rows | {args.large:,} rows | ratio | queries |\n"
                "|---|---|---|---|---|"
            )
            over = []
            for name, (small, queries) in results["small"].items():
                large, _ = results["large"][name]
                ratio = large / small
                if ratio > TARGET:
                    over.append(name)
                say(
                    f"| {name} | {small * 1000:.1f} ms | {large * 1000:.1f} ms | "
                    f"{ratio:.2f}{' **over**' if ratio > TARGET else ''} | {queries} |"
                )
            say()
            say(f"Median of {args.runs} requests after a warm-up; target ratio <= {TARGET}.")
            say(f"Over target: {', '.join(over) if over else 'none'}.")
            for label, summary in exports.items():
                say(f"Export at {label}: {summary}")
            clean, line = harness.verify_ledger()
            say(f"verify_ledger: {line}")
            return 0 if clean and not over else 1
    finally:
        run.finish()


if __name__ == "__main__":
    raise SystemExit(main())
