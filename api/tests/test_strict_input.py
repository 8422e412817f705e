"""Input the API used to read too generously: deep JSON, lenient numbers and ids."""

from decimal import Decimal

import pytest

from inventory.models import Category, SalesOrder, SalesOrderLine
from inventory.services.stock import stock_receive

from .db_state import db_state
from .responses import assert_problem

pytestmark = pytest.mark.django_db
V1 = "/api/v1"
QUICK = f"{V1}/sales-orders/quick/"
PROBLEM = "application/problem+json"


@pytest.fixture
def stocked(manager_user, item, store):
    stock_receive(actor=manager_user, item=item, store=store, quantity=10)
    return item, store


def assert_invalid(response, *path):
    """A 400 validation problem whose `errors` name the field at `path`."""
    problem = assert_problem(response, 400)
    assert (problem["status"], problem["type"]) == (400, "urn:inventory:problem:validation")
    errors = problem["errors"]
    for step in path:
        errors = errors[step]
    return errors


# --- deeply nested JSON --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "body", "needs_key"),
    [
        (QUICK, "[" * 1000 + "]" * 1000, True),
        (f"{V1}/categories/", '{"a":' * 5000 + "1" + "}" * 5000, False),
        (QUICK, "[" * 200 + "]" * 200, True),  # parses, but too deep to fingerprint safely
    ],
)
def test_deeply_nested_json_is_a_400_problem_and_changes_nothing(
    manager_api, stocked, path, body, needs_key
):
    before = db_state()

    send = manager_api.stock_post if needs_key else manager_api.post
    response = send(path, body)

    assert response.status_code == 400, response.content[:300]
    assert response["Content-Type"] == PROBLEM
    problem = response.json()
    assert problem["status"] == 400
    assert problem["detail"] == (
        "JSON parse error - the body nests arrays or objects more than 32 deep."
    )
    assert db_state() == before


def test_an_ordinary_body_still_parses(manager_api):
    response = manager_api.post(f"{V1}/categories/", {"name": "Bolts", "description": "M8"})

    assert response.status_code == 201, response.content
    assert Category.objects.filter(name="Bolts").exists()


# --- ids -----------------------------------------------------------------------------------


def arabic_indic(number: int) -> str:
    return str(number).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))


def sale(store, item, **changes) -> dict:
    line = {"item": item, "quantity": "1"}
    line.update(changes.pop("line", {}))
    return {"store": store, "lines": [line], **changes}


# Each case builds a quick sale from the real (store id, item id).
ODD_IDS = [
    pytest.param(lambda s, i: sale(s + 0.9, i), ["store"], id="store-float"),
    pytest.param(lambda s, i: sale(f"{s}.0", i), ["store"], id="store-text-float"),
    pytest.param(lambda s, i: sale(arabic_indic(s), i), ["store"], id="store-arabic-indic"),
    pytest.param(lambda s, i: sale(f" {s}", i), ["store"], id="store-space"),
    pytest.param(lambda s, i: sale(s, i + 0.9), ["lines", "0", "item"], id="item-float"),
    pytest.param(lambda s, i: sale(s, float(i)), ["lines", "0", "item"], id="item-whole-float"),
    pytest.param(lambda s, i: sale(s, f"+{i}"), ["lines", "0", "item"], id="item-plus"),
    pytest.param(lambda s, i: sale(s, [i]), ["lines", "0", "item"], id="item-list"),
    pytest.param(lambda s, i: sale(s, i, customer=1.5), ["customer"], id="customer-float"),
]


@pytest.mark.parametrize(("build", "path"), ODD_IDS)
def test_an_id_that_is_not_a_whole_number_is_refused_by_name(staff_api, stocked, build, path):
    item, store = stocked
    before = db_state()

    response = staff_api.stock_post(QUICK, build(store.pk, item.pk))

    errors = assert_invalid(response, *path)
    assert errors[0].startswith("Expected an id (a whole number such as 12), received ")
    assert db_state() == before


def test_ids_as_integers_and_digit_strings_are_accepted(staff_api, stocked):
    item, store = stocked

    response = staff_api.stock_post(
        QUICK, {"store": str(store.pk), "lines": [{"item": item.pk, "quantity": "1"}]}
    )

    assert response.status_code == 201, response.content
    order = SalesOrder.objects.get()
    assert (order.store_id, order.lines.get().item_id) == (store.pk, item.pk)


def test_a_line_id_that_is_a_float_is_refused(staff_api, stocked):
    item, store = stocked
    response = staff_api.post(
        f"{V1}/sales-orders/", {"store": store.pk, "lines": [{"item": item.pk, "quantity": "3"}]}
    )
    order = response.json()
    staff_api.stock_post(f"{V1}/sales-orders/{order['id']}/confirm/")
    line = order["lines"][0]["id"]
    before = db_state()

    response = staff_api.stock_post(
        f"{V1}/sales-orders/{order['id']}/ship/", {"lines": [{"line": line + 0.5, "quantity": 1}]}
    )

    errors = assert_invalid(response, "lines", "0", "line")
    assert errors == [f'Expected an id (a whole number such as 12), received "{line + 0.5}".']
    assert db_state() == before


