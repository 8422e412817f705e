"""From a QA pass as a till and scanner integrator: a blank code looked up finds no item
(not the whole catalogue); a direct purchase names every bad line in one answer, its
expiry with its quantity and cost; a receipt of everything outstanding and a shipment
of everything reserved name a refused line by its place in the order's `lines`."""

from datetime import date

import pytest

from inventory.models import Lot
from inventory.services.catalog import item_deactivate
from inventory.services.purchasing import (
    purchase_order_receive,
)
from inventory.services.qc import lot_quarantine
from inventory.services.stock import stock_receive
from inventory.tests.factories import ItemFactory
from inventory.tests.views.purchasing_view_helpers import placed_order

from .db_state import db_state
from .responses import assert_problem

pytestmark = pytest.mark.django_db
V1 = "/api/v1"


@pytest.mark.parametrize("name", ["barcode", "sku"])
@pytest.mark.parametrize("value", ["", "   "])
def test_a_blank_code_looked_up_finds_no_item(staff_api, name, value):
    ItemFactory(sku="BOLT-M8", barcode="5012345000031")
    ItemFactory(sku="NUT-M8")

    response = staff_api.get(f"{V1}/items/", {name: value})

    assert response.status_code == 200, response.content
    assert (response.json()["count"], response.json()["results"]) == (0, [])


def test_a_code_looked_up_still_finds_its_item_and_no_filter_lists_all(staff_api):
    wanted = ItemFactory(sku="BOLT-M8", barcode="5012345000031")
    other = ItemFactory(sku="NUT-M8")

    found = staff_api.get(f"{V1}/items/", {"barcode": " 5012345000031 "}).json()
    every = staff_api.get(f"{V1}/items/").json()

    assert [row["id"] for row in found["results"]] == [wanted.pk]
    assert sorted(row["id"] for row in every["results"]) == sorted([wanted.pk, other.pk])


def test_a_direct_purchase_names_every_bad_line_at_once(staff_api, supplier, store):
    boxes = ItemFactory(sku="BOX-1", unit="box")
    sand = ItemFactory(sku="SAND-1", unit="kg")
    good = ItemFactory(sku="GOOD-1")
    before = db_state()

    response = staff_api.stock_post(
        f"{V1}/purchase-orders/direct/",
        {
            "supplier": supplier.pk,
            "store": store.pk,
            "lines": [
                {"item": good.pk, "quantity": "2"},
                {"item": boxes.pk, "quantity": "1.5"},
                {"item": sand.pk, "quantity": "1", "expires_on": "2000-01-01"},
                {"item": good.pk, "quantity": "-1", "expires_on": "2000-01-01"},
            ],
        },
    )

    problem = assert_problem(response, 422)
    assert problem["type"] == "urn:inventory:problem:refused-lines"
    assert problem["line"] == 1
    assert [(r["line"], r["errors"]) for r in problem["refusals"]] == [
        (1, {"quantity": ["Quantity of BOX-1 must be a whole number of boxes."]}),
        (
            2,
            {
                "expires_on": [
                    f"Expiry date {date(2000, 1, 1)} is in the past: "
                    "expired stock cannot be received."
                ]
            },
        ),
        (
            3,
            {
                "expires_on": [
                    f"Expiry date {date(2000, 1, 1)} is in the past: "
                    "expired stock cannot be received."
                ]
            },
        ),
    ]
    after = db_state()
    assert after.pop("stored answers") == before.pop("stored answers") + 1
    assert after == before


