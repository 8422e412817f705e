"""What users feel, end to end: rate, p50 and p95 of the main pages through gunicorn.

    scripts/pg-tmp.sh .venv/bin/python -m bench.http [--seconds 10] [--rounds 1]
        [--clients 8] [--workers 4] [--conn-max-age 60] [--scenarios login,items,...]
                                                                  (or `make bench-http`)

Migrates a fresh database, seeds 1,000 items with stock in one store, starts gunicorn
(4 workers, PostgreSQL, persistent connections: CONN_MAX_AGE=60 by default) and runs
8 client processes, each logged in as its own Staff user through the real login form
(CSRF included). Scenarios run one after another, each for a fixed time with all
clients at once (with --rounds N the whole list N times, interleaved, and the table
gives medians):

- GET /login/ (anonymous; the baseline every other figure is divided by),
- GET /password/ signed in: Django's own password form, the login page's twin plus
  what every signed-in page pays (the session, the user and its role, the menu); the
  table also divides every figure by this floor,
- GET /items/ (the first page of 1,000 items), GET /sales/quick/ (the empty form),
- POST /sales/quick/ with 1 and with 5 lines, GET /purchases/new/, POST of a direct
  purchase with 1 line.

A POST reads the form once for its field names and CSRF token, then posts it with a
fresh idempotency token each time. A POST counts as a success when it answers with the
redirect to the new document and the success message ("... recorded", "... received")
travels in the messages cookie of that redirect; the message is read from the cookie
instead of following the redirect, so the rate is the POST's own. At the end the sales
and purchase orders in the database must equal the successes counted.

CPU per request is the CPU the gunicorn workers (utime + stime in /proc/<pid>/stat) and
the PostgreSQL server (every process of the cluster, reaped backends included) used
during the scenario, divided by its requests. The machine is shared, so only ratios
within one run are comparable; "machine busy" shows how much CPU everything used.

Scenarios are entries of SCENARIOS in bench/http_scenarios.py (prepare untimed, step
timed): an API scenario is one more entry.
"""

import argparse
import multiprocessing
import statistics
import time
from dataclasses import dataclass

from . import harness
from .cpu import CpuCounters
from .harness import say
from .http_scenarios import BY_NAME, DEFAULT, PREFIX, Scenario, client_main

# --- the run ------------------------------------------------------------------------


def seed(args) -> tuple[dict, list[tuple[str, str]]]:
    """1,000 items with plenty of stock in the selling store; one Staff user per client."""
    from inventory.services.stock import stock_receive

    stores, items, supplier, _customer = harness.make_catalog(
        items=args.items, stores=2, prefix=PREFIX
    )
    manager, _ = harness.make_user("http-manager", "Manager")
    for item in items:
        # Enough for every sale of the run to succeed, in one lot per item.
        stock_receive(actor=manager, item=item, store=stores[0], quantity=1_000_000)
    users = [harness.make_user(f"http-staff-{n}", "Staff") for n in range(args.clients)]
    from api.bench_scenario import api_token_for

    data = {
        # One API token per client (a till of its own), for the API quick sale.
        "tokens": [api_token_for(user) for user, _password in users],
        "sell_store": stores[0].pk,
        "buy_store": stores[1].pk,
        # The supplier picker posts the name shown and the id chosen from its list.
        "supplier": supplier.pk,
        "supplier_name": supplier.name,
        "items": [item.pk for item in items],
        # The item pickers post what a person types: the SKU (resolved by the server).
        "skus": {item.pk: item.sku for item in items},
    }
    return data, [(user.username, password) for user, password in users]


@dataclass
class Figures:
    """One scenario in one round: what the clients timed and the CPU used meanwhile."""

    scenario: Scenario
    seconds: list[float]
    failures: int
    elapsed: float
    cpu: dict  # seconds used during the scenario: app, db, clients, machine
    first_failure: str

    @property
    def done(self) -> int:
        return len(self.seconds) + self.failures

    @property
    def rate(self) -> float:
        return len(self.seconds) / self.elapsed if self.elapsed else 0.0


