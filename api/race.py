"""100 API clients race for 50 units through the real stack (gunicorn -w 4, PostgreSQL).

    scripts/pg-tmp.sh .venv/bin/python -m api.race [--sessions 100] [--stock 50]

The API twin of bench/race.py's quick mode: each client is its own Staff user with its
own token; all are released together by a barrier and POST one quick sale of 1 unit
with a fresh Idempotency-Key. A success is a 201; a clean refusal a 409
application/problem+json naming the shortage. Exit 0 only when successes == stock,
refusals == sessions - stock, no 5xx, available stock is 0, the recorded sales match
and verify_ledger is clean.
"""

import argparse
import threading
import time
from decimal import Decimal

from bench import harness
from bench.harness import say

from .bench_scenario import api_quick_sale


def seed(args):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from inventory.services.stock import stock_receive

    from .services import api_token_create

    stores, items, _supplier, _customer = harness.make_catalog(items=1, stores=1, prefix="ARACE")
    store, item = stores[0], items[0]
    manager, _ = harness.make_user("arace-manager", "Manager")
    stock_receive(actor=manager, item=item, store=store, quantity=args.stock)
    user_model = get_user_model()
    users = user_model.objects.bulk_create(
        user_model(username=f"arace-staff-{n:03d}", is_active=True) for n in range(args.sessions)
    )
    Group.objects.get(name="Staff").user_set.add(*users)
    tokens = [api_token_create(actor=user, name="race").raw for user in users]
    return store, item, tokens


def classify(status: int, headers: dict, body: dict) -> str:
    if status >= 500:
        return "5xx"
    if status == 201 and body.get("order", {}).get("status") == "SHIPPED":
        return "success"
    problem = headers.get("content-type", "") == "application/problem+json"
    if status == 409 and problem and body.get("requested") == "1.000" and "available" in body:
        return "refusal"
    return "other"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m api.race", description=__doc__)
    parser.add_argument("--sessions", type=int, default=100)
    parser.add_argument("--stock", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    args = parser.parse_args(argv)
    if not 0 <= args.stock <= args.sessions:
        harness.die("--stock must be between 0 and --sessions")
    run = harness.start("api_race", env={"API_THROTTLE_CLIENT": "100000/min"})
    try:
        return race(run, args)
    finally:
        run.finish()


def race(run, args) -> int:
    from django.db import connections

    from inventory.models import SalesOrder
    from inventory.selectors.stock import stock_totals_for_item

    store, item, tokens = seed(args)
    connections.close_all()
    say(
        f"API race: {args.sessions} clients, {args.stock} available of {item.sku}, "
        f"gunicorn -w {args.workers} on PostgreSQL"
    )
    outcomes = ["not run"] * args.sessions
    details = [""] * args.sessions
    with harness.Server(run, workers=args.workers) as server:
        barrier = threading.Barrier(args.sessions)

        def client(index, token):
            try:
                barrier.wait(timeout=120)
            except threading.BrokenBarrierError:
                outcomes[index] = "aborted"
                return
            try:
                status, headers, body, _ = api_quick_sale(
                    server.url, token, store_id=store.pk, item_id=item.pk, timeout=120
                )
                outcomes[index] = classify(status, headers, body)
                details[index] = f"{status} {str(body)[:200]}"
            except Exception as exc:  # timeouts and resets are counted, never raised
                outcomes[index], details[index] = "other", repr(exc)

        threads = [
            threading.Thread(target=client, args=(i, t), daemon=True) for i, t in enumerate(tokens)
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
        elapsed = time.monotonic() - started
        tracebacks = server.errors_logged()
        log_tail = server.log_tail() if tracebacks else ""

    counts = {name: outcomes.count(name) for name in ("success", "refusal", "5xx", "other")}
    figures = stock_totals_for_item(item=item, store=store)
    recorded = SalesOrder.objects.filter(lines__item=item, status="SHIPPED").count()
    orders_total = SalesOrder.objects.count()
    clean, ledger_line = harness.verify_ledger()
    say(f"requests: {sum(1 for o in outcomes if o not in ('not run', 'aborted'))}")
    say(f"successes: {counts['success']}")
    say(f"clean refusals: {counts['refusal']}")
    say(f"5xx: {counts['5xx']}")
    say(f"other: {args.sessions - counts['success'] - counts['refusal'] - counts['5xx']}")
    say(f"available after: {figures['available']:f} (on hand {figures['on_hand']:f})")
    say(f"sales recorded: {recorded} (sales orders in the database: {orders_total})")
    say(f"verify_ledger: {ledger_line}")
    say(f"server tracebacks logged: {tracebacks}")
    say(f"elapsed: {elapsed:.1f}s")
    for outcome, detail in zip(outcomes, details, strict=True):
        if outcome not in ("success", "refusal"):
            say(f"  {outcome}: {detail}"[:300])
    if log_tail:
        say(log_tail)
    ok = (
        counts["success"] == args.stock
        and counts["refusal"] == args.sessions - args.stock
        and counts["5xx"] == 0
        and figures["available"] == Decimal("0")
        and recorded == args.stock
        and orders_total == args.stock
        and clean
        and tracebacks == 0
    )
    say(f"RESULT: {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
