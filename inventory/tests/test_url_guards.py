"""Walk every URL pattern of the project and prove each view is guarded, and GET changes nothing.

Generic on purpose: a view added later is walked too. Each view must carry one guard marker:
`is_public` (accounts.permissions.public), `allows_roleless` (signed_in_without_role) or a
`required_role` (role_required on a function, a RoleRequiredMixin on a class).
"""

import re
import uuid
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.roles import Role
from inventory.models import (
    Alert,
    AuditEvent,
    Category,
    Customer,
    Item,
    LedgerEntry,
    Lot,
    PurchaseOrder,
    PurchaseOrderLine,
    SalesOrder,
    SalesOrderLine,
    Store,
    Supplier,
)
from inventory.tests.test_security import inline_scripts

pytestmark = pytest.mark.django_db

SKIPPED_PREFIXES = ("admin/", "static/", "media/", "__debug__/", "api/")
DUMMY = {"int": "1", "str": "x", "slug": "x", "path": "x", "uuid": str(uuid.UUID(int=1))}
PARAM = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")

# First path segment -> the model its <pk> names; nested "<line_pk>" is a line of the parent.
SEGMENT_MODELS = {
    "items": Item,
    "categories": Category,
    "stores": Store,
    "suppliers": Supplier,
    "customers": Customer,
    "lots": Lot,
    "ledger": LedgerEntry,
    "purchases": PurchaseOrder,
    "sales": SalesOrder,
    "users": get_user_model(),
    "alerts": Alert,
}


@dataclass(frozen=True)
class Route:
    route: str
    name: str
    callback: object

    @property
    def is_public(self) -> bool:
        return bool(getattr(self.callback, "is_public", False))

    @property
    def allows_roleless(self) -> bool:
        return bool(getattr(self.callback, "allows_roleless", False))

    @property
    def required_role(self) -> Role | None:
        role = getattr(self.callback, "required_role", None)
        if role is None:
            role = getattr(getattr(self.callback, "view_class", None), "required_role", None)
        return role

    @property
    def guarded(self) -> bool:
        return self.is_public or self.allows_roleless or self.required_role is not None

    def url(self, values: dict | None = None) -> str:
        values = values or {}

        def substitute(match):
            name, converter = match["name"], match["converter"] or "str"
            return str(values.get(name, DUMMY.get(converter, "1")))

        return "/" + PARAM.sub(substitute, self.route)

    @property
    def params(self) -> list[str]:
        return [m["name"] for m in PARAM.finditer(self.route)]

    def __str__(self):
        return f"{self.name} (/{self.route})"


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}{pattern.namespace}:"
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            name = f"{namespace}{pattern.name}" if pattern.name else f"<unnamed {route}>"
            yield Route(route=route, name=name, callback=pattern.callback)


def all_routes() -> list[Route]:
    """Every URL pattern of the project except the Django admin and static files."""
    return [
        r
        for r in _walk(get_resolver().url_patterns)
        if not r.route.startswith(SKIPPED_PREFIXES) and not r.route.startswith("^")
    ]


def regex_routes() -> list[str]:
    return [str(r) for r in _walk(get_resolver().url_patterns) if r.route.startswith("^")]


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and response.url.startswith("/login/")


def _is_approval_redirect(response) -> bool:
    return response.status_code == 302 and response.url == "/awaiting-approval/"


# --- (d) every view carries a guard ------------------------------------------------------


def test_every_view_carries_a_guard_marker():
    unguarded = [str(r) for r in all_routes() if not r.guarded]

    assert unguarded == [], "views without public / allows_roleless / required_role"


def test_only_the_expected_views_are_public_or_open_to_roleless_users():
    public = sorted(r.name for r in all_routes() if r.is_public)
    roleless = sorted(r.name for r in all_routes() if r.allows_roleless and not r.is_public)

    assert public == ["favicon", "healthz", "login", "logout", "register"]
    assert roleless == ["awaiting_approval", "password_change"]


def test_every_url_pattern_can_be_walked():
    # re_path patterns would need hand-made URLs; there are none, keep it that way.
    assert regex_routes() == []
    assert len(all_routes()) > 10


# --- (a) anonymous and (b) role-less users are refused -----------------------------------


def test_anonymous_get_and_post_are_sent_to_login(client):
    failures = []
    for route in all_routes():
        if route.is_public:
            continue
        for method in ("get", "post"):
            response = getattr(client, method)(route.url())
            if not (_is_login_redirect(response) or response.status_code == 405):
                failures.append(f"{method.upper()} {route}: {response.status_code}")

    assert failures == []


