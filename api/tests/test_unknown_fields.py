"""Keys a write does not take are refused by name, never dropped; every body is an object;
receiving everything outstanding is asked for by name."""

from decimal import Decimal

import pytest

from api.serializers import catalog, orders, stock
from api.serializers.fields import StrictKeysMixin
from inventory.models import PurchaseOrder, PurchaseOrderLine, SalesOrder
from inventory.services.stock import stock_receive
from inventory.tests.factories import SupplierFactory

from .db_state import db_state
from .test_strict_fields import all_serializers

pytestmark = pytest.mark.django_db
V1 = "/api/v1"
QUICK = f"{V1}/sales-orders/quick/"
UNKNOWN = ["Unknown field: this request does not take it."]
NUMBER_MESSAGE = (
    "Enter a plain number: digits 0-9, an optional leading minus and an optional decimal point."
)
READ_ONLY = ["This field is read-only; it cannot be set here."]


@pytest.fixture
def stocked(manager_user, item, store):
    stock_receive(actor=manager_user, item=item, store=store, quantity=10)
    return item, store


@pytest.fixture
def placed_po(manager_api, store, item):
    supplier = SupplierFactory()
    response = manager_api.post(
        f"{V1}/purchase-orders/",
        {
            "supplier": supplier.pk,
            "store": store.pk,
            "lines": [{"item": item.pk, "quantity": "10", "unit_cost": "1.25"}],
        },
    )
    order = response.json()
    assert manager_api.post(f"{V1}/purchase-orders/{order['id']}/place/").status_code == 200
    return order


def errors_of(response) -> dict:
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"] == "urn:inventory:problem:validation"
    return response.json()["errors"]


def test_every_api_serializer_refuses_unknown_keys():
    assert all(issubclass(cls, StrictKeysMixin) for cls in all_serializers())
    assert catalog and orders and stock  # the modules all_serializers() walks


def test_receipts_under_a_wrong_key_receive_nothing(staff_api, placed_po):
    line = placed_po["lines"][0]["id"]
    before = db_state()

    response = staff_api.stock_post(
        f"{V1}/purchase-orders/{placed_po['id']}/receive/",
        {"lines": [{"line": line, "quantity": "2"}]},
    )

    assert errors_of(response) == {"lines": UNKNOWN}
    assert db_state() == before
    assert PurchaseOrderLine.objects.get().quantity_received == 0
    assert PurchaseOrder.objects.get().status == "ORDERED"


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, "receipts"),
        ({"receipts": []}, "receipts"),
        ({"all": False}, "receipts"),
        ({"all": True, "receipts": [{"line": 1, "quantity": "1"}]}, "all"),
        # found by QA: a string or a number switched "receive everything" on
        ({"all": "true"}, "all"),
        ({"all": 1}, "all"),
    ],
)
def test_a_receipt_that_names_nothing_receives_nothing(staff_api, placed_po, body, errors):
    before = db_state()

    response = staff_api.stock_post(f"{V1}/purchase-orders/{placed_po['id']}/receive/", body)

    assert list(errors_of(response)) == [errors]
    if body == {}:
        assert errors_of(response)["receipts"] == [
            'Name what arrived in "receipts", or send "all": true to receive everything '
            "outstanding."
        ]
    assert db_state() == before


def test_all_true_receives_everything_outstanding(staff_api, placed_po):
    response = staff_api.stock_post(
        f"{V1}/purchase-orders/{placed_po['id']}/receive/", {"all": True}
    )

    assert response.status_code == 201, response.content
    assert response.json()["order"]["status"] == "RECEIVED"
    assert PurchaseOrderLine.objects.get().quantity_received == Decimal(10)


def test_a_misspelt_key_on_a_receipt_line_is_named(staff_api, placed_po):
    line = placed_po["lines"][0]["id"]
    before = db_state()

    response = staff_api.stock_post(
        f"{V1}/purchase-orders/{placed_po['id']}/receive/",
        {"receipts": [{"line": line, "quantity": "2", "lot": "A-1"}], "notes": "x"},
    )

    assert errors_of(response) == {"receipts": {"0": {"lot": UNKNOWN}}, "notes": UNKNOWN}
    assert db_state() == before


