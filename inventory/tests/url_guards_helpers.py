"""Every URL pattern as a Route with its guard marker, seeded data with real ids, a DB snapshot."""

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
    """One URL pattern and its view, which must carry one guard marker.

    Generic on purpose: a view added later is walked too. The markers are `is_public`
    (accounts.permissions.public), `allows_roleless` (signed_in_without_role) or a
    `required_role` (role_required on a function, a RoleRequiredMixin on a class).
    """

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


# --- seeded data for (c) and (e) ---------------------------------------------------------


@pytest.fixture(name="seeded")
def seeded_fixture(db):
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