def test_roleless_users_are_sent_to_awaiting_approval(client, roleless_user):
    client.force_login(roleless_user)
    failures = []
    for route in all_routes():
        if route.is_public:
            continue
        if route.allows_roleless:
            response = client.get(route.url())
            if response.status_code != 200:
                failures.append(f"GET {route}: {response.status_code}, expected the page")
            continue
        for method in ("get", "post"):
            response = getattr(client, method)(route.url())
            if not (_is_approval_redirect(response) or response.status_code == 405):
                failures.append(f"{method.upper()} {route}: {response.status_code}")

    assert failures == []


# --- seeded data for (c) and (e) ---------------------------------------------------------


@pytest.fixture
def seeded(db):
    """The demo data, plus a draft order of each kind when the demo has none."""
    call_command("seed_demo", stdout=_Null())
    admin = get_user_model().objects.get(username="admin")
    store = Store.objects.order_by("pk").first()
    item = Item.objects.filter(is_active=True).order_by("pk").first()
    if not PurchaseOrder.objects.exists():
        po = PurchaseOrder.objects.create(
            supplier=Supplier.objects.order_by("pk").first(), store=store, created_by=admin
        )
        PurchaseOrderLine.objects.create(
            order=po, item=item, quantity_ordered=5, unit_cost=item.unit_cost, quantity_received=0
        )
    if not SalesOrder.objects.exists():
        so = SalesOrder.objects.create(
            customer=Customer.objects.order_by("pk").first(), store=store, created_by=admin
        )
        SalesOrderLine.objects.create(
            order=so,
            item=item,
            quantity=1,
            unit_price=item.unit_price,
            quantity_reserved=0,
            quantity_shipped=0,
            quantity_returned=0,
        )
    return admin


class _Null:
    def write(self, *args, **kwargs):
        pass

    def flush(self):
        pass


def _samples(model) -> list:
    """A few objects of the model: one per status (or QC status / active flag) where it has one."""
    field_names = {f.name for f in model._meta.get_fields()}
    for field in ("status", "qc_status", "is_active", "kind"):
        if field in field_names:
            picked = {}
            for obj in model.objects.order_by("pk"):
                picked.setdefault(getattr(obj, field), obj)
            return list(picked.values())
    first = model.objects.order_by("pk").first()
    return [first] if first else []


def _urls_with_real_ids(route: Route) -> list[str]:
    """The route's URL for a few real objects, or with dummy ids when the model is unknown."""
    params = route.params
    if not params:
        return [route.url()]
    model = SEGMENT_MODELS.get(route.route.split("/")[0])
    if model is None or params[0] not in ("pk", "id"):
        return [route.url()]
    urls = []
    for obj in _samples(model):
        values = {params[0]: obj.pk}
        if len(params) > 1:
            lines = getattr(obj, "lines", None)
            line = lines.order_by("pk").first() if lines is not None else None
            if line is None:
                continue
            values[params[1]] = line.pk
        urls.append(route.url(values))
    return urls or [route.url()]


def _snapshot() -> dict:
    """Every row of every project model (accounts, auth, inventory), field by field.

    Audit events of sign-ins are left out: logging in is not something a page GET does.
    """
    state = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label not in ("inventory", "accounts", "auth"):
            continue
        qs = model._base_manager.order_by("pk")
        if model is AuditEvent:
            qs = qs.exclude(action__startswith="auth.")
        # last_login moves when the test signs a user in, never on a page view
        fields = [f.attname for f in model._meta.concrete_fields if f.name != "last_login"]
        state[model._meta.label] = list(qs.values_list(*fields))
    return state


def _diff(before: dict, after: dict) -> list[str]:
    return [
        f"{label}: {len(before[label])} rows -> {len(after[label])} rows (or values changed)"
        for label in before
        if before[label] != after[label]
    ]


def test_the_snapshot_sees_a_changed_field(seeded):
    before = _snapshot()
    first = Alert.objects.order_by("pk").first()
    Alert.objects.filter(pk=first.pk).update(available_at_open=first.available_at_open + 1)

    count = Alert.objects.count()
    assert _diff(before, _snapshot()) == [
        f"inventory.Alert: {count} rows -> {count} rows (or values changed)"
    ]


# --- (c) role checks on manager and admin views, with real ids ---------------------------


def test_staff_get_403_from_manager_views_and_managers_from_admin_views(
    client, seeded, staff_user, manager_user
):
    before = _snapshot()
    failures = []
    for route in all_routes():
        role = route.required_role
        if role is None or role < Role.MANAGER:
            continue
        users = [staff_user] if role == Role.MANAGER else [staff_user, manager_user]
        for user in users:
            client.force_login(user)
            for url in _urls_with_real_ids(route):
                for method in ("get", "post"):
                    response = getattr(client, method)(url)
                    if response.status_code not in (403, 405):
                        failures.append(
                            f"{user.username} {method.upper()} {url} [{route.name}]: "
                            f"{response.status_code}"
                        )

    assert failures == []
    assert _diff(before, _snapshot()) == []


# --- (e) GET never changes anything ------------------------------------------------------