def run_scenario(scenario, args, queues, results, ready, go, counters) -> Figures:
    for q in queues:
        q.put((scenario.name, args.seconds))
    ready.wait()
    before = counters.read()
    go.wait()
    collected = [results.get(timeout=args.seconds + 120)[1] for _ in queues]
    after = counters.read()
    first = next((r.error or r.first_failure for r in collected if r.error or r.failures), "")
    return Figures(
        scenario,
        [s for r in collected for s in r.seconds],
        sum(r.failures for r in collected),
        max(r.ended for r in collected) - min(r.started for r in collected),
        {k: after[k] - before[k] for k in after},
        first,
    )


def _median_ratio(rounds: list[list[Figures]], index: int, base: str) -> float:
    """The median over the rounds of a scenario's rate against `base`'s in that round."""
    ratios = []
    for r in rounds:
        rate = next((f.rate for f in r if f.scenario.name == base), 0.0)
        ratios.append(r[index].rate / rate if rate else float("nan"))
    return statistics.median(ratios)


def print_table(rounds: list[list[Figures]], args) -> None:
    """One row per scenario: median rate and ratio over the rounds (each round's ratio
    against that round's GET /login/), latencies and CPU over every request."""
    say(
        f"\n{args.clients} clients, gunicorn -w {args.workers}, CONN_MAX_AGE={args.conn_max_age}, "
        f"{args.seconds:g} s per scenario, {len(rounds)} round(s) (medians); CPU in ms per "
        "request (app = gunicorn workers, db = PostgreSQL)\n"
    )
    say(
        "| scenario | ok | failed | req/s | ratio to login | target | ratio to signed-in "
        "| p50 ms | p95 ms | CPU app | CPU db | CPU total | CPU clients | machine busy |"
    )
    say("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for index, scenario in enumerate(rounds[0]):
        runs = [r[index] for r in rounds]
        ratio = _median_ratio(rounds, index, "login")
        signed_in = _median_ratio(rounds, index, "signed-in")
        seconds = [s for f in runs for s in f.seconds]
        done = max(sum(f.done for f in runs), 1)
        cpu = {k: sum(f.cpu[k] for f in runs) / done * 1000 for k in ("app", "db", "clients")}
        busy = sum(f.cpu["machine"] for f in runs) / max(sum(f.elapsed for f in runs), 1e-9)
        target = ""
        if scenario.scenario.target is not None:
            verdict = "met" if ratio >= scenario.scenario.target else "NOT met"
            target = f"≥ {scenario.scenario.target:g}: {verdict}"
        say(
            f"| {scenario.scenario.label} | {len(seconds):,} | {sum(f.failures for f in runs)} "
            f"| {statistics.median([f.rate for f in runs]):,.0f} | {ratio:.2f} | {target} "
            f"| {signed_in:.2f} | {harness.percentile(seconds, 50) * 1000:.1f} "
            f"| {harness.percentile(seconds, 95) * 1000:.1f} | {cpu['app']:.1f} | {cpu['db']:.1f} "
            f"| {cpu['app'] + cpu['db']:.1f} | {cpu['clients']:.1f} | {busy:.2f} cores |"
        )
    if len(rounds) > 1:
        say("\nratio to login in each round:")
        for index, scenario in enumerate(rounds[0]):
            per_round = []
            for r in rounds:
                login = next((f.rate for f in r if f.scenario.name == "login"), 0.0)
                per_round.append(f"{r[index].rate / login:.2f}" if login else "n/a")
            say(f"  {scenario.scenario.label}: {', '.join(per_round)}")
    api_vs_form = [
        by["api-quick-1"].rate / by["quick-1"].rate
        for by in ({f.scenario.name: f for f in r} for r in rounds)
        if "api-quick-1" in by and by.get("quick-1") and by["quick-1"].rate
    ]
    if api_vs_form:
        median = statistics.median(api_vs_form)
        verdict = "met" if median >= 1 else "NOT met"
        say(
            f"\nAPI quick sale / HTML form POST, same rounds: {median:.2f} (target >= 1: {verdict})"
        )
    for r in rounds:
        for f in r:
            if f.first_failure:
                say(f"first failure of {f.scenario.label}: {f.first_failure}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.http", description=__doc__)
    parser.add_argument("--seconds", type=float, default=10.0, help="per scenario")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--conn-max-age", type=int, default=60)
    parser.add_argument(
        "--rounds", type=int, default=1, help="run the scenarios this many times, interleaved"
    )
    parser.add_argument(
        "--scenarios", default=",".join(DEFAULT), help=f"comma-separated, of {', '.join(BY_NAME)}"
    )
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.scenarios.split(",") if n.strip()]
    if unknown := [n for n in names if n not in BY_NAME]:
        harness.die(f"unknown scenario(s) {unknown}; known: {', '.join(BY_NAME)}")
    # A bench sends far more than a till: the API's per-token rate limit is lifted.
    env = {"CONN_MAX_AGE": str(args.conn_max_age), "API_THROTTLE_CLIENT": "100000/min"}
    run = harness.start("http", env=env)
    try:
        return bench(run, args, [BY_NAME[n] for n in names])
    finally:
        run.finish()


