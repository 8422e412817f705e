"""JSON numbers are read as the text that was sent (a Decimal), never through a float:
the strict number rules apply to them exactly as to strings."""

from decimal import Decimal

import pytest

from inventory.models import PurchaseOrderLine, SalesOrderLine
from inventory.services.stock import stock_receive
from inventory.tests.factories import SupplierFactory

from .db_state import db_state
from .responses import assert_problem

pytestmark = pytest.mark.django_db
V1 = "/api/v1"
QUICK = f"{V1}/sales-orders/quick/"
NUMBER_MESSAGE = (
    "Enter a plain number: digits 0-9, an optional leading minus and an optional decimal point."
)


@pytest.fixture
def stocked(manager_user, item, store):
    stock_receive(actor=manager_user, item=item, store=store, quantity=10)
    return item, store


def raw_sale(store, item, quantity: str, extra: str = "") -> str:
    """A quick sale written as JSON text, so the number is sent exactly as typed."""
    return (
        f'{{"store": {store.pk}, "lines": [{{"item": {item.pk}, "quantity": {quantity}{extra}}}]}}'
    )


def errors_of(response) -> dict:
    problem = assert_problem(response, 400)
    assert problem["type"] == "urn:inventory:problem:validation"
    return problem["errors"]


EXPONENT = "Type the number in digits, without an exponent"
# DRF checks the digits in total before the places: the same message as for the string.
TOO_MANY_DIGITS = "Ensure that there are no more than 14 digits in total."


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("2.9999999999999999", TOO_MANY_DIGITS),
        ("0.99999999999999999999", TOO_MANY_DIGITS),
        ("1.0001", "Ensure that there are no more than 3 decimal places."),
        # An exponent is refused saying how to write the number (as the web forms say it).
        ("1E1", f"{EXPONENT}: 10."),
        ("1e0", f"{EXPONENT}: 1."),
        ("2.5e-1", f"{EXPONENT}: 0.25."),
        ("1E400", f"{EXPONENT}, such as 1000."),
    ],
)
def test_a_json_quantity_is_judged_as_written_not_rounded_by_a_float(
    staff_api, stocked, number, message
):
    item, store = stocked
    before = db_state()

    response = staff_api.stock_post(QUICK, raw_sale(store, item, number))

    assert errors_of(response) == {"lines": {"0": {"quantity": [message]}}}
    assert db_state() == before
    as_text = staff_api.stock_post(QUICK, raw_sale(store, item, f'"{number}"'))
    assert errors_of(as_text) == {"lines": {"0": {"quantity": [message]}}}
    assert db_state() == before


def test_a_json_cost_with_too_many_places_is_refused_not_rounded(manager_api, store, item):
    supplier = SupplierFactory()
    body = (
        f'{{"supplier": {supplier.pk}, "store": {store.pk}, "lines": '
        f'[{{"item": {item.pk}, "quantity": 2, "unit_cost": 0.30000000000000001}}]}}'
    )
    before = db_state()

    response = manager_api.post(f"{V1}/purchase-orders/", body)

    assert errors_of(response) == {
        "lines": {"0": {"unit_cost": ["Ensure that there are no more than 12 digits in total."]}}
    }
    assert db_state() == before
    assert not PurchaseOrderLine.objects.exists()


@pytest.mark.parametrize(
    ("quantity", "price", "stored"),
    [("3", "2.50", ("3", "2.50")), ("1.000", "0.3", ("1", "0.30")), ("-0.0", "7", None)],
)
def test_plain_json_integers_and_decimals_still_work(staff_api, stocked, quantity, price, stored):
    item, store = stocked

    response = staff_api.stock_post(
        QUICK, raw_sale(store, item, quantity, extra=f', "unit_price": {price}')
    )

    if stored is None:  # -0.0 is zero, refused by the service as zero
        assert response.status_code == 422, response.content
        assert response.json()["detail"] == f"Quantity of {item.sku} must not be zero."
        return
    assert response.status_code == 201, response.content
    line = SalesOrderLine.objects.get()
    assert (line.quantity, line.unit_price) == tuple(Decimal(v) for v in stored)
    assert response.json()["order"]["lines"][0]["unit_price"] == f"{Decimal(stored[1]):.2f}"


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_not_json_and_are_refused(staff_api, stocked, literal):
    item, store = stocked
    before = db_state()

    response = staff_api.stock_post(QUICK, raw_sale(store, item, literal))

    assert_problem(response, 400)
    assert response.json()["detail"].startswith("JSON parse error - ")
    assert db_state() == before


@pytest.mark.parametrize("suffix", [".0", "e0"])
def test_an_id_sent_as_a_json_fraction_is_still_refused(staff_api, stocked, suffix):
    item, store = stocked
    body = f'{{"store": {store.pk}{suffix}, "lines": [{{"item": {item.pk}, "quantity": 1}}]}}'
    before = db_state()

    response = staff_api.stock_post(QUICK, body)

    assert errors_of(response) == {
        "store": [f'Expected an id (a whole number such as 12), received "{store.pk}{suffix}".']
    }
    assert db_state() == before


def test_a_key_sent_twice_is_refused_and_changes_nothing(staff_api, stocked):
    # found by QA: {"quantity": "1", "quantity": "-1"} was read as -1
    item, store = stocked
    body = (
        f'{{"store": {store.pk}, "lines": [{{"item": {item.pk}, "quantity": "1", '
        '"quantity": "2"}]}'
    )
    before = db_state()

    response = staff_api.client.post(
        QUICK,
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {staff_api.raw_token}", "Idempotency-Key": "dup"},
    )

    assert response.status_code == 400
    assert 'the key "quantity" is given twice' in response.json()["detail"]
    assert db_state() == before
