"""POST /api/v1/stock-counts/: what a scanner found becomes the figure, once, for Managers."""

from decimal import Decimal

import pytest

from inventory.models import LedgerEntry, Lot
from inventory.services.stock import stock_issue, stock_receive
from inventory.tests.services.stock_helpers import figures, snapshot

pytestmark = pytest.mark.django_db
URL = "/api/v1/stock-counts/"
D = Decimal


@pytest.fixture
def lots(manager_user, item, store):
    for quantity, code in ((10, "A"), (5, "B")):
        stock_receive(actor=manager_user, item=item, store=store, quantity=quantity, lot_code=code)
    return {lot.code: lot for lot in Lot.objects.filter(item=item)}


def _body(store, lots, **found):
    return {
        "store": store.pk,
        "counts": [
            {"lot": lots[code].pk, "counted": counted, "expected": expected}
            for code, (counted, expected) in found.items()
        ],
        "note": "Scanner 2",
    }


def test_a_count_posts_the_differences_once(manager_api, store, lots):
    body = _body(store, lots, A=("8", "10"), B=("5", "5"))

    first = manager_api.post(URL, body, key="count-1")
    again = manager_api.post(URL, body, key="count-1")

    assert first.status_code == 201
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert figures(store=store, lot=lots["A"]) == (D(8), D(0))
    assert figures(store=store, lot=lots["B"]) == (D(5), D(0))
    assert LedgerEntry.objects.filter(reason="COUNT").count() == 1


def test_staff_may_not_count(staff_api, store, lots):
    before = snapshot()

    response = staff_api.post(URL, _body(store, lots, A=("8", "10")), key="count-2")

    assert response.status_code == 403
    assert snapshot() == before


def test_a_lot_that_moved_since_it_was_shown_refuses_the_count(
    manager_api, manager_user, item, store, lots
):
    stock_issue(actor=manager_user, item=item, store=store, quantity=2)
    before = snapshot()

    response = manager_api.post(URL, _body(store, lots, A=("7", "10")), key="count-3")

    assert response.status_code == 409
    assert response.json()["type"] == "urn:inventory:problem:document-changed"
    assert "A (10 then, 8 now)" in response.json()["detail"]
    assert snapshot() == before


@pytest.mark.parametrize(
    ("counted", "status"), [("-1", 422), ("1_0", 400), ("x", 400), (None, 400)]
)
def test_a_bad_count_is_refused(manager_api, store, lots, counted, status):
    before = snapshot()

    response = manager_api.post(URL, _body(store, lots, A=(counted, "10")), key="count-4")

    assert response.status_code == status, response.json()
    assert snapshot() == before


@pytest.mark.parametrize(
    ("field", "found", "message"),
    [
        ("counted", ("-1", "10"), "Count of lot A must not be negative."),
        ("expected", ("8", "-1"), "Expected figure of lot A must not be negative."),
    ],
)
def test_a_negative_count_names_its_field_and_line(manager_api, store, lots, field, found, message):
    before = snapshot()

    response = manager_api.post(URL, _body(store, lots, B=("5", "5"), A=found), key="count-5")

    assert response.status_code == 422
    problem = response.json()
    assert (problem["detail"], problem["errors"], problem["line"]) == (
        message,
        {field: [message]},
        1,
    )
    assert snapshot() == before


def test_zero_is_a_count(manager_api, store, lots):
    response = manager_api.post(URL, _body(store, lots, A=("0", "10")), key="count-6")

    assert response.status_code == 201, response.json()
    assert figures(store=store, lot=lots["A"]) == (D(0), D(0))


def test_a_count_refused_because_stock_moved_names_the_line(
    manager_api, manager_user, item, store, lots
):
    stock_issue(actor=manager_user, item=item, store=store, quantity=2)  # from A (FEFO)
    before = snapshot()

    response = manager_api.post(URL, _body(store, lots, B=("5", "5"), A=("7", "10")), key="c-7")

    assert response.status_code == 409
    assert response.json()["line"] == 1
    assert response.json()["errors"] == {"counts": [response.json()["detail"]]}
    assert snapshot() == before