def bench(run, args, scenarios) -> int:
    from django.db import connections

    from inventory.models import PurchaseOrder, SalesOrder

    started = time.monotonic()
    data, users = seed(args)
    connections.close_all()  # nothing of Django's may cross the fork
    # Planner statistics, as any database that has run a while has them: without them
    # the first scenarios ran on plans made for empty tables.
    harness.vacuum(run.database_url)
    say(
        f"seeded {len(data['items']):,} items and {len(users)} users "
        f"in {time.monotonic() - started:.1f} s"
    )
    context = multiprocessing.get_context("fork")
    with harness.Server(run, workers=args.workers) as server:
        counters = CpuCounters(server.proc.pid, run.database_url)
        queues = [context.Queue() for _ in users]
        results = context.Queue()
        ready, go = context.Barrier(len(users) + 1), context.Barrier(len(users) + 1)
        clients = [
            context.Process(
                target=client_main,
                args=(n, server.url, user, password, data, queues[n], results, ready, go),
                daemon=True,
            )
            for n, (user, password) in enumerate(users)
        ]
        for c in clients:
            c.start()
        rounds: list[list[Figures]] = []
        try:
            for number in range(1, args.rounds + 1):
                rounds.append([])
                for scenario in scenarios:
                    figures = run_scenario(scenario, args, queues, results, ready, go, counters)
                    rounds[-1].append(figures)
                    say(f"  round {number}, {scenario.label}: {figures.rate:,.0f} req/s")
        finally:
            for q in queues:
                q.put(None)
            for c in clients:
                c.join(timeout=30)
                if c.is_alive():
                    c.kill()
        tracebacks = server.errors_logged()

    print_table(rounds, args)
    every = [f for r in rounds for f in r]
    counted = {
        "SalesOrder": SalesOrder.objects.count(),
        "PurchaseOrder": PurchaseOrder.objects.count(),
    }
    ok = tracebacks == 0 and len(rounds) == args.rounds and all(f.failures == 0 for f in every)
    for model, rows in counted.items():
        expected = sum(len(f.seconds) for f in every if f.scenario.counts == model)
        say(f"{model}: {rows:,} in the database, {expected:,} successes counted")
        ok = ok and rows == expected
    clean, line = harness.verify_ledger()
    say(f"verify_ledger: {line}")
    say(f"server tracebacks logged: {tracebacks}")
    return 0 if ok and clean else 1


if __name__ == "__main__":
    raise SystemExit(main())
