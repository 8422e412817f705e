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

Scenarios are entries of SCENARIOS (prepare untimed, step timed): an API scenario is
one more entry.
"""

import argparse
import base64
import json
import multiprocessing
import os
import random
import re
import statistics
import time
import uuid
import zlib
from dataclasses import dataclass, field

from . import harness
from .harness import say

CLK_TCK = os.sysconf("SC_CLK_TCK")
PREFIX = "HTTP"
SUCCESS = 25  # django.contrib.messages.SUCCESS


# --- clients and scenarios ----------------------------------------------------------


@dataclass
class Client:
    """One browser: a logged-in session, an anonymous one, and what the scenario learned."""

    n: int
    session: harness.Session
    anonymous: harness.Session
    data: dict
    rng: random.Random
    form: harness.Form | None = None


@dataclass
class Outcome:
    seconds: float
    ok: bool
    detail: str = ""


def take_messages(session: harness.Session) -> list[tuple[int, str]]:
    """Return the (level, text) messages the last response left in Django's messages cookie,
    and drop the cookie, as the page the redirect leads to would consume it.

    The cookie is signed, not encrypted: base64 of JSON, zlib-compressed when it starts
    with a dot, then ":" and the signature (django.core.signing)."""
    shown = []
    for cookie in list(session.jar):
        if cookie.name != "messages":
            continue
        session.jar.clear(cookie.domain, cookie.path, cookie.name)
        payload = (cookie.value or "").strip('"').split(":", 1)[0]
        raw = base64.urlsafe_b64decode(payload.lstrip(".") + "=" * (-len(payload) % 4))
        decoded = json.loads(zlib.decompress(raw) if payload.startswith(".") else raw)
        shown += [(m[2], m[3]) for m in decoded if isinstance(m, list) and len(m) >= 4]
    return shown


def get_page(path: str, must_contain: str, *, anonymous: bool = False):
    def step(client: Client) -> Outcome:
        session = client.anonymous if anonymous else client.session
        r = session.get(path)
        ok = r.status == 200 and must_contain in r.text
        return Outcome(r.seconds, ok, "" if ok else f"{r.status} {r.location}")

    return step


def learn_form(path: str):
    def prepare(client: Client) -> None:
        page = client.session.get(path)
        client.form = page.form(has="idempotency_key")
        client.form.action = client.form.action or path

    return prepare


def post_form(path: str, values, expect_location: str, expect_text: str):
    """A timed POST of the learned form with `values(client)` and a fresh idempotency token."""

    def step(client: Client) -> Outcome:
        data = client.form.fill(
            {**values(client), "idempotency_key": uuid.uuid4().hex}, drop=("lines-0-DELETE",)
        )
        r = client.session.post(client.form.action, data, referer=client.session.base_url + path)
        shown = take_messages(client.session)
        if r.status == 302 and re.search(expect_location, r.location):
            if any(level == SUCCESS and expect_text in text for level, text in shown):
                return Outcome(r.seconds, True)
            return Outcome(r.seconds, False, f"redirect without success message: {shown[:1]}")
        errors = r.errors[:2] if r.status == 200 else r.location
        return Outcome(r.seconds, False, f"{r.status} {errors}")

    return step


def sale_lines(count: int):
    def values(client: Client) -> dict:
        d = client.data
        chosen = client.rng.sample(d["items"], count)
        out = {"store": d["sell_store"], "customer": "", "note": "bench.http"}
        out["lines-TOTAL_FORMS"] = count
        for i, item in enumerate(chosen):
            out.update({f"lines-{i}-item": item, f"lines-{i}-quantity": "1"})
            out[f"lines-{i}-unit_price"] = ""
        return out

    return values


def purchase_line(client: Client) -> dict:
    d = client.data
    return {
        "supplier": d["supplier"],
        "store": d["buy_store"],
        "note": "bench.http",
        "lines-TOTAL_FORMS": 1,
        "lines-0-item": client.rng.choice(d["items"]),
        "lines-0-quantity": "2",
        "lines-0-unit_cost": "",
        "lines-0-lot_code": "",
        "lines-0-expires_on": "",
    }


def nothing(client: Client) -> None:
    client.form = None


@dataclass
class Scenario:
    name: str
    label: str
    step: object  # Client -> Outcome, timed
    prepare: object = nothing  # Client -> None, untimed, before the clock starts
    target: float | None = None  # ratio to GET /login/ that the issue asks for
    counts: str = ""  # the model whose new rows must equal the successes


SALE_OK = r"/sales/\d+/$"
PURCHASE_OK = r"/purchases/\d+/$"
SCENARIOS = [
    Scenario("login", "GET /login/", get_page("/login/", 'name="username"', anonymous=True)),
    Scenario("items", "GET /items/", get_page("/items/", f"{PREFIX}-00001"), target=0.5),
    Scenario(
        "quick-form", "GET /sales/quick/", get_page("/sales/quick/", "idempotency_key"), target=0.5
    ),
    Scenario(
        "quick-1",
        "POST /sales/quick/ 1 line",
        post_form("/sales/quick/", sale_lines(1), SALE_OK, "recorded"),
        learn_form("/sales/quick/"),
        target=0.5,
        counts="SalesOrder",
    ),
    Scenario(
        "quick-5",
        "POST /sales/quick/ 5 lines",
        post_form("/sales/quick/", sale_lines(5), SALE_OK, "recorded"),
        learn_form("/sales/quick/"),
        target=0.35,
        counts="SalesOrder",
    ),
    Scenario(
        "purchase-form", "GET /purchases/new/", get_page("/purchases/new/", "idempotency_key")
    ),
    Scenario(
        "purchase-1",
        "POST /purchases/new/ 1 line",
        post_form("/purchases/new/", purchase_line, PURCHASE_OK, "received"),
        learn_form("/purchases/new/"),
        counts="PurchaseOrder",
    ),
    # Not in the default run: `--scenarios login,healthz` with --conn-max-age 0 and 60.
    Scenario("healthz", "GET /healthz", get_page("/healthz", '"ok"', anonymous=True)),
]
BY_NAME = {s.name: s for s in SCENARIOS}
DEFAULT = [s.name for s in SCENARIOS if s.name != "healthz"]


@dataclass
class ClientResult:
    started: float = 0.0
    ended: float = 0.0
    seconds: list[float] = field(default_factory=list)
    failures: int = 0
    first_failure: str = ""
    error: str = ""


def client_main(n, base_url, user, password, data, commands, results, ready, go) -> None:
    """Log in once, then run each scenario the parent names until it sends None."""
    sessions = [harness.Session(base_url, timeout=60) for _ in range(2)]
    client = Client(n, *sessions, data, random.Random(1000 + n))
    login_error = ""
    try:
        client.session.login(user, password)
    except Exception as exc:  # reported with every scenario, never raised
        login_error = f"login failed: {exc!r}"
    while (command := commands.get()) is not None:
        name, seconds = command
        scenario, result = BY_NAME[name], ClientResult(error=login_error)
        try:
            if not login_error:
                scenario.prepare(client)
        except Exception as exc:
            result.error = f"prepare failed: {exc!r}"
        ready.wait()  # the parent reads the CPU counters between the two barriers
        go.wait()
        result.started = time.monotonic()
        deadline = result.started + seconds
        while not result.error and time.monotonic() < deadline:
            try:
                outcome = scenario.step(client)
            except Exception as exc:  # a dropped connection is a failure, not a crash
                outcome = Outcome(0.0, False, repr(exc))
            if outcome.ok:
                result.seconds.append(outcome.seconds)
            else:
                result.failures += 1
                result.first_failure = result.first_failure or outcome.detail[:300]
        result.ended = time.monotonic()
        results.put((n, result))


# --- CPU counters -------------------------------------------------------------------


def _stat(pid: int) -> list[str] | None:
    """Fields 3.. of /proc/<pid>/stat (after the command name, which may hold spaces)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            text = f.read()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()


