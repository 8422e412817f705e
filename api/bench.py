"""API quick sale vs the HTML quick-sale form, in the same run (gunicorn -w 4, PostgreSQL).

    scripts/pg-tmp.sh .venv/bin/python -m api.bench [--clients 8] [--seconds 10] [--rounds 2]

Each client is its own Staff user: the HTML client is a signed-in session that opened
the form once (for its CSRF token) and then POSTs it with a fresh idempotency key each
time; the API client POSTs JSON with its Bearer token and a fresh Idempotency-Key.
Rounds alternate HTML and API so both see the same database growth. Prints sales per
second for each and exits 1 if the API is slower than the form.
"""

import argparse
import threading
import time
import uuid

from bench import harness
from bench.harness import say

from .bench_scenario import api_quick_sale, api_token_for


def seed(clients: int):
    from inventory.services.stock import stock_receive

    stores, items, _supplier, _customer = harness.make_catalog(items=1, stores=1, prefix="ABENCH")
    store, item = stores[0], items[0]
    manager, _ = harness.make_user("abench-manager", "Manager")
    stock_receive(actor=manager, item=item, store=store, quantity=10_000_000)
    html = [harness.make_user(f"abench-html-{n}") for n in range(clients)]
    api = [api_token_for(harness.make_user(f"abench-api-{n}")[0]) for n in range(clients)]
    return store, item, html, api


class HtmlClient:
    def __init__(self, url, username, password, store, item):
        self.session = harness.Session(url, timeout=60)
        self.session.login(username, password)
        page = self.session.get("/sales/quick/")
        self.form = page.form(has="idempotency_key")
        self.referer = page.url
        self.values = {
            "store": store.pk,
            "customer": "",
            "note": "",
            "lines-TOTAL_FORMS": 1,
            "lines-0-item": item.pk,
            "lines-0-quantity": "1",
            "lines-0-unit_price": "",
        }

    def sell(self) -> bool:
        data = self.form.fill(
            {**self.values, "idempotency_key": uuid.uuid4().hex},
            # main's item picker posts its text as item_q; the id alone is accepted too
            drop=("lines-0-DELETE", "lines-0-item_q"),
        )
        response = self.session.post("/sales/quick/", data, referer=self.referer)
        if response.status != 302:
            self.last_failure = f"{response.status} {response.errors[:2]}"
        return response.status == 302


def measure(sellers, seconds: float) -> tuple[int, int, float]:
    """Run every seller in its own thread for `seconds`; return (ok, failed, elapsed)."""
    counts = [[0, 0] for _ in sellers]
    stop = time.monotonic() + seconds

    def loop(index, sell):
        while time.monotonic() < stop:
            counts[index][0 if sell() else 1] += 1

    threads = [threading.Thread(target=loop, args=(i, s)) for i, s in enumerate(sellers)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return sum(c[0] for c in counts), sum(c[1] for c in counts), elapsed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m api.bench", description=__doc__)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args(argv)
    run = harness.start("api_bench", env={"API_THROTTLE_CLIENT": "1000000/min"})
    try:
        return bench(run, args)
    finally:
        run.finish()


def bench(run, args) -> int:
    from django.db import connections

    store, item, html_users, tokens = seed(args.clients)
    connections.close_all()
    say(
        f"quick sale of 1 unit: {args.clients} clients, {args.seconds:.0f}s per round, "
        f"{args.rounds} rounds each, gunicorn -w {args.workers} on PostgreSQL"
    )
    rates = {"html": [], "api": []}
    failed = {"html": 0, "api": 0}
    with harness.Server(run, workers=args.workers) as server:
        html = [HtmlClient(server.url, u.username, p, store, item) for u, p in html_users]
        for client in html:
            client.last_failure = ""
        api = [
            (
                lambda t=t: (
                    api_quick_sale(server.url, t, store_id=store.pk, item_id=item.pk)[0] == 201
                )
            )
            for t in tokens
        ]
        for round_ in range(args.rounds):
            for name, sellers in (("html", [c.sell for c in html]), ("api", api)):
                ok, bad, elapsed = measure(sellers, args.seconds)
                rates[name].append(ok / elapsed)
                failed[name] += bad
                say(
                    f"round {round_ + 1} {name}: {ok / elapsed:.1f} sales/s ({ok} ok, {bad} failed)"
                )
        tracebacks = server.errors_logged()
    for failure in {c.last_failure for c in html if c.last_failure}:
        say(f"  an html failure: {failure}"[:300])
    html_rate = sorted(rates["html"])[len(rates["html"]) // 2]
    api_rate = sorted(rates["api"])[len(rates["api"]) // 2]
    say(f"html form POST: {html_rate:.1f} sales/s (median of rounds)")
    say(f"api quick sale: {api_rate:.1f} sales/s (median of rounds)")
    say(f"api / html: {api_rate / html_rate:.2f}" if html_rate else "api / html: (no html sale)")
    say(f"failed: html {failed['html']}, api {failed['api']}; server tracebacks: {tracebacks}")
    clean, ledger_line = harness.verify_ledger()
    say(f"verify_ledger: {ledger_line}")
    ok = api_rate >= html_rate and not failed["api"] and not failed["html"] and clean
    say(f"RESULT: {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
