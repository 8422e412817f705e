"""Where one request's CPU goes, through the whole stack, in one process.

    scripts/pg-tmp.sh .venv/bin/python -m bench.profile [--requests 200] [--top 15]
        [--pages login,items,quick-form,quick-post]

Seeds what bench.http seeds (1,000 items with stock), logs a Staff user in through
the login form with Django's test client (CSRF checks on, production settings:
DEBUG=0, CONN_MAX_AGE=60), then for each page: warms up, times `--requests` requests
(CPU per request with time.process_time, which excludes PostgreSQL's own CPU), counts
the SQL statements with connection.execute_wrapper and runs them again under cProfile.
It prints the time split by layer (by the file each function lives in: templates,
forms, middleware, ORM, driver, our code...) and the functions that cost most.
"""

import argparse
import cProfile
import pstats
import time
import uuid
from collections import defaultdict
from urllib.parse import urlencode

from . import harness
from .harness import say

# The first match of a function's file names its layer (own time, cProfile's tottime).
LAYERS = (
    ("psycopg (driver, network wait)", ("psycopg",)),
    ("ORM and query building", ("django/db/",)),
    ("template engine", ("django/template/", "django/templatetags/")),
    ("forms and widgets", ("django/forms/",)),
    ("axes", ("axes/",)),
    ("sessions, auth, messages", ("django/contrib/sessions", "django/contrib/auth")),
    ("messages", ("django/contrib/messages",)),
    ("middleware and handlers", ("django/middleware", "django/core/handlers", "whitenoise")),
    ("django.test client", ("django/test/",)),
    ("django, other", ("django/",)),
    ("project: services", ("inventory/services", "inventory/locks", "inventory/rules")),
    ("project: selectors", ("inventory/selectors",)),
    ("project: other", ("inventory/", "accounts/", "inventory_system/")),
    ("python stdlib and other", ("",)),
)
FORM_ENCODED = "application/x-www-form-urlencoded"


class SqlCounter:
    def __init__(self):
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.count += 1


def layer_of(filename: str) -> str:
    for name, needles in LAYERS:
        if any(n in filename for n in needles):
            return name
    return LAYERS[-1][0]


def get_call(client, path):
    def call():
        r = client.get(path)
        assert r.status_code == 200, (path, r.status_code)

    return call


def page_requests(client, data):
    """Return {name: (label, one-request function)}."""
    import random

    rng = random.Random(5)

    def quick_post(lines: int):
        def call():
            values = {
                "idempotency_key": uuid.uuid4().hex,
                "csrfmiddlewaretoken": data["csrf"],
                "store": data["sell_store"],
                "customer": "",
                "note": "bench.profile",
                "lines-TOTAL_FORMS": lines,
                "lines-INITIAL_FORMS": 0,
                "lines-MIN_NUM_FORMS": 1,
                "lines-MAX_NUM_FORMS": 1000,
            }
            for i, item in enumerate(rng.sample(data["items"], lines)):
                values.update({f"lines-{i}-item": item, f"lines-{i}-quantity": "1"})
            # Encoded as a browser sends a form (the test client's default is multipart).
            r = client.post("/sales/quick/", urlencode(values), content_type=FORM_ENCODED)
            assert r.status_code == 302, (r.status_code, r.content[:2000])
            client.cookies.pop("messages", None)  # the page the redirect leads to shows them

        return call

    def api_quick_post():
        import json

        def call():
            payload = {
                "store": data["sell_store"],
                "lines": [{"item": rng.choice(data["items"]), "quantity": "1"}],
            }
            r = data["anonymous"].generic(  # a till: its token, no session
                "POST",
                "/api/v1/sales-orders/quick/",
                json.dumps(payload),
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {data['token']}",
                HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex,
            )
            assert r.status_code == 201, (r.status_code, r.content[:2000])

        return call

    def get(path, anonymous=False):
        return get_call(data["anonymous"] if anonymous else client, path)

    return {
        "login": ("GET /login/", get("/login/", anonymous=True)),
        "signed-in": ("GET /password/ (signed in)", get("/password/")),
        "items": ("GET /items/", get("/items/")),
        "quick-form": ("GET /sales/quick/", get("/sales/quick/")),
        "quick-post": ("POST /sales/quick/ 1 line", quick_post(1)),
        "quick-post-5": ("POST /sales/quick/ 5 lines", quick_post(5)),
        "api-quick-post": ("POST /api/v1/sales-orders/quick/ 1 line", api_quick_post()),
        "purchase-form": ("GET /purchases/new/", get("/purchases/new/")),
    }


