"""Posting throughput against PostgreSQL, compared with pgbench on the same server.

    scripts/pg-tmp.sh .venv/bin/python -m bench.posting [--workers 8] [--seconds 20] [--items 1000]
    (or `make bench-posting`)

Worker processes (as gunicorn runs them; --threads for threads of one process),
each with its own database connection, call stock_receive and stock_issue, half and
half, on random items of 1,000 in one store for 20 seconds. Items have a reorder
level of 5, so postings also check low-stock alerts, as in a real shop.
It prints throughput, p50/p95 latency, refusals, the round trips one posting makes and
the verify_ledger result; then runs `pgbench -b tpcb-like` with the same client
count on the same server (its own database, scale 1) and prints the ratio. It does
this for --rounds rounds (3), ours and pgbench interleaved so that both meet the
same moments of a shared machine, and prints the median ratio.

With --ceilings each round also times transactions of as many trivial statements as
a posting sends, with no rule, through the ORM and through Django's cursor: what any
posting making those round trips could reach.

Each round posts on 1,000 items of its own, seeded at 20 units, so every round measures the same
workload (the stock of a random walk without reorders drifts: later rounds on the
same items would lock more lots and refuse more issues); the tables keep growing
across rounds, and every round starts, as pgbench's do, on vacuumed tables.

Alert e-mails are queued for a worker (TASKS_BACKEND=database), as the README's
production set-up does.
"""

import argparse
import contextlib
import random
import statistics
import threading
import time
import uuid
from decimal import Decimal

from . import harness
from .harness import say
from .pgbench import PgBench

INITIAL = Decimal("20")


def seed(items: int, user, prefix: str):
    """A store of its own with `items` items, each 20 units in one lot."""
    from django.db import transaction

    from inventory.services.stock import stock_receive

    stores, item_rows, _supplier, _customer = harness.make_catalog(
        items=items, stores=1, prefix=prefix, reorder_level=5
    )
    with transaction.atomic():  # one commit for the opening stock, not 1,000
        for item in item_rows:
            stock_receive(actor=user, item=item, store=stores[0], quantity=INITIAL)
    return stores[0], item_rows


def count_round_trips(user, store, item) -> tuple[int, int]:
    """Return the round trips one receipt and one issue make: the statements sent,
    plus the transaction commands psycopg sends on its own."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from inventory.services.stock import stock_issue, stock_receive

    markers = {"BEGIN", "COMMIT", "ROLLBACK"}  # Django's log lines, sent or not

    def trips(post) -> int:
        with harness.transaction_commands() as sent, CaptureQueriesContext(connection) as log:
            post(actor=user, item=item, store=store, quantity=1, idempotency_key=uuid.uuid4().hex)
        return len(sent) + sum(q["sql"] not in markers for q in log.captured_queries)

    return trips(stock_receive), trips(stock_issue)


def empty_transaction(mode: str, statements: int):
    """A transaction of `statements` trivial statements and no rule: the ceiling that
    any posting making as many round trips can reach, through the ORM ("orm": a
    primary-key read of a store) or through Django's cursor ("cursor": SELECT 1)."""
    from django.db import connection, transaction

    from inventory.models import Store

    def run(store):
        with transaction.atomic():
            if mode == "orm":
                for _ in range(statements):
                    Store.objects.filter(pk=store.pk).first()
            else:
                with connection.cursor() as cursor:
                    for _ in range(statements):
                        cursor.execute("SELECT 1")
                        cursor.fetchone()

    return run


