"""What a till or web-shop connector relies on: an item found by its exact SKU, a filter
that refuses what it cannot read, an empty document refused by its field, and a
shipment's refusal naming the line of the body it concerns."""

import pytest

from inventory.services.stock import stock_receive
from inventory.tests.factories import ItemFactory, SupplierFactory

from .db_state import db_state
from .responses import assert_problem

pytestmark = pytest.mark.django_db
V1 = "/api/v1"
PROBLEM = "application/problem+json"


def test_an_item_is_found_by_its_exact_sku_in_any_letter_case(staff_api):
    wanted = ItemFactory(sku="BOLT-M8")
    ItemFactory(sku="BOLT-M80")
    ItemFactory(sku="NUT-M8")

    for sku in ("BOLT-M8", "bolt-m8", " BOLT-M8 "):
        response = staff_api.get(f"{V1}/items/", {"sku": sku})
        assert response.status_code == 200, response.content
        assert [row["id"] for row in response.json()["results"]] == [wanted.pk], sku

    assert staff_api.get(f"{V1}/items/", {"sku": "BOLT"}).json()["results"] == []


def test_the_schema_documents_the_sku_filter(staff_api):
    schema = staff_api.get("/api/schema/", {"format": "json"}).json()
    names = [p["name"] for p in schema["paths"][f"{V1}/items/"]["get"]["parameters"]]
    assert "sku" in names


def test_a_low_stock_filter_it_cannot_read_is_refused_not_ignored(staff_api, manager_user, store):
    low = ItemFactory(reorder_level=10)
    plenty = ItemFactory(reorder_level=1)
    for item in (low, plenty):
        stock_receive(actor=manager_user, item=item, store=store, quantity=5)

    refused = staff_api.get(f"{V1}/stock/", {"low": "yes"})
    assert refused.status_code == 400, refused.content
    assert refused["Content-Type"] == PROBLEM
    assert list(refused.json()["errors"]) == ["low"]

    listed = staff_api.get(f"{V1}/stock/", {"low": "true"}).json()["results"]
    assert [row["item"] for row in listed] == [low.pk]
    every = staff_api.get(f"{V1}/stock/", {"low": "false"}).json()["results"]
    assert {row["item"] for row in every} == {low.pk, plenty.pk}


@pytest.fixture
def confirmed(staff_api, manager_user, store):
    """A CONFIRMED order of two lines of 2 (pcs), 10 of each in stock: (order, [line ids])."""
    items = [ItemFactory(), ItemFactory()]
    for item in items:
        stock_receive(actor=manager_user, item=item, store=store, quantity=10)
    order = staff_api.post(
        f"{V1}/sales-orders/",
        {"store": store.pk, "lines": [{"item": i.pk, "quantity": "2"} for i in items]},
    ).json()
    response = staff_api.stock_post(f"{V1}/sales-orders/{order['id']}/confirm/")
    assert response.json()["order"]["status"] == "CONFIRMED", response.content
    return order["id"], [line["id"] for line in order["lines"]]


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("sales-orders/quick/", lambda store, supplier: {"store": store.pk, "lines": []}),
        ("sales-orders/", lambda store, supplier: {"store": store.pk, "lines": []}),
        (
            "purchase-orders/direct/",
            lambda store, supplier: {"supplier": supplier.pk, "store": store.pk, "lines": []},
        ),
    ],
)
def test_a_document_with_no_lines_is_refused_naming_lines(staff_api, store, path, body):
    before = db_state()

    response = staff_api.stock_post(f"{V1}/{path}", body(store, SupplierFactory()))

    assert_problem(response, 400)
    assert list(response.json()["errors"]) == ["lines"]
    assert db_state() == before


def test_a_shipment_of_no_lines_is_refused_naming_lines(staff_api, confirmed):
    order, _lines = confirmed
    before = db_state()

    response = staff_api.stock_post(f"{V1}/sales-orders/{order}/ship/", {"lines": []})

    assert response.status_code == 400, response.content
    assert list(response.json()["errors"]) == ["lines"]
    assert db_state() == before


def test_a_short_shipment_names_the_line_as_placed_in_the_body(staff_api, confirmed):
    order, (first, second) = confirmed
    before = db_state()

    # The body lists the order's second line first; the first line (body line 1) is short.
    response = staff_api.stock_post(
        f"{V1}/sales-orders/{order}/ship/",
        {"lines": [{"line": second, "quantity": "1"}, {"line": first, "quantity": "5"}]},
    )

    assert response.status_code == 409, response.content
    problem = response.json()
    assert (problem["line"], problem["requested"], problem["available"]) == (
        1,
        "5.000",
        "2.000",
    )
    assert [s["line"] for s in problem["shortages"]] == [1]
    after = db_state()
    assert after.pop("stored answers") == before.pop("stored answers") + 1
    assert after == before


def test_a_shipment_refusal_counts_lines_shipping_nothing(staff_api, confirmed):
    order, (first, second) = confirmed

    response = staff_api.stock_post(
        f"{V1}/sales-orders/{order}/ship/",
        {"lines": [{"line": first, "quantity": "0"}, {"line": second, "quantity": "0.5"}]},
    )

    assert response.status_code == 422, response.content
    problem = response.json()
    assert problem["line"] == 1
    assert problem["errors"] == {"quantity": ["Quantity must be a whole number of pcs."]}


def test_a_line_of_another_order_is_refused_by_name_and_place(
    staff_api, manager_user, store, confirmed
):
    order, (first, _second) = confirmed
    other_item = ItemFactory()
    stock_receive(actor=manager_user, item=other_item, store=store, quantity=1)
    other = staff_api.post(
        f"{V1}/sales-orders/",
        {"store": store.pk, "lines": [{"item": other_item.pk, "quantity": "1"}]},
    ).json()
    foreign = other["lines"][0]["id"]
    before = db_state()

    response = staff_api.stock_post(
        f"{V1}/sales-orders/{order}/ship/",
        {"lines": [{"line": first, "quantity": "1"}, {"line": foreign, "quantity": "1"}]},
    )

    problem = assert_problem(response, 422)
    message = f"Line {foreign} does not belong to SO-{order:06d}."
    assert (problem["detail"], problem["line"]) == (message, 1)
    assert problem["errors"] == {"line": [message]}
    after = db_state()
    assert after.pop("stored answers") == before.pop("stored answers") + 1
    assert after == before