@pytest.mark.parametrize(
    ("extra", "line_extra", "errors"),
    [
        ({"notes": "till 2"}, {}, {"notes": UNKNOWN}),
        ({}, {"lot": 5}, {"lines": {"0": {"lot": UNKNOWN}}}),
        ({"number": "SO-1", "status": "SHIPPED"}, {}, {"number": UNKNOWN, "status": UNKNOWN}),
    ],
)
def test_a_quick_sale_with_a_key_it_does_not_take_sells_nothing(
    staff_api, stocked, extra, line_extra, errors
):
    item, store = stocked
    body = {"store": store.pk, "lines": [{"item": item.pk, "quantity": "1", **line_extra}]}
    before = db_state()

    response = staff_api.stock_post(QUICK, {**body, **extra})

    assert errors_of(response) == errors
    assert db_state() == before


def test_an_unknown_key_is_named_beside_the_other_errors(staff_api, stocked):
    item, store = stocked
    before = db_state()

    response = staff_api.stock_post(
        QUICK, {"store": store.pk, "lines": [{"item": item.pk, "quantity": "x"}], "notes": ""}
    )

    assert errors_of(response) == {
        "lines": {"0": {"quantity": [NUMBER_MESSAGE]}},
        "notes": UNKNOWN,
    }
    assert db_state() == before


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"on_hand": "5000"}, {"on_hand": READ_ONLY}),
        ({"unit_price": "9.99", "is_active": False}, {"is_active": READ_ONLY}),
        ({"unit_price": "9.99", "price": "1"}, {"price": UNKNOWN}),
    ],
)
def test_patching_an_item_with_a_key_it_cannot_set_changes_nothing(manager_api, item, body, errors):
    before = db_state()

    response = manager_api.patch(f"{V1}/items/{item.pk}/", body)

    assert errors_of(response) == errors
    assert db_state() == before
    item.refresh_from_db()
    assert item.is_active


def test_a_known_key_still_patches(manager_api, item):
    response = manager_api.patch(f"{V1}/items/{item.pk}/", {"unit_price": "9.99"})

    assert response.status_code == 200, response.content
    item.refresh_from_db()
    assert item.unit_price == Decimal("9.99")


def test_an_action_that_takes_no_body_refuses_keys(manager_api, store, item):
    supplier = SupplierFactory()
    order = manager_api.post(
        f"{V1}/purchase-orders/",
        {"supplier": supplier.pk, "store": store.pk, "lines": [{"item": item.pk, "quantity": "1"}]},
    ).json()
    before = db_state()

    refused = manager_api.post(f"{V1}/purchase-orders/{order['id']}/place/", {"force": True})
    deactivate = manager_api.post(f"{V1}/items/{item.pk}/deactivate/", {"reason": "old"})

    assert errors_of(refused) == {"force": UNKNOWN}
    assert errors_of(deactivate) == {"reason": UNKNOWN}
    assert db_state() == before
    assert PurchaseOrder.objects.get().status == "DRAFT"
    placed = manager_api.post(f"{V1}/purchase-orders/{order['id']}/place/", {})
    assert placed.status_code == 200 and placed.json()["status"] == "ORDERED"


def test_confirming_a_sales_order_with_a_key_reserves_nothing(staff_api, stocked):
    item, store = stocked
    order = staff_api.post(
        f"{V1}/sales-orders/", {"store": store.pk, "lines": [{"item": item.pk, "quantity": "2"}]}
    ).json()
    before = db_state()

    response = staff_api.stock_post(
        f"{V1}/sales-orders/{order['id']}/confirm/", {"lines": [{"line": 1}]}
    )

    assert errors_of(response) == {"lines": UNKNOWN}
    assert db_state() == before
    assert SalesOrder.objects.get().status == "DRAFT"


@pytest.mark.parametrize("body", ["null", "[]", '[{"store": 1}]', "3", '"text"', "true"])
@pytest.mark.parametrize("method", ["post", "patch"])
def test_a_body_that_is_not_a_json_object_is_a_400(manager_api, stocked, body, method):
    item, _store = stocked
    path = QUICK if method == "post" else f"{V1}/items/{item.pk}/"
    before = db_state()

    response = manager_api.send(method, path, body, key="not-an-object")

    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == "The request body must be a JSON object."
    assert db_state() == before