def worker(user, store, items, deadline, barrier, out, seed_value, ceiling=None):
    from django.db import connection

    from inventory.exceptions import InventoryError
    from inventory.services.stock import stock_issue, stock_receive

    rng = random.Random(seed_value)
    latencies, refusals, errors = [], 0, []
    try:
        barrier.wait(timeout=60)
        stop_at = deadline["at"]
        while time.monotonic() < stop_at:
            item = rng.choice(items)
            quantity = rng.randint(1, 5)
            started = time.perf_counter()
            try:
                if ceiling is not None:
                    ceiling(store)
                elif rng.random() < 0.5:
                    stock_receive(
                        actor=user,
                        item=item,
                        store=store,
                        quantity=quantity,
                        idempotency_key=uuid.uuid4().hex,
                    )
                else:
                    stock_issue(
                        actor=user,
                        item=item,
                        store=store,
                        quantity=quantity,
                        idempotency_key=uuid.uuid4().hex,
                    )
            except InventoryError:
                refusals += 1
            except Exception as exc:  # reported below; any of these fails the run
                errors.append(repr(exc))
            latencies.append(time.perf_counter() - started)
    finally:
        connection.close()
        out.append((latencies, refusals, errors))


def _process_worker(user_pk, store_pk, item_pks, seconds, barrier, queue, seed_value, ceiling):
    """One worker process, like one gunicorn worker: its own interpreter and connection."""
    from django.contrib.auth import get_user_model

    from inventory.models import Item, Store

    user = get_user_model().objects.get(pk=user_pk)
    store = Store.objects.get(pk=store_pk)
    by_pk = Item.objects.in_bulk(item_pks)
    items = [by_pk[pk] for pk in item_pks]
    out: list = []
    barrier.wait(timeout=120)
    deadline = {"at": time.monotonic() + seconds}
    runs = empty_transaction(*ceiling) if ceiling else None
    worker(user, store, items, deadline, threading.Barrier(1), out, seed_value, runs)
    queue.put(out[0])


def run_ours_processes(args, user, store, items, ceiling=None) -> dict:
    """Run the workers as forked processes, so Python's GIL does not cap throughput."""
    import multiprocessing

    from django.db import connections

    connections.close_all()  # children must not share the parent's connection
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(args.workers + 1)
    queue = ctx.Queue()
    procs = [
        ctx.Process(
            target=_process_worker,
            args=(
                user.pk,
                store.pk,
                [i.pk for i in items],
                args.seconds,
                barrier,
                queue,
                1000 + n,
                ceiling,
            ),
        )
        for n in range(args.workers)
    ]
    for proc in procs:
        proc.start()
    barrier.wait(timeout=120)
    started = time.monotonic()
    out = [queue.get(timeout=args.seconds + 120) for _ in procs]
    elapsed = time.monotonic() - started
    for proc in procs:
        proc.join(timeout=30)
    return _summarise(out, elapsed)


def run_ours(args, user, store, items) -> dict:
    out: list = []
    barrier = threading.Barrier(args.workers + 1)
    deadline: dict = {}
    threads = [
        threading.Thread(
            target=worker,
            args=(user, store, items, deadline, barrier, out, 1000 + n),
            daemon=True,
        )
        for n in range(args.workers)
    ]
    for t in threads:
        t.start()
    # The deadline is set just before the barrier releases the workers.
    deadline["at"] = time.monotonic() + args.seconds
    started = time.monotonic()
    barrier.wait(timeout=60)
    for t in threads:
        t.join(timeout=args.seconds + 120)
    elapsed = time.monotonic() - started
    return _summarise(out, elapsed)


