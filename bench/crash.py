"""SIGKILL gunicorn in the middle of a mixed load, restart it, and prove nothing is half-made.

    scripts/pg-tmp.sh .venv/bin/python -m bench.crash [--threads 6] [--before 5] [--after 4]
        (or `make crash`)

Client threads drive the real forms through gunicorn -w 4 on PostgreSQL: quick sales
(/sales/quick/), receipts against ordered purchase orders (/purchases/<id>/receive/),
direct purchases (/purchases/new/) and transfers between two stores (/transfers/new/).
After `--before` seconds, with requests in flight, the master and every worker get
SIGKILL at once (os.killpg); the server restarts on the same port and the load goes
on for `--after` seconds. Then it checks:

- verify_ledger is clean;
- every request answered with a success redirect has its operation (by the form's
  idempotency key) and its ledger rows; every refused request left no operation;
- no half-made document: each purchase order's status agrees with its lines, and each
  line's quantity received with its RECEIVE rows; each sales order line's shipped,
  returned and reserved quantities agree with its ISSUE, RETURN and reservation rows,
  and the order's status with its lines; each transfer moved out what it moved in;
  every operation of the load has ledger rows.

Exit 1 on any failure (or a 5xx).
"""

import argparse
import random
import re
import threading
import time
from collections import Counter
from decimal import Decimal
from http.client import HTTPException

from . import harness
from .crash_checks import ZERO, Attempt, check_everything
from .harness import say

SUCCESS_LOCATION = {
    "sale": r"/sales/\d+/$",
    "receive": r"/purchases/\d+/$",
    "direct": r"/purchases/\d+/$",
    "transfer": r"/ledger/",
}


class Dataset:
    def __init__(self, args):
        from inventory.services.purchasing import purchase_order_create, purchase_order_place
        from inventory.services.stock import stock_receive

        stores, items, supplier, _customer = harness.make_catalog(
            items=args.items, stores=2, prefix="CRASH"
        )
        self.store_a, self.store_b = stores
        self.items, self.supplier = items, supplier
        manager, self.manager_password = harness.make_user("crash-manager", "Manager")
        self.manager = manager
        for item in items:
            stock_receive(actor=manager, item=item, store=self.store_a, quantity=500)
            stock_receive(actor=manager, item=item, store=self.store_b, quantity=100)
        self.orders = []
        rng = random.Random(7)
        for _ in range(args.orders):
            chosen = rng.sample(items, 2)
            order = purchase_order_create(
                actor=manager,
                supplier=supplier,
                store=self.store_a,
                lines=[(item, 6, None) for item in chosen],
            )
            purchase_order_place(actor=manager, order=order)
            self.orders.append(order.pk)
        self.staff = [harness.make_user(f"crash-staff-{n}", "Staff") for n in range(args.threads)]