def _children(ppid: int) -> list[int]:
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (fields := _stat(int(entry))) and int(fields[1]) == ppid:
            pids.append(int(entry))
    return pids


def _ticks(pid: int, *, reaped: bool = False) -> int:
    """utime + stime of a process (plus its reaped children's when `reaped`), in ticks."""
    fields = _stat(pid)
    if fields is None:
        return 0
    total = int(fields[11]) + int(fields[12])
    return total + (int(fields[13]) + int(fields[14]) if reaped else 0)


class CpuCounters:
    """CPU seconds used so far by gunicorn, by the PostgreSQL cluster and by the machine.

    PostgreSQL's processes are the postmaster's children (found from a backend's parent);
    a backend that exited was reaped by the postmaster, so its CPU is in the postmaster's
    cutime/cstime and the sum stays right when CONN_MAX_AGE=0 closes connections."""

    def __init__(self, gunicorn_pid: int, database_url: str):
        import psycopg

        self.gunicorn_pid = gunicorn_pid
        with psycopg.connect(database_url) as conn:
            backend = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
        fields = _stat(backend)
        if fields is None:
            harness.die("PostgreSQL must run on this machine to count its CPU (scripts/pg-tmp.sh)")
        self.postmaster = int(fields[1])

    def read(self) -> dict:
        app = sum(_ticks(p) for p in _children(self.gunicorn_pid)) + _ticks(self.gunicorn_pid)
        db = _ticks(self.postmaster, reaped=True) + sum(
            _ticks(p) for p in _children(self.postmaster)
        )
        clients = _ticks(os.getpid(), reaped=True) + sum(_ticks(p) for p in _children(os.getpid()))
        with open("/proc/stat") as f:
            cpu = [int(v) for v in f.readline().split()[1:]]
        busy = sum(cpu) - cpu[3] - (cpu[4] if len(cpu) > 4 else 0)  # less idle and iowait
        return {
            "app": app / CLK_TCK,
            "db": db / CLK_TCK,
            "clients": clients / CLK_TCK,
            "machine": busy / CLK_TCK,
        }


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
    data = {
        "sell_store": stores[0].pk,
        "buy_store": stores[1].pk,
        "supplier": supplier.pk,
        "items": [item.pk for item in items],
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


def print_table(rounds: list[list[Figures]], args) -> None:
    """One row per scenario: median rate and ratio over the rounds (each round's ratio
    against that round's GET /login/), latencies and CPU over every request."""
    say(
        f"\n{args.clients} clients, gunicorn -w {args.workers}, CONN_MAX_AGE={args.conn_max_age}, "
        f"{args.seconds:g} s per scenario, {len(rounds)} round(s) (medians); CPU in ms per "
        "request (app = gunicorn workers, db = PostgreSQL)\n"
    )
    say(
        "| scenario | ok | failed | req/s | ratio to login | target | p50 ms | p95 ms "
        "| CPU app | CPU db | CPU total | CPU clients | machine busy |"
    )
    say("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for index, scenario in enumerate(rounds[0]):
        runs = [r[index] for r in rounds]
        ratios = []
        for r in rounds:
            login = next((f.rate for f in r if f.scenario.name == "login"), 0.0)
            ratios.append(r[index].rate / login if login else float("nan"))
        ratio = statistics.median(ratios)
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
            f"| {harness.percentile(seconds, 50) * 1000:.1f} "
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
    run = harness.start("http", env={"CONN_MAX_AGE": str(args.conn_max_age)})
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
