"""100 sessions race for 50 units through the real stack (gunicorn -w 4, PostgreSQL).

    scripts/pg-tmp.sh .venv/bin/python -m bench.race [--mode quick|confirm] [--sessions 100]
        [--stock 50]                                        (or `make race`)

Every session logs in as its own Staff user through the login form (CSRF included),
opens its form, then all are released together by a barrier:

- quick:   each POSTs the real /sales/quick/ form for 1 unit of the one item;
- confirm: each confirms its own DRAFT sales order of 1 unit (POST /sales/<id>/confirm/).

A success is a redirect whose next page shows the success message. A clean refusal
is the form page (quick) or the order page (confirm) showing the "only N available"
error. Exit 0 only when successes == stock, refusals == sessions - stock, no 5xx,
available stock is 0, the recorded sales match and verify_ledger is clean.
"""

import argparse
import re
import threading
import time
from decimal import Decimal

from . import harness
from .harness import say


def seed(args):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    from inventory.services.sales import sales_order_create
    from inventory.services.stock import stock_receive

    stores, items, _supplier, _customer = harness.make_catalog(items=1, stores=1, prefix="RACE")
    store, item = stores[0], items[0]
    manager, _ = harness.make_user("race-manager", "Manager")
    stock_receive(actor=manager, item=item, store=store, quantity=args.stock)

    user_model = get_user_model()
    password = f"race-{harness.random_secret(12)}"
    encoded = make_password(password)  # hashed once, shared: the race is not about hashing
    users = user_model.objects.bulk_create(
        user_model(username=f"race-staff-{n:03d}", password=encoded, is_active=True)
        for n in range(args.sessions)
    )
    staff = Group.objects.get(name="Staff")
    staff.user_set.add(*users)

    orders = [None] * args.sessions
    if args.mode == "confirm":
        orders = [
            sales_order_create(actor=user, store=store, customer=None, lines=[(item, 1, None)])
            for user in users
        ]
    return store, item, users, password, orders


class Contender(threading.Thread):
    def __init__(self, base_url, username, password, mode, store, item, order, barrier):
        super().__init__(daemon=True)
        self.session = harness.Session(base_url, timeout=120)
        self.username, self.password = username, password
        self.mode, self.store, self.item, self.order = mode, store, item, order
        self.barrier = barrier
        self.outcome = "not run"
        self.detail = ""
        self.status = None
        self.ready_at = self.released_at = self.answered_at = None

    def prepare(self):
        self.session.login(self.username, self.password)
        if self.mode == "quick":
            page = self.session.get("/sales/quick/")
            form = page.form(has="idempotency_key")
            self.target = "/sales/quick/"
            self.data = form.fill(
                {
                    "store": self.store.pk,
                    "customer": "",
                    "note": f"race {self.username}",
                    "lines-TOTAL_FORMS": 1,
                    "lines-0-item": self.item.pk,
                    "lines-0-item_q": self.item.sku,  # what the picker posts: the typed SKU
                    "lines-0-quantity": "1",
                    "lines-0-unit_price": "",
                },
                drop=("lines-0-DELETE",),
            )
        else:
            page = self.session.get(f"/sales/{self.order.pk}/")
            self.target = f"/sales/{self.order.pk}/confirm/"
            self.data = page.form(action=self.target).fill()
        self.referer = page.url

    def run(self):
        try:
            self.prepare()
        except Exception as exc:  # a contender that cannot start spoils the race
            self.outcome, self.detail = "setup failed", repr(exc)
            self.barrier.abort()
            return
        self.ready_at = time.monotonic()
        try:
            self.barrier.wait(timeout=300)
        except threading.BrokenBarrierError:
            self.outcome = "aborted"
            return
        self.released_at = time.monotonic()
        try:
            response = self.session.post(self.target, self.data, referer=self.referer)
            self.answered_at = time.monotonic()
            self.status = response.status
            self.outcome, self.detail = self.classify(response)
        except Exception as exc:  # timeouts and resets are counted, never raised
            self.outcome, self.detail = "other", repr(exc)

    def classify(self, response):
        if response.status >= 500:
            return "5xx", f"{response.status}"
        if self.mode == "quick":
            if response.status == 302 and re.search(r"/sales/\d+/$", response.location):
                page = self.session.follow(response)
                if any("recorded" in text for text in page.successes):
                    return "success", response.location
                return "other", f"redirect without success message: {page.infos[:1]}"
            if response.status == 200 and any("requested" in e for e in response.errors):
                return "refusal", response.errors[0]
            return "other", f"{response.status} {response.errors[:2]}"
        if response.status == 302:
            page = self.session.follow(response)
            if any("confirmed" in text for text in page.successes):
                return "success", ""
            if any("requested" in e for e in page.errors):
                return "refusal", page.errors[0]
            return "other", f"redirect: {page.errors[:1]} {page.infos[:1]}"
        # A refused confirmation comes back as the order page, its short line marked.
        if response.status == 200 and any("requested" in e for e in response.errors):
            return "refusal", response.errors[0]
        return "other", f"{response.status} {response.errors[:2]}"