def _summarise(out, elapsed) -> dict:
    latencies = [x for lat, _, _ in out for x in lat]
    refusals = sum(r for _, r, _ in out)
    errors = [e for _, _, errs in out for e in errs]
    ops = len(latencies)
    return {
        "ops": ops,
        "elapsed": elapsed,
        "tps": (ops - refusals) / elapsed if elapsed else 0.0,
        "attempts_per_s": ops / elapsed if elapsed else 0.0,
        "p50": harness.percentile(latencies, 50) * 1000,
        "p95": harness.percentile(latencies, 95) * 1000,
        "refusals": refusals,
        "errors": errors,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.posting", description=__doc__)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--no-pgbench", action="store_true")
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="rounds of ours then pgbench, interleaved; the ratio is their median (default 3)",
    )
    parser.add_argument(
        "--threads",
        action="store_true",
        help="run the workers as threads of one process (default: one process each)",
    )
    parser.add_argument(
        "--ceilings",
        action="store_true",
        help="also time transactions of as many trivial statements as a posting sends, "
        "through the ORM and through Django's cursor, with no rule (processes only)",
    )
    args = parser.parse_args(argv)

    run = harness.start("posting", env={"TASKS_BACKEND": "database"})
    try:
        user, _ = harness.make_user("bench-poster", "Manager")
        store, items = seed(1, user, "POST0")
        receipt_trips, issue_trips = count_round_trips(user, store, items[0])
        say(f"round trips per posting: receipt {receipt_trips}, issue {issue_trips}")
        runner = run_ours if args.threads else run_ours_processes
        kind = "threads" if args.threads else "processes"
        ratios, clean, ceiling_ratios = [], True, {}
        with contextlib.ExitStack() as stack:
            pgbench = None if args.no_pgbench else stack.enter_context(PgBench(run, args.workers))
            for number in range(1, args.rounds + 1):
                # Every round posts the same workload from the same start: its own
                # 1,000 items at 20 units each (the tables keep what earlier rounds
                # wrote), on tables vacuumed first, as pgbench vacuums its own.
                t0 = time.monotonic()
                store, items = seed(args.items, user, f"POST{number}")
                run.vacuum()
                say(
                    f"round {number}: seeded {len(items)} items x {INITIAL} in a store of "
                    f"their own and vacuumed ({time.monotonic() - t0:.1f}s)"
                )
                ours = runner(args, user, store, items)
                clean, ledger_line = harness.verify_ledger()
                say(
                    f"round {number}: ours: {args.workers} {kind} x {args.seconds}s: "
                    f"{ours['ops']} postings ({ours['refusals']} refused), "
                    f"{ours['tps']:.0f} ops/s committed ({ours['attempts_per_s']:.0f} attempts/s); "
                    f"p50 {ours['p50']:.1f} ms, p95 {ours['p95']:.1f} ms; "
                    f"errors {len(ours['errors'])}"
                )
                for error in ours["errors"][:5]:
                    say(f"  error: {error}")
                say(f"round {number}: verify_ledger: {ledger_line}")
                if not clean or ours["errors"]:
                    return 1
                ceilings = {}
                if args.ceilings and not args.threads:
                    statements = issue_trips - 2  # less BEGIN and COMMIT
                    for mode in ("orm", "cursor"):
                        done = runner(args, user, store, items, ceiling=(mode, statements))
                        ceilings[mode] = done["tps"]
                        say(
                            f"round {number}: ceiling, {statements} trivial statements per "
                            f"transaction through the {mode}: {done['tps']:.0f} tx/s"
                        )
                tps = pgbench.tps(args.seconds) if pgbench is not None else None
                if tps:
                    ratios.append(ours["tps"] / tps)
                    say(
                        f"round {number}: pgbench: `{pgbench.command(args.seconds)}` (scale 1, "
                        f"own database, same server): {tps:.0f} tps; ratio {ratios[-1]:.2f}"
                    )
                    for mode, rate in ceilings.items():
                        ceiling_ratios.setdefault(mode, []).append(rate / tps)
        if ratios:
            ratio = statistics.median(ratios)
            say(
                f"ratio ours/pgbench, median of {len(ratios)} rounds: {ratio:.2f} "
                f"(floor >= 0.3: {'met' if ratio >= 0.3 else 'NOT met'})"
            )
        for mode, found in ceiling_ratios.items():
            say(
                f"ceiling through the {mode} (no rule, same round trips)/pgbench, median: "
                f"{statistics.median(found):.2f}"
            )
        return 0
    finally:
        run.finish()


if __name__ == "__main__":
    raise SystemExit(main())