def test_the_schema_documents_the_refused_lines_problem(staff_api):
    schema = staff_api.get("/api/schema/", {"format": "json"}).json()
    refusals = schema["components"]["schemas"]["Problem"]["properties"]["refusals"]
    direct = schema["paths"][f"{V1}/purchase-orders/direct/"]["post"]["responses"]

    assert refusals["items"]["properties"]["line"]["type"] == "integer"
    assert refusals["items"]["properties"]["detail"]["type"] == "string"
    assert refusals["items"]["properties"]["errors"]["type"] == "object"
    assert refusals["items"]["required"] == ["line", "detail"]
    assert "urn:inventory:problem:refused-lines" in direct["422"]["description"]
    quick = schema["paths"][f"{V1}/sales-orders/quick/"]["post"]["parameters"]
    key = next(param for param in quick if param["name"] == "Idempotency-Key")
    assert "Keys belong to the token that sends them" in key["description"]


def test_receiving_all_names_the_refused_line_as_the_order_lists_it(
    manager_api, manager_user, supplier, store
):
    done, gone = ItemFactory(sku="DONE-1"), ItemFactory(sku="GONE-1")
    order = placed_order(manager_user, supplier, store, (done, "2", "1.00"), (gone, "3", "1.00"))
    first, second = order.lines.order_by("pk")
    purchase_order_receive(
        actor=manager_user, order=order, receipts=[{"line": first, "quantity": 2}]
    )
    item_deactivate(actor=manager_user, item=gone)
    before = db_state()

    response = manager_api.stock_post(f"{V1}/purchase-orders/{order.pk}/receive/", {"all": True})

    problem = assert_problem(response, 422)
    listed = manager_api.get(f"{V1}/purchase-orders/{order.pk}/").json()["lines"]
    assert listed[problem["line"]]["id"] == second.pk  # the second line of the order, not 0
    assert (problem["line"], problem["errors"]) == (
        1,
        {"item": [f"Item GONE-1 {gone.name} is deactivated."]},
    )
    after = db_state()
    assert after.pop("stored answers") == before.pop("stored answers") + 1
    assert after == before


def test_shipping_all_names_the_short_line_as_the_order_lists_it(staff_api, manager_user, store):
    sent, held = ItemFactory(sku="SENT-1"), ItemFactory(sku="HELD-1")
    for item in (sent, held):
        stock_receive(actor=manager_user, item=item, store=store, quantity=5)
    order = staff_api.post(
        f"{V1}/sales-orders/",
        {
            "store": store.pk,
            "lines": [{"item": sent.pk, "quantity": "2"}, {"item": held.pk, "quantity": "3"}],
        },
    ).json()
    first, second = (line["id"] for line in order["lines"])
    url = f"{V1}/sales-orders/{order['id']}"
    assert staff_api.stock_post(f"{url}/confirm/").status_code == 200
    assert (
        staff_api.stock_post(
            f"{url}/ship/", {"lines": [{"line": first, "quantity": "2"}]}
        ).status_code
        == 200
    )
    lot_quarantine(actor=manager_user, lot=Lot.objects.get(item=held), note="recall")
    before = db_state()

    response = staff_api.stock_post(f"{url}/ship/", {})

    problem = assert_problem(response, 409)
    assert (problem["line"], problem["requested"], problem["available"]) == (1, "3.000", "0.000")
    assert [s["line"] for s in problem["shortages"]] == [1]
    assert staff_api.get(f"{url}/").json()["lines"][1]["id"] == second
    after = db_state()
    assert after.pop("stored answers") == before.pop("stored answers") + 1
    assert after == before


def test_the_schema_says_how_many_lines_a_document_takes(staff_api):
    schemas = staff_api.get("/api/schema/", {"format": "json"}).json()["components"]["schemas"]

    def bounds(name, key):
        field = schemas[name]["properties"][key]
        return field.get("minItems"), field.get("maxItems")

    assert bounds("SalesOrderInputRequest", "lines") == (1, 200)
    assert bounds("DirectPurchaseInputRequest", "lines") == (1, 200)
    assert bounds("ReceiveInputRequest", "receipts") == (1, 200)
    assert bounds("ShipInputRequest", "lines") == (1, 200)
    assert bounds("CountInputRequest", "counts") == (1, 200)
