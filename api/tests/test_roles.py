"""The role x endpoint matrix: every operation of the schema, as every role, leaks nothing.

The expected role of each operation is written out here, not read from the views, so
a view that forgets its role fails; an operation missing from the table fails too.
"""

import uuid
from decimal import Decimal

import pytest
from django.apps import apps
from drf_spectacular.generators import SchemaGenerator

from accounts.roles import Role
from api.services import api_token_create
from api.tests.conftest import ApiClient
from inventory.models import Alert, AuditEvent, LedgerEntry, Lot
from inventory.services.alerts import alerts_refresh
from inventory.services.purchasing import purchase_order_create
from inventory.services.sales import sales_order_create
from inventory.services.stock import stock_receive
from inventory.tests.factories import (
    CategoryFactory,
    CustomerFactory,
    ItemFactory,
    StoreFactory,
    SupplierFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
S, M = Role.STAFF, Role.MANAGER
CATALOGUE = ["items", "categories", "stores", "suppliers", "customers"]

EXPECTED = {
    **{f"{name}_list": S for name in CATALOGUE},
    **{f"{name}_retrieve": S for name in CATALOGUE},
    **{f"{name}_create": M for name in CATALOGUE},
    **{f"{name}_partial_update": M for name in CATALOGUE},
    **{f"{name}_activate_create": M for name in CATALOGUE},
    **{f"{name}_deactivate_create": M for name in CATALOGUE},
    "stock_list": S,
    "stock_by_item_retrieve": S,
    "stock_by_store_list": S,
    "stock_by_lot_list": S,
    "lots_list": S,
    "lots_retrieve": S,
    "lots_approve_create": M,
    "lots_reject_create": M,
    "lots_quarantine_create": M,
    "lots_expiry_create": M,
    "movements_list": S,
    "movements_retrieve": S,
    "movements_reverse_create": M,
    "transfers_create": M,
    "adjustments_create": M,
    "stock_counts_create": M,
    "purchase_orders_list": S,
    "purchase_orders_retrieve": S,
    "purchase_orders_create": M,
    "purchase_orders_update": M,
    "purchase_orders_place_create": M,
    "purchase_orders_cancel_create": M,
    "purchase_orders_receive_create": S,
    "purchase_orders_direct_create": S,
    "sales_orders_list": S,
    "sales_orders_retrieve": S,
    "sales_orders_create": S,
    "sales_orders_update": S,
    "sales_orders_confirm_create": S,
    "sales_orders_ship_create": S,
    "sales_orders_cancel_create": S,
    "sales_orders_returns_create": S,
    "sales_orders_quick_create": S,
    "audit_events_list": M,
    "audit_events_retrieve": M,
    "alerts_list": M,
    "alerts_retrieve": M,
    "alerts_acknowledge_create": M,
}


def operations() -> list[tuple[str, str, str]]:
    """(operationId, method, path template) of every operation in the schema."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (op["operationId"], method.upper(), path)
        for path, item in schema["paths"].items()
        for method, op in item.items()
    ]


@pytest.fixture
def world(db):
    manager = UserFactory(role="Manager", username="seed")
    store, item = StoreFactory(code="W1"), ItemFactory(sku="W-1", reorder_level=Decimal("50"))
    stock_receive(actor=manager, item=item, store=store, quantity=10)
    alerts_refresh(pairs={(item.pk, store.pk)})  # below its level: an alert to acknowledge
    supplier, customer = SupplierFactory(), CustomerFactory()
    po = purchase_order_create(
        actor=manager, supplier=supplier, store=store, lines=[(item, 5, None)]
    )
    so = sales_order_create(actor=manager, store=store, customer=None, lines=[(item, 1, None)])
    ids = {
        "items": item.pk,
        "categories": CategoryFactory().pk,
        "stores": store.pk,
        "suppliers": supplier.pk,
        "customers": customer.pk,
        "lots": Lot.objects.get().pk,
        "movements": LedgerEntry.objects.get().pk,
        "purchase-orders": po.pk,
        "sales-orders": so.pk,
        "audit-events": AuditEvent.objects.first().pk,
        "alerts": Alert.objects.get().pk,
        "item_id": item.pk,
        "store_id": store.pk,
    }
    return ids


def url(path: str, ids: dict) -> str:
    segment = path.split("/")[3]
    if "{id}" in path:
        path = path.replace("{id}", str(ids[segment]))
    return path.format(item_id=ids["item_id"], store_id=ids["store_id"])


def call(client: ApiClient, method: str, target: str):
    if method == "GET":
        return client.get(target)
    return client.send(method.lower(), target, {}, key=str(uuid.uuid4()))


def snapshot() -> dict:
    """Every row of the inventory and api tables, except the tokens' last-used time."""
    state = {}
    for model in apps.get_app_config("inventory").get_models():
        state[model._meta.label] = list(model._base_manager.order_by("pk").values_list())
    state["api.IdempotentRequest"] = list(
        apps.get_model("api", "IdempotentRequest").objects.values_list("pk")
    )
    return state


def test_every_operation_has_an_expected_role():
    assert sorted(op for op, _, _ in operations()) == sorted(EXPECTED)


def test_no_role_reaches_an_operation_above_it_and_refusals_change_nothing(world):
    clients = {
        "anonymous": (ApiClient(), None),
        "no role": (ApiClient(api_token_create(actor=UserFactory(), name="x").raw), Role.NONE),
        "staff": (ApiClient(api_token_create(actor=UserFactory(role="Staff"), name="x").raw), S),
        "manager": (
            ApiClient(api_token_create(actor=UserFactory(role="Manager"), name="x").raw),
            M,
        ),
    }
    before = snapshot()
    leaks = []
    for operation, method, path in operations():
        required = EXPECTED[operation]
        for name, (client, role) in clients.items():
            if role is not None and role >= required:
                continue
            response = call(client, method, url(path, world))
            expected = 401 if role is None else 403
            if response.status_code != expected:
                leaks.append(f"{name} {method} {path}: {response.status_code}")
            elif response["Content-Type"] != "application/problem+json":
                leaks.append(f"{name} {method} {path}: {response['Content-Type']}")

    assert leaks == []
    assert snapshot() == before


@pytest.mark.parametrize("role", ["Staff", "Manager", "Admin"])
def test_each_role_reaches_every_operation_its_role_allows(world, role):
    client = ApiClient(api_token_create(actor=UserFactory(role=role), name="x").raw)
    level = {"Staff": S, "Manager": M, "Admin": Role.ADMIN}[role]
    refused = []
    for operation, method, path in sorted(operations(), key=lambda op: op[1] != "GET"):
        if EXPECTED[operation] > level:
            continue
        response = call(client, method, url(path, world))
        if response.status_code in (401, 403) or response.status_code >= 500:
            refused.append(f"{method} {path}: {response.status_code} {response.content[:120]}")

    assert refused == []
