"""Ids in a request body: a JSON integer or a string of ASCII digits, as the schema says;
one past what the database can hold is an unknown id (400 naming the field), never a 500."""

import pytest

from inventory.models import LedgerEntry, SalesOrder
from inventory.services.stock import stock_receive

pytestmark = pytest.mark.django_db
QUICK = "/api/v1/sales-orders/quick/"


@pytest.fixture
def stocked(manager_user, item, store):
    stock_receive(actor=manager_user, item=item, store=store, quantity=10)
    return item, store


def test_an_id_sent_as_a_digit_string_is_read_as_that_id(staff_api, stocked):
    item, store = stocked
    body = {"store": str(store.pk), "lines": [{"item": str(item.pk), "quantity": "2"}]}
    response = staff_api.post(QUICK, body, key="digits-1")
    assert response.status_code == 201, response.content
    assert LedgerEntry.objects.filter(kind="ISSUE").get().quantity == 2


@pytest.mark.parametrize("huge", [2**63, str(2**63), "9" * 40, 2**63 - 1])
def test_an_id_past_the_column_is_an_unknown_id_and_changes_nothing(staff_api, stocked, huge):
    item, store = stocked
    before = LedgerEntry.objects.count()
    body = {"store": store.pk, "lines": [{"item": huge, "quantity": "1"}]}
    response = staff_api.post(QUICK, body, key=f"huge-{huge}"[:60])
    assert response.status_code == 400, response.content
    assert "item" in str(response.json()["errors"])
    assert LedgerEntry.objects.count() == before
    assert not SalesOrder.objects.exists()


def test_the_schema_says_a_request_id_may_be_a_digit_string_and_a_response_id_is_an_integer(
    staff_api,
):
    schemas = staff_api.get("/api/schema/?format=json").json()["components"]["schemas"]
    digits = {"type": "string", "pattern": "^[0-9]+$"}
    assert schemas["SalesLineInputRequest"]["properties"]["item"] == {
        "oneOf": [{"type": "integer"}, digits]
    }
    assert schemas["ItemRequest"]["properties"]["supplier"]["oneOf"][1] == digits
    assert schemas["ItemRequest"]["properties"]["supplier"]["nullable"] is True
    line = schemas["ShipmentInputRequest"]["properties"]["line"]["oneOf"]
    assert line[0]["maximum"] == 2**63 - 1 and line[1] == digits
    assert schemas["SalesOrderLine"]["properties"]["item"] == {"type": "integer", "readOnly": True}


def test_the_schema_lists_413_on_every_write(staff_api):
    paths = staff_api.get("/api/schema/?format=json").json()["paths"]
    quick = paths["/api/v1/sales-orders/quick/"]["post"]["responses"]
    assert "application/problem+json" in quick["413"]["content"]
    assert "413" not in paths["/api/v1/items/"]["get"]["responses"]