def _qty(value) -> str:
    from inventory.quantities import fmt_qty

    return fmt_qty(value)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.race", description=__doc__)
    parser.add_argument("--mode", choices=("quick", "confirm"), default="quick")
    parser.add_argument("--sessions", type=int, default=100)
    parser.add_argument("--stock", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument(
        "--real-hashing", action="store_true", help="production password hashers (slow logins)"
    )
    args = parser.parse_args(argv)
    if not 0 <= args.stock <= args.sessions:
        harness.die("--stock must be between 0 and --sessions")

    run = harness.start(f"race_{args.mode}", real_hashing=args.real_hashing)
    try:
        return race(run, args)
    finally:
        run.finish()


def race(run, args) -> int:
    from django.db import connections

    from inventory.models import SalesOrder
    from inventory.selectors.stock import stock_totals_for_item

    store, item, users, password, orders = seed(args)
    connections.close_all()
    say(
        f"race ({args.mode}): {args.sessions} sessions, {args.stock} available of {item.sku}, "
        f"gunicorn -w {args.workers} on PostgreSQL"
    )
    with harness.Server(run, workers=args.workers) as server:
        barrier = threading.Barrier(args.sessions)
        contenders = [
            Contender(server.url, u.username, password, args.mode, store, item, o, barrier)
            for u, o in zip(users, orders, strict=True)
        ]
        started = time.monotonic()
        for c in contenders:
            c.start()
        for c in contenders:
            c.join(timeout=600)
        elapsed = time.monotonic() - started
        released = [c.released_at for c in contenders if c.released_at]
        answered = [c.answered_at for c in contenders if c.answered_at]
        race_seconds = max(answered) - min(released) if released and answered else 0.0
        setup_seconds = min(released) - started if released else elapsed
        tracebacks = server.errors_logged()
        log_tail = server.log_tail() if tracebacks else ""

    counts = dict.fromkeys(("success", "refusal", "5xx", "other", "setup failed", "aborted"), 0)
    for c in contenders:
        counts[c.outcome] = counts.get(c.outcome, 0) + 1
    figures = stock_totals_for_item(item=item, store=store)
    if args.mode == "quick":
        recorded = SalesOrder.objects.filter(lines__item=item, status="SHIPPED").count()
        orders_total = SalesOrder.objects.count()
    else:
        recorded = SalesOrder.objects.filter(status="CONFIRMED").count()
        orders_total = SalesOrder.objects.count()
    clean, ledger_line = harness.verify_ledger()

    requests = sum(1 for c in contenders if c.status is not None or c.outcome == "other")
    say(f"requests: {requests}")
    say(f"successes: {counts['success']}")
    say(f"clean refusals: {counts['refusal']}")
    say(f"5xx: {counts['5xx']}")
    say(f"other: {counts['other'] + counts['setup failed'] + counts['aborted']}")
    say(
        f"available after: {_qty(figures['available'])} "
        f"(on hand {_qty(figures['on_hand'])}, reserved {_qty(figures['reserved'])})"
    )
    say(f"sales recorded: {recorded} (sales orders in the database: {orders_total})")
    say(f"verify_ledger: {ledger_line}")
    say(f"server tracebacks logged: {tracebacks}")
    say(
        f"elapsed: {elapsed:.1f}s: {setup_seconds:.1f}s logging in and opening forms, "
        f"{race_seconds:.1f}s from release to the last answer"
    )
    for c in contenders:
        if c.outcome not in ("success", "refusal"):
            say(f"  {c.username}: {c.outcome} {c.detail}"[:300])
    if log_tail:
        say(log_tail)

    expected_orders = args.stock if args.mode == "quick" else args.sessions
    ok = (
        counts["success"] == args.stock
        and counts["refusal"] == args.sessions - args.stock
        and counts["5xx"] == 0
        and figures["available"] == Decimal("0")
        and recorded == args.stock
        and orders_total == expected_orders
        and clean
        and tracebacks == 0
    )
    say(f"RESULT: {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