@pytest.mark.parametrize("form", ["arabic-indic", "extended", " {pk}", "{pk} ", "+{pk}", "{pk}.0"])
def test_an_id_in_the_path_must_be_ascii_digits(staff_api, item, form):
    if form == "arabic-indic":
        path_id = arabic_indic(item.pk)
    elif form == "extended":  # Extended Arabic-Indic (Persian) digits
        path_id = str(item.pk).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    else:
        path_id = form.format(pk=item.pk)
    assert staff_api.get(f"{V1}/items/{item.pk}/").status_code == 200

    for path in (f"{V1}/items/{path_id}/", f"{V1}/stock/by_item/{path_id}/"):
        response = staff_api.get(path)

        assert response.status_code == 404, (path, response.content)
        assert response["Content-Type"] == PROBLEM
        assert response.json()["detail"] == "No such object."


def test_an_odd_id_in_the_path_of_a_write_changes_nothing(manager_api, stocked):
    item, _store = stocked
    before = db_state()

    response = manager_api.post(f"{V1}/items/{arabic_indic(item.pk)}/deactivate/")

    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
    assert db_state() == before
    item.refresh_from_db()
    assert item.is_active


# --- quantities and prices -----------------------------------------------------------------

NUMBER_MESSAGE = (
    "Enter a plain number: digits 0-9, an optional leading minus and an optional decimal point."
)


# A number written another way is refused saying how to type it, as the web forms say it
# (inventory.quantities.number_refusal).
SAID_HOW = {
    "+1": "Type the number without a plus sign: 1.",
    "+2": "Type the number without a plus sign: 2.",
    "1e0": "Type the number in digits, without an exponent: 1.",
    "1e3": "Type the number in digits, without an exponent: 1000.",
    "\u22121": "Type the minus sign as - (the hyphen key): -1.",
    "1,5": "Type the number without a comma: 1.5 with a point, or 1500.",
}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("quantity", "1_000"),
        ("quantity", "1_0"),
        ("quantity", "١٢"),
        ("quantity", "+1"),
        ("quantity", " 1"),
        ("quantity", "1e0"),
        ("quantity", "1e3"),
        ("quantity", "\u22121"),
        ("quantity", "0x10"),
        ("quantity", "1,5"),
        ("quantity", True),
        ("unit_price", "1_0"),
        ("unit_price", "٣"),
        ("unit_price", "+2"),
    ],
)
def test_a_number_with_anything_but_plain_digits_is_refused(staff_api, stocked, field, value):
    item, store = stocked
    line = {"item": item.pk, "quantity": "1", field: value}
    before = db_state()

    response = staff_api.stock_post(QUICK, {"store": store.pk, "lines": [line]})

    message = SAID_HOW.get(value, NUMBER_MESSAGE)
    assert assert_invalid(response, "lines", "0", field) == [message]
    assert db_state() == before


def test_a_catalogue_price_with_a_separator_is_refused(manager_api, item):
    before = db_state()

    response = manager_api.patch(f"{V1}/items/{item.pk}/", {"unit_price": "1_000"})

    assert assert_invalid(response, "unit_price") == [NUMBER_MESSAGE]
    assert db_state() == before


@pytest.mark.parametrize(
    ("value", "expected"), [("2", "2"), ("2.5", "2.5"), (2, "2"), (1.5, "1.5")]
)
def test_plain_numbers_still_work(staff_api, stocked, value, expected):
    item, store = stocked

    response = staff_api.stock_post(
        QUICK,
        {"store": store.pk, "lines": [{"item": item.pk, "quantity": "1", "unit_price": value}]},
    )

    assert response.status_code == 201, response.content
    assert SalesOrderLine.objects.get().unit_price == Decimal(expected)


@pytest.mark.parametrize("value", [-0.0, "-0", "-0.00", "-.0"])
def test_a_negative_zero_price_is_stored_and_shown_as_zero(staff_api, stocked, value):
    item, store = stocked

    response = staff_api.stock_post(
        QUICK,
        {"store": store.pk, "lines": [{"item": item.pk, "quantity": "1", "unit_price": value}]},
    )

    assert response.status_code == 201, response.content
    assert response.json()["order"]["lines"][0]["unit_price"] == "0.00"
    stored = SalesOrderLine.objects.get().unit_price
    assert (stored, stored.is_signed()) == (Decimal("0.00"), False)
    order_id = response.json()["order"]["id"]
    assert staff_api.get(f"{V1}/sales-orders/{order_id}/").json()["lines"][0]["unit_price"] == (
        "0.00"
    )


def test_a_negative_zero_quantity_is_zero_and_refused_as_zero(staff_api, stocked):
    item, store = stocked
    before = db_state()

    response = staff_api.stock_post(
        QUICK, {"store": store.pk, "lines": [{"item": item.pk, "quantity": "-0"}]}
    )

    assert_problem(response, 422)
    assert response.json()["detail"] == f"Quantity of {item.sku} must not be zero."
    after = db_state()
    # A service's refusal is stored, to be replayed; nothing else is written.
    assert after.pop("stored answers") == before.pop("stored answers") + 1
    assert after == before


@pytest.mark.parametrize(("sent", "shown"), [(True, "true"), (False, "false"), ([7], "[7]")])
def test_an_id_refused_is_shown_as_the_body_wrote_it(staff_api, stocked, sent, shown):
    # Found by an integrator's QA pass: `true` came back as Python's "True".
    item, store = stocked
    before = db_state()

    response = staff_api.stock_post(QUICK, {"store": store.pk, "lines": [{"item": sent}]})

    errors = assert_invalid(response, "lines", "0", "item")
    assert errors[0] == f'Expected an id (a whole number such as 12), received "{shown}".'
    assert db_state() == before
