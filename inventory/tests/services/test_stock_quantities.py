import pytest

from inventory.exceptions import InvalidQuantity
from inventory.rules import clean_quantity
from inventory.services.stock import (
    stock_adjust,
    stock_issue,
    stock_receive,
    stock_reserve,
    stock_transfer,
    stock_unreserve,
)

from .stock_helpers import D, receive, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(item):
    """Measured in kg: these tests use fractional quantities (pcs take whole numbers)."""
    item.unit = "kg"
    item.save(update_fields=["unit"])
    return item


BAD = [
    (0, "Quantity must not be zero."),
    ("0.000", "Quantity must not be zero."),
    (-1, "Quantity must be greater than zero."),
    ("1.2345", "Quantity can have at most 3 decimal places."),
    ("0.0001", "Quantity can have at most 3 decimal places."),
    ("100000000000", "Quantity is too large."),
    ("1e100", "Quantity is too large."),
    ("abc", "Quantity must be a number."),
    ("", "Quantity must be a number."),
    (None, "Quantity must be a number."),
    ("NaN", "Quantity must be a number."),
    ("Infinity", "Quantity must be a number."),
]


@pytest.mark.parametrize(("quantity", "message"), BAD)
@pytest.mark.parametrize("service", ["receive", "reserve", "unreserve", "issue", "transfer"])
def test_a_bad_quantity_is_refused_and_changes_nothing(
    manager_user, item, store, other_store, service, quantity, message
):
    receive(manager_user, item, store, 10, "A")
    stock_reserve(actor=manager_user, item=item, store=store, quantity=2)
    before = snapshot()
    call = {
        "receive": lambda: stock_receive(
            actor=manager_user, item=item, store=store, quantity=quantity
        ),
        "reserve": lambda: stock_reserve(
            actor=manager_user, item=item, store=store, quantity=quantity
        ),
        "unreserve": lambda: stock_unreserve(
            actor=manager_user, item=item, store=store, quantity=quantity
        ),
        "issue": lambda: stock_issue(actor=manager_user, item=item, store=store, quantity=quantity),
        "transfer": lambda: stock_transfer(
            actor=manager_user, item=item, from_store=store, to_store=other_store, quantity=quantity
        ),
    }[service]

    with pytest.raises(InvalidQuantity) as excinfo:
        call()

    assert excinfo.value.message == message
    assert excinfo.value.field == "quantity"
    assert snapshot() == before


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        (0, "Quantity must not be zero."),
        ("-1.0001", "Quantity can have at most 3 decimal places."),
        ("-1e20", "Quantity is too large."),
        ("x", "Quantity must be a number."),
    ],
)
def test_a_bad_adjustment_quantity_is_refused(manager_user, item, store, quantity, message):
    lot = receive(manager_user, item, store, 10, "A")
    before = snapshot()

    with pytest.raises(InvalidQuantity, match=message):
        stock_adjust(actor=manager_user, lot=lot, store=store, quantity=quantity, reason="COUNT")

    assert snapshot() == before


def test_clean_quantity_keeps_three_places():
    assert clean_quantity("2.5") == D("2.500")
    assert clean_quantity(" 7 ") == D(7)
    assert clean_quantity("99999999999.999") == D("99999999999.999")
    assert clean_quantity("-3", allow_negative=True) == D(-3)
