"""The input sweep: no 5xx, whatever the input, and a refused post changes nothing.

Deterministic, unlike test_hostile_input.py's generated posts. Every URL the resolver
knows (the Django admin's included), with its path ids filled by real rows in every
state and by an id past 64 bits, is opened as anonymous, Staff, Manager, Admin and a
user awaiting approval. Then each value of sweep.HOSTILE (NUL, ids past 64 bits, dates
out of range, NaN, sNaN, Infinity, 10,000 characters, text, empty, a repeated
parameter) is sent:

- as Admin, who can open every page, alone in each GET parameter of each page (its
  filter forms' fields, its `?...` links' keys) and alone in each field of each POST
  form, the other fields keeping a valid submission;
- as anonymous, the same for the public forms (login, registration, the admin's login);
- as every other role, in every parameter, or every field of every form, at once.

A 5xx, an exception (a streamed CSV included), the input safety net in
inventory_system.middleware catching a value that a field should have refused, or a
refused post that changed the ledger, operations, balances, statuses, catalogue or users
is a failure; the test lists them all.

Values that found bugs are in HOSTILE (the sweep is deterministic, so they are kept as
they are): NUL in /items/, /stock/, /users/ searches; 9999-12-31 and 0001-01-01 on
/ledger/, its CSV and /dashboard/; 99999999999999999999 as /ledger/?operation= and
/transfers/new/?item=; sNaN on the draft edit pages; 300 characters as a username.
"""

import logging
import time
from collections import defaultdict

import pytest
from django.contrib.messages import constants as message_levels
from django.http import StreamingHttpResponse
from django.test import Client

from inventory.tests import sweep
from inventory.tests.hostile_input_cases import FORMS, World

pytestmark = pytest.mark.django_db

ROLES = ("Staff", "Manager", "Admin", "no role")
# Forms sent last: they deactivate rows (the admin's actions, "select all" included) and
# change roles, which later forms depend on.
LAST = ("deactivate", "activate", "user_set_role", "_change", "_changelist")


