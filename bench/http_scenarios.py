"""The scenarios of bench.http and the client process that runs them.

A scenario is a `prepare` (untimed: learn the form) and a `step` (one timed request
that returns an Outcome). Add one to SCENARIOS (an API call, say) and bench.http runs it.
"""

import base64
import json
import random
import re
import time
import uuid
import zlib
from dataclasses import dataclass, field

from . import harness

PREFIX = "HTTP"
SUCCESS = 25  # django.contrib.messages.SUCCESS


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
        compressed, data = payload.startswith("."), payload.lstrip(".")
        raw = base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))
        decoded = json.loads(zlib.decompress(raw) if compressed else raw)
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
        out = {"store": d["sell_store"], "customer_q": "", "customer_id": "", "note": "bench.http"}
        out["lines-TOTAL_FORMS"] = count
        for i, item in enumerate(chosen):
            out.update({f"lines-{i}-item": item, f"lines-{i}-quantity": "1"})
            out[f"lines-{i}-item_q"] = d["skus"][item]
            out[f"lines-{i}-unit_price"] = ""
        return out

    return values


def purchase_line(client: Client) -> dict:
    d = client.data
    item = client.rng.choice(d["items"])
    return {
        "supplier_q": d["supplier_name"],
        "supplier_id": d["supplier"],
        "store": d["buy_store"],
        "note": "bench.http",
        "lines-TOTAL_FORMS": 1,
        "lines-0-item": item,
        "lines-0-item_q": d["skus"][item],
        "lines-0-quantity": "2",
        "lines-0-unit_cost": "",
        "lines-0-lot_code": "",
        "lines-0-expires_on": "",
    }


def api_quick_sale_step(client: Client) -> Outcome:
    """POST /api/v1/sales-orders/quick/ with the client's Bearer token and a fresh key."""
    from api.bench_scenario import api_quick_sale

    d = client.data
    status, _headers, body, seconds = api_quick_sale(
        client.session.base_url,
        d["tokens"][client.n],
        store_id=d["sell_store"],
        item_id=client.rng.choice(d["items"]),
    )
    ok = status == 201
    return Outcome(seconds, ok, "" if ok else f"{status} {str(body)[:200]}")


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
    # The floor of any signed-in page: Django's own password form, the login page's twin
    # plus the session, the user and the menu. No page a signed-in user sees costs less.
    Scenario("signed-in", "GET /password/ (signed in)", get_page("/password/", "new_password1")),
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
    Scenario(
        "api-quick-1",
        "POST /api/v1/sales-orders/quick/ 1 line",
        api_quick_sale_step,
        counts="SalesOrder",
    ),
    # Not in the default run: `--scenarios login,healthz` with --conn-max-age 0 and 60.
    Scenario("healthz", "GET /healthz", get_page("/healthz", '"ok"', anonymous=True)),
    # Not in the default run either: pages that grow with the catalogue, for --items N.
    Scenario("stock", "GET /stock/", get_page("/stock/", f"{PREFIX}-00001")),
    Scenario(
        "item-search",
        "GET /pickers/items/?q= (a keystroke)",
        get_page(f"/pickers/items/?q={PREFIX}-0001", f"{PREFIX}-00010"),
    ),
]
BY_NAME = {s.name: s for s in SCENARIOS}
DEFAULT = [s.name for s in SCENARIOS if s.name not in ("healthz", "stock", "item-search")]


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