class Client(threading.Thread):
    """One browser doing one kind of work in a loop until `stop` is set."""

    def __init__(self, n, kind, server, data, stop, attempts, state, user, password, orders):
        super().__init__(daemon=True)
        self.n, self.kind, self.server, self.data = n, kind, server, data
        self.stop, self.attempts, self.state = stop, attempts, state
        self.user, self.password = user, password
        self.rng = random.Random(100 + n)
        self.session = harness.Session(server.url, timeout=30)
        self.logged_in = False
        self.orders = list(orders)  # the purchase orders this client receives, in turn
        self.error = ""

    def run(self):
        while not self.stop.is_set():
            try:
                if not self.logged_in:
                    self.session.login(self.user, self.password)
                    self.logged_in = True
                if not self.step():
                    self.stop.wait(0.2)
            except (OSError, HTTPException, RuntimeError, LookupError) as exc:
                # The server is down or restarting (or the form did not render): wait, retry.
                self.error = repr(exc)
                self.state["retries"][self.n] += 1
                self.stop.wait(0.2)

    def page_and_values(self):
        """Return (path, form values) for the next submission, or (None, None)."""
        d, rng = self.data, self.rng
        if self.kind == "sale":
            item = rng.choice(d.items)
            return "/sales/quick/", {
                "store": d.store_a.pk,
                "customer": "",
                "note": "crash load",
                "lines-TOTAL_FORMS": 1,
                "lines-0-item": item.pk,
                "lines-0-item_q": item.sku,  # what the picker posts: the typed SKU
                "lines-0-quantity": rng.randint(1, 3),
                "lines-0-unit_price": "",
            }
        if self.kind == "direct":
            item = rng.choice(d.items)
            return "/purchases/new/", {
                # What the supplier picker posts: the name shown and the id chosen.
                "supplier_q": d.supplier.name,
                "supplier_id": d.supplier.pk,
                "store": d.store_a.pk,
                "note": "crash load",
                "lines-TOTAL_FORMS": 1,
                "lines-0-item": item.pk,
                "lines-0-item_q": item.sku,
                "lines-0-quantity": rng.randint(1, 4),
                "lines-0-unit_cost": "",
                "lines-0-lot_code": "",
                "lines-0-expires_on": "",
            }
        if self.kind == "transfer":
            item = rng.choice(d.items)
            source, target = (d.store_a, d.store_b) if self.n % 2 else (d.store_b, d.store_a)
            return f"/transfers/new/?item={item.pk}", {
                "item": item.pk,
                "from_store": source.pk,
                "to_store": target.pk,
                "quantity": rng.randint(1, 2),
                "lot": "",
                "note": "crash load",
            }
        if not self.orders:
            return None, None
        return f"/purchases/{self.orders[0]}/receive/", None

    def step(self) -> bool:
        path, values = self.page_and_values()
        if path is None:
            return False
        page = self.session.get(path)
        if page.status == 302 and self.kind == "receive":
            self.orders.pop(0)  # fully received: nothing left to receive on it
            return True
        if page.status != 200:
            raise RuntimeError(f"GET {path}: {page.status}")
        form = page.form(has="idempotency_key")
        if self.kind == "receive":
            values = {
                name.replace("-line", "-quantity"): "3"
                for name, _ in form.fields
                if re.fullmatch(r"receipts-\d+-line", name)
            }
            if not values:
                self.orders.pop(0)
                return True
        data = form.fill(values, drop=("lines-0-DELETE",))
        attempt = Attempt(self.kind, form.value("idempotency_key"), started=time.monotonic())
        attempt.quantity = sum(
            (Decimal(str(v)) for k, v in values.items() if k.endswith("quantity")), ZERO
        )
        attempt.after_restart = self.state["restarted"]
        self.attempts.append(attempt)
        self.state["in_flight"][self.n] = True
        try:
            response = self.session.post(form.action or path, data, referer=page.url)
        except (OSError, HTTPException) as exc:
            attempt.outcome, attempt.detail = ("down" if _refused(exc) else "lost"), repr(exc)
            raise
        finally:
            self.state["in_flight"][self.n] = False
        attempt.outcome, attempt.detail = self.classify(response)
        return True

    def classify(self, response):
        if response.status >= 500:
            return "5xx", str(response.status)
        if response.status == 302 and re.search(SUCCESS_LOCATION[self.kind], response.location):
            try:
                page = self.session.follow(response)
                shown = page.successes + page.infos
                return "success", shown[0] if shown else "(no message shown)"
            except (OSError, HTTPException):
                return "success", "(message page lost in the crash)"
        if response.status == 200 and response.errors:
            return "refusal", response.errors[0]
        return "other", f"{response.status} {response.location} {response.errors[:1]}"


def _refused(exc) -> bool:
    text = repr(exc)
    return "Connection refused" in text or "ConnectionRefused" in text


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.crash", description=__doc__)
    parser.add_argument("--threads", type=int, default=6)
    parser.add_argument("--before", type=float, default=5.0, help="seconds of load before kill")
    parser.add_argument("--after", type=float, default=4.0, help="seconds of load after restart")
    parser.add_argument("--items", type=int, default=10)
    parser.add_argument("--orders", type=int, default=40, help="ordered purchase orders")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    args = parser.parse_args(argv)
    if args.threads < 4:
        harness.die("--threads must be at least 4 (sales, receipts, direct purchases, transfers)")

    run = harness.start("crash")
    try:
        return crash(run, args)
    finally:
        run.finish()