class SafetyNetHits(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records = []

    def emit(self, record):
        self.records.append(record.getMessage())


class Sweep:
    def __init__(self, world: World):
        self.world = world
        self.clients = {"anonymous": Client()}
        for role in ROLES:
            self.clients[role] = Client()
            self.clients[role].force_login(world.users[role])
        self.failures: list[str] = []
        self.requests = defaultdict(int)
        self.pages: dict[str, set] = {}  # path -> GET parameters (read as Admin)
        self.readable: dict[str, set] = defaultdict(set)  # role -> paths it can open
        self.forms: dict[str, list] = {"Admin": [], "anonymous": []}
        self.timings: dict[str, tuple[int, float]] = {}  # phase -> (requests, seconds)

    # --- one request --------------------------------------------------------------

    def send(self, role, method, path, data=None):
        client = self.clients[role]
        self.requests[method] += 1
        before = sweep.snapshot() if method == "post" else None
        label = f"{role} {method.upper()} {path} {_short(data)}"
        try:
            response = getattr(client, method)(path, data or {})
            if isinstance(response, StreamingHttpResponse):
                b"".join(response.streaming_content)  # a CSV fails while it streams
        except Exception as exc:  # the test client re-raises what became a 500
            self.failures.append(f"{label}: {type(exc).__name__}: {exc}"[:500])
            return None
        if response.status_code >= 500:
            self.failures.append(f"{label}: {response.status_code}")
        if before is not None and not accepted(response):
            after = sweep.snapshot()
            changed = [key for key in before if before[key] != after[key]]
            if changed:
                self.failures.append(
                    f"{label}: refused ({response.status_code}) but changed {changed}"
                )
        if role == "anonymous" and method == "post":
            client.logout()  # a registration signs the new user in
        return response

    # --- the sweep ------------------------------------------------------------------

    def read_every_page(self, urls):
        for _, path in urls:
            for role in ("anonymous", *ROLES):
                response = self.send(role, "get", path)
                if response is None or response.status_code != 200:
                    continue
                self.readable[role].add(path)
                if role in ("Admin", "anonymous") and "html" in response.get("Content-Type", ""):
                    params, forms = sweep.read_page(path, response.content.decode())
                    if role == "Admin":
                        self.pages[path] = params
                    self.forms[role].extend((form, path) for form in forms)

    def sweep_get_parameters(self):
        # Pages of one URL name share their parameters: the first with any is swept.
        by_name = {}
        for path, params in self.pages.items():
            if params:
                by_name.setdefault(sweep.url_name(path), (path, params))
        for path, params in by_name.values():
            # The admin's list pages share one filter machinery: every parameter at once.
            one_by_one = not path.startswith("/admin/")
            for name, value in sweep.HOSTILE.items():
                if name in sweep.PER_FIELD and one_by_one:
                    for param in sorted(params):
                        self.send("Admin", "get", path, {param: value})
                for role in ("anonymous", *ROLES):
                    if path in self.readable[role]:
                        self.send(role, "get", path, dict.fromkeys(params, value))

    def sweep_forms(self, role, forms):
        management_swept = False
        for form, page in _distinct(forms):
            data = {**form.fields, **_valid_data(self.world, form.action)}
            one_by_one = sorted(
                f for f in data if not (management_swept and f.endswith(sweep.MANAGEMENT))
            )
            management_swept = management_swept or any(f.endswith(sweep.MANAGEMENT) for f in data)
            # Roles that can open the page the form is on; the others are refused at once,
            # so one post each shows that nothing changes.
            others = [r for r in ("anonymous", *ROLES) if r != role and page in self.readable[r]]
            for other in {"anonymous", *ROLES} - {role, *others}:
                self.send(other, "post", form.action, dict.fromkeys(data, "1"))
            for name, value in sweep.HOSTILE.items():
                if name in sweep.PER_FIELD:
                    for field in one_by_one:
                        self.send(role, "post", form.action, {**data, field: value})
                for other in (role, *others):
                    self.send(other, "post", form.action, dict.fromkeys(data, value))

    def post_junk_everywhere(self, urls):
        junk = {f"field_{name}": value for name, value in sweep.HOSTILE.items() if name != "NUL"}
        for _, path in urls:
            for role in ("anonymous", "Admin"):
                self.send(role, "post", path, junk)

    def run(self):
        urls = sweep.concrete_urls(self.world.users)
        phases = [
            ("pages", lambda: self.read_every_page(urls)),
            ("GET parameters", self.sweep_get_parameters),
            ("public forms", lambda: self.sweep_forms("anonymous", self.forms["anonymous"])),
            (
                "forms",
                lambda: self.sweep_forms("Admin", self.forms["Admin"]),
            ),
            ("junk posts", lambda: self.post_junk_everywhere(urls)),
        ]
        for name, phase in phases:
            started, count = time.perf_counter(), sum(self.requests.values())
            phase()
            self.timings[name] = (
                sum(self.requests.values()) - count,
                time.perf_counter() - started,
            )
        return urls


def _short(data) -> str:
    if not data:
        return ""
    return repr(
        {k: (v[:20] + "…" if isinstance(v, str) and len(v) > 20 else v) for k, v in data.items()}
    )[:300]


def _distinct(forms):
    """The first (form, page) of each URL name (a deactivate button on every row of a
    list is one form; the admin's add form is its change form), those in LAST last."""
    kept = {}
    for form, page in forms:
        name = sweep.url_name(form.action)
        if name is not None and name not in sweep.NOT_SWEPT:
            kept.setdefault(name, (form, page))
    for name in list(kept):
        if name.endswith("_add") and name.removesuffix("_add") + "_change" in kept:
            del kept[name]
    order = sorted(kept, key=lambda n: (any(x in n for x in LAST), n))
    return [kept[name] for name in order]


def accepted(response) -> bool:
    """A post was accepted when it redirected with a success (or, in the admin, an
    informative) message; anything else must have changed nothing."""
    queued = getattr(getattr(response.wsgi_request, "_messages", None), "_queued_messages", [])
    levels = {message_levels.SUCCESS, message_levels.INFO}
    return response.status_code == 302 and any(m.level in levels for m in queued)


def _valid_data(world, action) -> dict:
    """A valid submission of the form, where test_hostile_input knows one."""
    name = sweep.url_name(action)
    if name not in FORMS:
        return {}
    return {k: ("" if v is None else v) for k, v in FORMS[name][1](world).items()}


def test_no_input_gives_a_5xx_and_a_refused_post_changes_nothing(settings):
    # given documents in every state, users of every role, and the safety net watched
    settings.AXES_FAILURE_LIMIT = 10**6  # the login sweep would lock itself out
    # Thousands of 4xx would each log a line (and a traceback for a 403): the sweep
    # records what fails itself.
    for name in ("django.request", "django.security"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    net = SafetyNetHits()
    logging.getLogger("inventory_system.input").addHandler(net)
    started = time.perf_counter()
    try:
        # when every page, parameter and form gets every hostile value
        run = Sweep(World())
        urls = run.run()
    finally:
        logging.getLogger("inventory_system.input").removeHandler(net)
        for name in ("django.request", "django.security"):
            logging.getLogger(name).setLevel(logging.NOTSET)
    elapsed = time.perf_counter() - started

    # then nothing failed, and no value got past the fields to the safety net
    print(
        f"\ninput sweep: {len(urls)} URLs, {len(run.pages)} pages read, "
        f"{run.requests['get']} GET and {run.requests['post']} POST requests in {elapsed:.0f} s"
    )
    for phase, (count, seconds) in run.timings.items():
        print(f"  {phase}: {count} requests, {seconds:.1f} s")
    assert run.failures == [], "\n".join(run.failures[:60]) + f"\n({len(run.failures)} in all)"
    assert net.records == [], net.records[:20]
    assert len(urls) > 100 and run.requests["post"] > 1000  # the sweep really ran


# --- the values that found bugs, each with its exact answer ----------------------------

HUGE = sweep.HUGE_ID
DATE_RANGE = "Enter a date between 1900-01-01 and 2999-12-31."


@pytest.mark.parametrize(
    ("who", "url", "status", "text"),
    [
        ("staff_client", "/items/?q=a%00b", 400, "a character (NUL) that no field accepts"),
        ("staff_client", "/stock/?q=a%00b", 400, "a character (NUL) that no field accepts"),
        ("admin_role_client", "/users/?q=a%00b", 400, "(NUL)"),
        ("staff_client", "/ledger/?date_to=9999-12-31", 200, DATE_RANGE),
        ("staff_client", "/ledger/?date_from=0001-01-01", 200, DATE_RANGE),
        ("manager_client", "/dashboard/?date_to=9999-12-31", 200, DATE_RANGE),
        ("manager_client", "/dashboard/?date_from=0001-01-01", 200, DATE_RANGE),
        ("staff_client", f"/ledger/?operation={HUGE}", 200, "No movement matches."),
        ("manager_client", f"/transfers/new/?item={HUGE}", 200, "Transfer"),
        ("manager_client", f"/adjustments/new/?item={HUGE}", 200, "Adjust"),
        ("staff_client", f"/items/?category={HUGE}&store={2**63}", 200, "Items"),
    ],
)
def test_the_values_that_found_bugs_get_a_clear_answer(request, who, url, status, text):
    response = request.getfixturevalue(who).get(url)

    assert response.status_code == status
    assert text in response.content.decode()


@pytest.mark.parametrize("bound", ["date_to=9999-12-31", "date_from=0001-01-01"])
def test_the_movements_export_with_a_date_out_of_range_is_refused(manager_client, bound):
    response = manager_client.get(f"/ledger/export.csv?{bound}")

    assert response.status_code == 400
    assert DATE_RANGE in response.content.decode()


@pytest.mark.parametrize("value", ["sNaN", "NaN", "-Infinity"])
def test_a_draft_edited_with_a_quantity_that_is_not_a_number_is_refused(
    manager_client, manager_user, store, item, value
):
    # Found: sNaN on the draft edit pages compared with the saved quantity: a 500.
    from inventory.services.purchasing import purchase_order_create
    from inventory.services.sales import sales_order_create

    so = sales_order_create(actor=manager_user, store=store, customer=None, lines=[(item, 2, None)])
    po = purchase_order_create(
        actor=manager_user, supplier=item.supplier, store=store, lines=[(item, 2, None)]
    )
    lines = {"lines-TOTAL_FORMS": "1", "lines-INITIAL_FORMS": "1", "lines-0-item": item.pk}
    before = sweep.snapshot()

    sale = manager_client.post(
        f"/sales/{so.pk}/edit/", {"store": store.pk, **lines, "lines-0-quantity": value}
    )
    purchase = manager_client.post(
        f"/purchases/{po.pk}/edit/",
        {"supplier": item.supplier_id, "store": store.pk, **lines, "lines-0-quantity": value},
    )

    assert (sale.status_code, purchase.status_code) == (200, 200)
    assert "Enter a number." in sale.content.decode()
    assert "Enter a number." in purchase.content.decode()
    assert sweep.snapshot() == before
    assert so.lines.get().quantity == 2 and po.lines.get().quantity_ordered == 2


def test_the_admin_list_filters_refuse_numbers_past_64_bits(admin_role_client):
    response = admin_role_client.get(f"/admin/inventory/ledgerentry/?created_at__year={HUGE}")

    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


@pytest.mark.parametrize("year", ["9999", "9_999", "1", "2999&created_at__month=12"])
@pytest.mark.parametrize("model", ["ledgerentry", "auditevent"])
def test_the_admin_date_hierarchy_refuses_years_outside_the_apps_dates(
    admin_role_client, settings, model, year
):
    # A year on: 10000 is past Python's dates; a year 1 in Auckland starts before them in UTC.
    settings.TIME_ZONE = "Pacific/Auckland"
    response = admin_role_client.get(f"/admin/inventory/{model}/?created_at__year={year}")

    if year.startswith("2999"):
        assert response.status_code == 200  # the app's last year still lists
    else:
        assert response.status_code == 302
        assert response["Location"].endswith("?e=1")


def test_an_admin_action_on_ids_that_are_not_ids_changes_nothing(admin_role_client, item):
    response = admin_role_client.post(
        "/admin/inventory/item/",
        {"action": "deactivate_selected", "index": "0", "_selected_action": ["sNaN", HUGE]},
        follow=True,
    )

    assert response.status_code == 200
    assert "The selection was not understood" in response.content.decode()
    item.refresh_from_db()
    assert item.is_active is True
