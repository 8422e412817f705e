"""An API write runs its service inside one transaction with no savepoints: any error
rolls the whole of it back, a deadlock is retried once, and the answer is the same."""

from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.models import IdempotentRequest
from api.views.orders import sales_order_body
from inventory.models import LedgerEntry, Operation, SalesOrder
from inventory.selectors.stock import stock_available
from inventory.services.stock import stock_receive
from inventory.tests.concurrency import deadlocking_lock

QUICK = "/api/v1/sales-orders/quick/"
pytestmark = pytest.mark.django_db


def sale(item, store, quantity="1"):
    return {"store": store.pk, "lines": [{"item": item.pk, "quantity": quantity}]}


@pytest.fixture
def stocked(manager_user, item, store):
    stock_receive(actor=manager_user, item=item, store=store, quantity=10)
    return item, store


@pytest.mark.django_db(transaction=True)  # no test transaction around it: no savepoint
def test_a_quick_sale_takes_no_savepoint_and_reads_no_line_back(staff_api, stocked):
    item, store = stocked

    with CaptureQueriesContext(connection) as queries:
        response = staff_api.post(QUICK, sale(item, store, "2"), key="k-plain")

    assert response.status_code == 201
    sql = [q["sql"].upper() for q in queries.captured_queries]
    assert not [s for s in sql if "SAVEPOINT" in s]
    assert not [s for s in sql if s.startswith("SELECT") and "SALESORDERLINE" in s]
    assert stock_available(item=item, store=store) == Decimal("8")


def test_the_answer_built_from_what_was_written_equals_the_order_read_back(staff_api, stocked):
    item, store = stocked

    response = staff_api.post(QUICK, sale(item, store, "2"), key="k-body")

    body = response.json()
    assert body["order"] == sales_order_body(body["order"]["id"])
    assert body["order"]["lines"][0]["quantity"] == "2.000"
    assert body["movements"] == list(
        LedgerEntry.objects.filter(kind="ISSUE").values_list("pk", flat=True)
    )


def test_a_deadlock_is_retried_once_and_moves_stock_once(staff_api, stocked):
    item, store = stocked
    patch, calls = deadlocking_lock(times=1)

    with patch:
        response = staff_api.post(QUICK, sale(item, store, "3"), key="k-dead")

    assert response.status_code == 201
    assert calls["n"] == 2
    assert LedgerEntry.objects.filter(kind="ISSUE").count() == 1
    assert stock_available(item=item, store=store) == Decimal("7")
    assert IdempotentRequest.objects.filter(key="k-dead", status_code=201).count() == 1


def test_a_second_deadlock_answers_busy_changes_nothing_and_the_retry_sells(staff_api, stocked):
    item, store = stocked
    patch, calls = deadlocking_lock(times=2)

    with patch:
        response = staff_api.post(QUICK, sale(item, store), key="k-busy")

    assert response.status_code == 503
    assert response["Retry-After"] == "1"
    assert response["Content-Type"] == "application/problem+json"
    assert "busy" in response.json()["detail"]
    assert calls["n"] == 2
    assert not IdempotentRequest.objects.exists()
    assert LedgerEntry.objects.filter(kind="ISSUE").count() == 0
    assert not Operation.objects.filter(kind="SO_QUICK_SALE").exists()
    assert SalesOrder.objects.count() == 0
    assert stock_available(item=item, store=store) == Decimal("10")
    # the same key, sent again once the rows are free, sells once
    assert staff_api.post(QUICK, sale(item, store), key="k-busy").status_code == 201
    assert stock_available(item=item, store=store) == Decimal("9")


def test_a_failure_after_the_write_rolls_back_the_sale_and_its_stored_answer(staff_api, stocked):
    item, store = stocked

    with (
        mock.patch("api.idempotency._as_json", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        staff_api.post(QUICK, sale(item, store), key="k-crash")

    assert LedgerEntry.objects.filter(kind="ISSUE").count() == 0
    assert SalesOrder.objects.count() == 0
    assert not IdempotentRequest.objects.exists()
    assert stock_available(item=item, store=store) == Decimal("10")
    # and the retry then sells once
    assert staff_api.post(QUICK, sale(item, store), key="k-crash").status_code == 201
    assert stock_available(item=item, store=store) == Decimal("9")