def kinds_for(threads: int) -> list[str]:
    base = ["sale", "receive", "direct", "transfer"]
    extra = ["sale", "transfer", "receive", "direct"]
    return base + [extra[i % len(extra)] for i in range(threads - len(base))]


def crash(run, args) -> int:
    from django.db import connections

    kinds = kinds_for(args.threads)
    data = Dataset(args)
    connections.close_all()
    attempts: list[Attempt] = []
    stop = threading.Event()
    state = {
        "restarted": False,
        "in_flight": dict.fromkeys(range(args.threads), False),
        "retries": dict.fromkeys(range(args.threads), 0),
    }
    say(
        f"crash: {args.threads} client threads ({', '.join(kinds)}) through gunicorn "
        f"-w {args.workers} on PostgreSQL"
    )
    server = harness.Server(run, workers=args.workers).start()
    try:
        receivers = [n for n, kind in enumerate(kinds) if kind == "receive"]
        clients = []
        for n, kind in enumerate(kinds):
            if kind == "transfer":
                user, password = data.manager.username, data.manager_password
            else:
                user, password = data.staff[n][0].username, data.staff[n][1]
            orders = data.orders[receivers.index(n) :: len(receivers)] if kind == "receive" else []
            clients.append(
                Client(n, kind, server, data, stop, attempts, state, user, password, orders)
            )
        for client in clients:
            client.start()
        time.sleep(args.before)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and sum(state["in_flight"].values()) < 2:
            time.sleep(0.005)
        in_flight = sum(state["in_flight"].values())
        done_before = sum(a.outcome == "success" for a in attempts)
        server.kill()
        killed_at = time.monotonic()
        say(
            f"SIGKILL to the gunicorn process group after {args.before:.0f}s: "
            f"{in_flight} POSTs in flight, {done_before} successes so far"
        )
        time.sleep(1.0)
        state["restarted"] = True
        server.start()
        say(f"restarted in {time.monotonic() - killed_at:.1f}s; load goes on for {args.after:.0f}s")
        time.sleep(args.after)
        stop.set()
        for client in clients:
            client.join(timeout=60)
    finally:
        stop.set()
        server.stop()
    tracebacks = server.errors_logged()

    outcomes = Counter(a.outcome for a in attempts)
    by_kind = Counter(a.kind for a in attempts)
    after = sum(a.outcome == "success" and a.after_restart for a in attempts)
    say(
        f"requests: {len(attempts)} ("
        + ", ".join(f"{k} {by_kind[k]}" for k in ("sale", "receive", "direct", "transfer"))
        + ")"
    )
    say(f"successes: {outcomes['success']} ({after} after the restart)")
    say(f"refusals: {outcomes['refusal']}")
    say(f"5xx: {outcomes['5xx']}")
    lost = [a for a in attempts if a.outcome == "lost"]
    checks = check_everything(attempts)
    from inventory.models import Operation

    committed = Operation.objects.filter(idempotency_key__in=[a.key for a in lost]).count()
    say(f"lost in the crash (no answer): {len(lost)}, of which committed: {committed}")
    say(f"POSTs refused while down: {outcomes['down']}")
    say(f"connection errors while down or restarting (retried): {sum(state['retries'].values())}")
    say(f"other: {outcomes['other']}")
    for a in attempts:
        if a.outcome in ("other", "5xx", "pending"):
            say(f"  {a.kind} {a.key}: {a.outcome} {a.detail}"[:300])
    say(f"server tracebacks logged: {tracebacks}")
    checks.show()
    ok = (
        checks.ok
        and outcomes["5xx"] == 0
        and outcomes["other"] == 0
        and tracebacks == 0
        and outcomes["success"] > 0
        and after > 0
    )
    if tracebacks:
        say(server.log_tail())
    say(f"RESULT: {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