def _get_problems(client, url, route, headers) -> list[str]:
    try:
        response = client.get(url, **headers)
    except Exception as exc:  # a view that raises is a 500 in production
        return [f"GET {url} [{route.name}]: raised {exc!r}"]
    problems = []
    if _is_login_redirect(response):
        problems.append(f"GET {url} [{route.name}]: sent an Admin to the login page")
    if response.status_code >= 500:
        problems.append(f"GET {url} [{route.name}]: {response.status_code}")
    if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
        if "Content-Security-Policy" not in response:
            problems.append(f"GET {url} [{route.name}]: no CSP header")
        if not response.streaming and inline_scripts(response.content.decode()):
            problems.append(f"GET {url} [{route.name}]: inline script")
    return problems


def test_get_on_every_url_changes_nothing_and_never_fails(client, seeded):
    client.force_login(seeded)
    before = _snapshot()
    failures = []
    walked = 0
    for route in all_routes():
        for url in _urls_with_real_ids(route):
            for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
                walked += 1
                failures.extend(_get_problems(client, url, route, headers))
        # compared once per route: a full snapshot per request would make the walk slow
        after = _snapshot()
        changed = _diff(before, after)
        if changed:
            failures.append(f"GET {route} changed {changed}")
            before = after

    assert failures == []
    assert walked > 40


# --- (6) object-level permissions: guessing ids does not help ---------------------------


def test_staff_cannot_approve_or_reject_a_lot_by_its_id(staff_client, seeded):
    lot = Lot.objects.filter(qc_status="QUARANTINE").first() or Lot.objects.first()
    status, decisions = lot.qc_status, lot.decisions.count()

    for action in ("approve", "reject"):
        assert staff_client.post(f"/lots/{lot.pk}/{action}/", {"note": "x"}).status_code == 403

    lot.refresh_from_db()
    assert (lot.qc_status, lot.decisions.count()) == (status, decisions)


def test_staff_cannot_cancel_a_purchase_order_by_its_id(staff_client, seeded):
    order = PurchaseOrder.objects.order_by("pk").first()
    status = order.status

    assert staff_client.post(f"/purchases/{order.pk}/cancel/").status_code == 403

    order.refresh_from_db()
    assert order.status == status


def test_staff_cannot_reverse_a_ledger_entry_by_its_id(staff_client, seeded):
    entry = LedgerEntry.objects.filter(kind="RECEIVE").order_by("pk").first()
    count = LedgerEntry.objects.count()

    response = staff_client.post(f"/ledger/{entry.pk}/reverse/", {"note": "x"})

    assert response.status_code == 403
    assert LedgerEntry.objects.count() == count
    assert not LedgerEntry.objects.filter(reverses=entry).exists()


def test_staff_and_managers_cannot_change_roles_by_user_id(
    client, seeded, staff_user, manager_user
):
    target = get_user_model().objects.get(username="staff")
    groups = list(target.groups.values_list("name", flat=True))

    for user in (staff_user, manager_user):
        client.force_login(user)
        response = client.post(f"/users/{target.pk}/role/", {"role": str(Role.ADMIN.value)})
        assert response.status_code == 403
        # nor promote themselves
        response = client.post(f"/users/{user.pk}/role/", {"role": str(Role.ADMIN.value)})
        assert response.status_code == 403

    assert list(target.groups.values_list("name", flat=True)) == groups
    assert list(staff_user.groups.values_list("name", flat=True)) == ["Staff"]
    assert list(manager_user.groups.values_list("name", flat=True)) == ["Manager"]
    assert not AuditEvent.objects.filter(action="user.set_role").exists()


def test_staff_cannot_acknowledge_an_alert_by_its_id(staff_client, seeded):
    alert = Alert.objects.filter(status=Alert.Status.OPEN).order_by("pk").first()

    assert staff_client.post(f"/alerts/{alert.pk}/acknowledge/").status_code == 403

    alert.refresh_from_db()
    assert (alert.status, alert.closed_by) == (Alert.Status.OPEN, None)


def test_managers_can_acknowledge_an_alert_from_the_list(manager_client, seeded):
    alert = Alert.objects.filter(status=Alert.Status.OPEN).order_by("pk").first()
    page = manager_client.get("/alerts/").content.decode()
    assert f'action="/alerts/{alert.pk}/acknowledge/"' in page

    response = manager_client.post(f"/alerts/{alert.pk}/acknowledge/", follow=True)

    assert response.redirect_chain == [("/alerts/", 302)]
    alert.refresh_from_db()
    assert alert.status == Alert.Status.ACKNOWLEDGED
    assert alert.closed_by.username == "manager1"
    assert f"Alert for {alert.item.sku} at {alert.store.name} acknowledged" in (
        response.content.decode()
    )
    again = manager_client.post(f"/alerts/{alert.pk}/acknowledge/", follow=True)
    assert "is not open" in again.content.decode()
