"""Shipping and receiving lines: every quantity is checked as sent, never after a sum;
and a shipment's movement is corrected through its order, not reversed."""

import pytest

from inventory.models import LedgerEntry
from inventory.services.stock import stock_receive
from inventory.tests.factories import SupplierFactory

from .db_state import db_state
from .responses import assert_problem

pytestmark = pytest.mark.django_db
V1 = "/api/v1"


@pytest.fixture
def confirmed(staff_api, manager_user, item, store):
    """A CONFIRMED order of one line of 3, with 10 in stock: (order id, line id)."""
    stock_receive(actor=manager_user, item=item, store=store, quantity=10)
    order = staff_api.post(
        f"{V1}/sales-orders/", {"store": store.pk, "lines": [{"item": item.pk, "quantity": "3"}]}
    ).json()
    response = staff_api.stock_post(f"{V1}/sales-orders/{order['id']}/confirm/")
    assert response.json()["order"]["status"] == "CONFIRMED"
    return order["id"], order["lines"][0]["id"]


def test_a_line_named_twice_in_a_shipment_is_refused_by_name(staff_api, confirmed):
    order, line = confirmed
    before = db_state()

    response = staff_api.stock_post(
        f"{V1}/sales-orders/{order}/ship/",
        {"lines": [{"line": line, "quantity": "2"}, {"line": line, "quantity": "-1"}]},
    )

    assert_problem(response, 400)
    message = f"Line {line} is named twice; send it once with the whole quantity to ship."
    assert response.json() == {
        "type": "urn:inventory:problem:validation",
        "title": "Invalid request",
        "status": 400,
        "detail": message,
        "errors": {"lines": [message]},
    }
    assert db_state() == before


def test_a_negative_shipped_quantity_is_refused_on_its_own(staff_api, confirmed):
    order, line = confirmed
    before = db_state()

    response = staff_api.stock_post(
        f"{V1}/sales-orders/{order}/ship/", {"lines": [{"line": line, "quantity": "-1"}]}
    )

    assert_problem(response, 422)
    assert response.json()["detail"] == "Quantity must be greater than zero."
    after = db_state()
    assert after.pop("stored answers") == before.pop("stored answers") + 1  # a refusal, kept
    assert after == before


def test_a_line_shipped_once_still_ships(staff_api, confirmed):
    order, line = confirmed

    response = staff_api.stock_post(
        f"{V1}/sales-orders/{order}/ship/", {"lines": [{"line": line, "quantity": "2"}]}
    )

    assert response.status_code == 200, response.content
    shipped = response.json()["order"]
    assert (shipped["status"], shipped["lines"][0]["quantity_shipped"]) == (
        "PARTIALLY_SHIPPED",
        "2.000",
    )


def test_a_receipt_line_named_twice_checks_each_quantity(manager_api, store, item):
    # Receipts may name a line twice (two lots of one delivery): each is checked as sent.
    supplier = SupplierFactory()
    order = manager_api.post(
        f"{V1}/purchase-orders/",
        {
            "supplier": supplier.pk,
            "store": store.pk,
            "lines": [{"item": item.pk, "quantity": "5"}],
        },
    ).json()
    manager_api.post(f"{V1}/purchase-orders/{order['id']}/place/")
    line = order["lines"][0]["id"]
    before = db_state()

    response = manager_api.stock_post(
        f"{V1}/purchase-orders/{order['id']}/receive/",
        {
            "receipts": [
                {"line": line, "quantity": "2", "lot_code": "A"},
                {"line": line, "quantity": "-1", "lot_code": "B"},
            ]
        },
    )

    assert_problem(response, 422)
    assert "greater than zero" in response.json()["detail"]
    after = db_state()
    assert after.pop("stored answers") == before.pop("stored answers") + 1
    assert after == before


def test_reversing_a_shipment_movement_points_to_the_order(manager_api, staff_api, confirmed):
    order, line = confirmed
    shipped = staff_api.stock_post(
        f"{V1}/sales-orders/{order}/ship/", {"lines": [{"line": line, "quantity": "3"}]}
    )
    issue = shipped.json()["movements"][0]
    assert LedgerEntry.objects.get(pk=issue).kind == LedgerEntry.Kind.ISSUE
    before = db_state()

    response = manager_api.stock_post(f"{V1}/movements/{issue}/reverse/")

    problem = assert_problem(response, 409)
    assert (problem["type"], problem["detail"]) == (
        "urn:inventory:problem:not-reversible",
        "This movement belongs to a sales order; change it from the order (a return takes "
        "back a shipment, a cancellation releases what is reserved).",
    )
    after = db_state()
    assert after.pop("stored answers") == before.pop("stored answers") + 1
    assert after == before
    assert not LedgerEntry.objects.filter(reverses__isnull=False).exists()
