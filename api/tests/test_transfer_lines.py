"""POST /transfers/ with `lines`: several items moved as one document, all or nothing, as
the web form does; the one-item body still works."""

import uuid
from decimal import Decimal

import pytest

from inventory.models import LedgerEntry, Operation
from inventory.selectors.stock import stock_available
from inventory.services.stock import stock_receive
from inventory.tests.factories import ItemFactory
from inventory.tests.services.stock_helpers import snapshot

pytestmark = pytest.mark.django_db
URL = "/api/v1/transfers/"
D = Decimal


@pytest.fixture
def two_items(manager_user, store, item):
    other = ItemFactory(sku="NUT-M8")
    for stocked, quantity in ((item, 10), (other, 4)):
        stock_receive(actor=manager_user, item=stocked, store=store, quantity=quantity)
    return item, other


def _body(store, other_store, lines):
    return {"from_store": store.pk, "to_store": other_store.pk, "lines": lines}


def test_several_items_move_as_one_operation(manager_api, store, other_store, two_items):
    item, other = two_items
    lines = [{"item": item.pk, "quantity": "6"}, {"item": other.pk, "quantity": "4"}]
    key = str(uuid.uuid4())

    moved = manager_api.post(URL, _body(store, other_store, lines), key=key)
    again = manager_api.post(URL, _body(store, other_store, lines), key=key)

    assert moved.status_code == 201, moved.content
    assert again.status_code in (200, 201) and again.json() == moved.json()
    assert Operation.objects.filter(kind="TRANSFER").count() == 1
    assert LedgerEntry.objects.filter(kind="TRANSFER_IN").count() == 2
    assert stock_available(item=item, store=other_store) == D(6)
    assert stock_available(item=other, store=other_store) == D(4)
    assert stock_available(item=item, store=store) == D(4)
    assert stock_available(item=other, store=store) == D(0)


def test_a_short_line_is_named_and_nothing_moves(manager_api, store, other_store, two_items):
    item, other = two_items
    lines = [{"item": item.pk, "quantity": "6"}, {"item": other.pk, "quantity": "5"}]
    before = snapshot()

    response = manager_api.stock_post(URL, _body(store, other_store, lines))

    assert response.status_code == 409, response.content
    assert response.json()["line"] == 1
    assert "NUT-M8" in response.json()["detail"]
    assert snapshot() == before


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"item": "ITEM"}, "item"),
        ({"quantity": "1"}, "quantity"),
        ({"lines": []}, "lines"),
        ({"lines": [{"item": "ITEM"}]}, "lines"),
        ({"lines": [{"item": 10**9, "quantity": "1"}]}, "lines"),
        ({"lines": None}, "lines"),
    ],
)
def test_mixed_or_incomplete_bodies_are_refused(
    manager_api, store, other_store, two_items, extra, field
):
    item, _ = two_items
    body = {"from_store": store.pk, "to_store": other_store.pk}
    body |= {"lines": [{"item": item.pk, "quantity": "1"}]} if field in ("item", "quantity") else {}
    body |= {k: item.pk if v == "ITEM" else v for k, v in extra.items()}
    if "lines" in extra and extra["lines"]:
        body["lines"] = [{k: item.pk if v == "ITEM" else v for k, v in extra["lines"][0].items()}]
    before = snapshot()

    response = manager_api.stock_post(URL, body)

    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert snapshot() == before


def test_a_body_with_neither_shape_names_what_to_give(manager_api, store, other_store):
    response = manager_api.stock_post(URL, {"from_store": store.pk, "to_store": other_store.pk})

    assert response.status_code == 400
    assert response.json()["errors"] == {"item": ['Give "item" and "quantity", or "lines".']}