def profile_page(label, call, args) -> None:
    from django.db import connection

    for _ in range(max(3, args.requests // 10)):
        call()
    counter = SqlCounter()
    with connection.execute_wrapper(counter):
        started, cpu = time.perf_counter(), time.process_time()
        for _ in range(args.requests):
            call()
        wall = (time.perf_counter() - started) / args.requests
        cpu = (time.process_time() - cpu) / args.requests
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(args.requests):
        call()
    profiler.disable()
    stats = pstats.Stats(profiler)
    by_layer: dict[str, float] = defaultdict(float)
    total = 0.0
    for (filename, _line, _name), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():
        by_layer[layer_of(filename)] += tottime
        total += tottime
    say(f"\n## {label}")
    say(
        f"{wall * 1000:.2f} ms wall, {cpu * 1000:.2f} ms Python CPU per request, "
        f"{counter.count / args.requests:.1f} SQL statements "
        f"({counter.seconds / args.requests * 1000:.2f} ms waiting on them)"
    )
    say("own time by layer (under cProfile, which inflates Python calls):")
    for name, seconds in sorted(by_layer.items(), key=lambda kv: -kv[1]):
        if seconds / total >= 0.01:
            say(f"  {seconds / total:6.1%}  {name}")
    say(f"top {args.top} functions by {args.sort} time:")
    stats.sort_stats(args.sort)
    rows = []
    for key in stats.fcn_list:
        filename, line, name = key
        _cc, ncalls, tottime, cumtime, _callers = stats.stats[key]
        shown = tottime if args.sort == "tottime" else cumtime
        if "site-packages/django/test" in filename or filename.startswith("<"):
            continue
        short = filename.split("site-packages/")[-1].split("/work/wt/")[-1]
        rows.append(
            f"  {shown / args.requests * 1000:7.2f} ms  {ncalls / args.requests:6.1f}x  "
            f"{short}:{line}({name})"
        )
        if len(rows) >= args.top:
            break
    say("\n".join(rows))
    if args.sql:
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            call()
        say("the statements of one request (ms, SQL):")
        for query in captured.captured_queries:
            say(f"  {float(query['time']) * 1000:6.2f}  {query['sql'][:160]}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--sort", choices=("cumulative", "tottime"), default="cumulative")
    parser.add_argument("--sql", action="store_true", help="list one request's statements")
    parser.add_argument(
        "--pages",
        default="login,items,quick-form,quick-post",
        help="names below, or paths a Staff user may GET (/stock/)",
    )
    args = parser.parse_args(argv)
    args.clients = 1
    run = harness.start("profile", env={"CONN_MAX_AGE": "60", "API_THROTTLE_CLIENT": "100000/min"})
    try:
        return profile(run, args)
    finally:
        run.finish()


def profile(run, args) -> int:
    from django.test import Client

    from .http import seed

    data, users = seed(args)
    run.vacuum()  # as bench.http does: the planner sees the seeded tables
    username, password = users[0]
    client = Client(enforce_csrf_checks=True, HTTP_HOST="localhost")
    anonymous = Client(enforce_csrf_checks=True, HTTP_HOST="localhost")
    page = client.get("/login/")
    csrf = page.cookies["csrftoken"].value
    form = {"username": username, "password": password, "csrfmiddlewaretoken": csrf}
    response = client.post("/login/", form)
    if response.status_code != 302:
        harness.die(f"login failed: {response.status_code}")
    client.get("/sales/quick/")
    from django.contrib.auth import get_user_model

    from api.bench_scenario import api_token_for

    user = get_user_model().objects.get(username=username)
    token = api_token_for(user)
    data.update(csrf=client.cookies["csrftoken"].value, anonymous=anonymous, token=token)
    pages = page_requests(client, data)
    for name in args.pages.split(","):
        name = name.strip()
        # A path is any page the Staff user may GET, e.g. --pages items,/stock/.
        label, call = (f"GET {name}", get_call(client, name)) if name[0] == "/" else pages[name]
        profile_page(label, call, args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
