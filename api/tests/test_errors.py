"""Errors are RFC 9457 problems; no input, however hostile, is a 500 or changes anything."""

import json

import pytest
from django.db import InterfaceError, OperationalError, connection

from inventory.models import AuditEvent, LedgerEntry, Operation, SalesOrder
from inventory.services.alerts import alerts_refresh
from inventory.services.stock import stock_receive
from inventory_system.errors import RETRY_AFTER, server_error

pytestmark = pytest.mark.django_db
V1 = "/api/v1"
QUICK = f"{V1}/sales-orders/quick/"
HUGE = 10**30


@pytest.fixture
def stocked(manager_user, item, store):
    stock_receive(actor=manager_user, item=item, store=store, quantity=10)
    return item, store


def counts():
    return (
        LedgerEntry.objects.count(),
        Operation.objects.count(),
        SalesOrder.objects.count(),
        AuditEvent.objects.count(),
    )


def hostile_bodies(item, store):
    line = {"item": item.pk, "quantity": "1"}
    return [
        b"{not json",
        b"\xff\xfe\x00garbage",
        "[]",
        '"just a string"',
        "null",
        '{"store": NaN, "lines": []}',
        '{"store": 1, "lines": [{"item": 1, "quantity": Infinity}]}',
        {"store": store.pk, "lines": "abc"},
        {"store": store.pk, "lines": [line] * 500},
        {"store": str(HUGE), "lines": [line]},
        {"store": HUGE, "lines": [line]},
        {"store": -1, "lines": [line]},
        {"store": True, "lines": [{"item": True, "quantity": "1"}]},
        {"store": store.pk, "lines": [{"item": HUGE, "quantity": "1"}]},
        {"store": store.pk, "lines": [{"item": item.pk, "quantity": "NaN"}]},
        {"store": store.pk, "lines": [{"item": item.pk, "quantity": "Infinity"}]},
        {"store": store.pk, "lines": [{"item": item.pk, "quantity": "1e400"}]},
        {"store": store.pk, "lines": [{"item": item.pk, "quantity": 1e308}]},
        {"store": store.pk, "lines": [{"item": item.pk, "quantity": "0.0001"}]},
        {"store": store.pk, "lines": [{"item": item.pk, "quantity": "-5"}]},
        {"store": store.pk, "lines": [{"item": item.pk, "quantity": "0"}]},
        {"store": store.pk, "lines": [{"item": item.pk, "quantity": []}]},
        {"store": store.pk, "lines": [{"item": item.pk, "quantity": {"a": 1}}]},
        {"store": store.pk, "lines": [{"item": "1\x00", "quantity": "1"}]},
        {"store": store.pk, "note": "a\x00b", "lines": [line]},
        {"store": store.pk, "note": "x" * 5000, "lines": [line]},
        {"store": store.pk, "lines": [{**line, "unit_price": "-1"}]},
        {"store": store.pk, "lines": [{**line, "unit_price": "1e12"}]},
        {"store": store.pk, "customer": HUGE, "lines": [line]},
        {"store": store.pk, "lines": []},
        {"store": store.pk, "lines": [{"item": item.pk, "quantity": "11"}]},  # short
        {"a": {"b": {"c": {"d": [[[[[]]]]]}}}},
    ]


def test_hostile_quick_sales_are_problems_never_500s_and_change_nothing(staff_api, stocked):
    item, store = stocked
    before = counts()
    failures = []
    for index, body in enumerate(hostile_bodies(item, store)):
        response = staff_api.post(QUICK, body, key=f"hostile-{index}")
        if response.status_code >= 500 or response.status_code < 400:
            failures.append((index, response.status_code, response.content[:200]))
        elif response["Content-Type"] != "application/problem+json":
            failures.append((index, "content type", response["Content-Type"]))
        else:
            problem = response.json()
            if problem["status"] != response.status_code or not problem["detail"]:
                failures.append((index, "problem", problem))

    assert failures == []
    assert counts() == before


@pytest.mark.parametrize(
    "path",
    [
        f"{V1}/items/{HUGE}/",
        f"{V1}/items/-1/",
        f"{V1}/items/abc/",
        f"{V1}/items/1%00/",
        f"{V1}/sales-orders/{2**63}/",
        f"{V1}/stock/by_item/9999999999999999999/",
        f"{V1}/stock/by_store/9999999999999999999/",
        f"{V1}/movements/{HUGE}/",
    ],
)
def test_hostile_ids_in_the_path_are_404_problems(staff_api, path):
    response = staff_api.get(path)

    # A NUL is refused before routing (400), anything else names no object (404).
    assert response.status_code == (400 if "%00" in path else 404)
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize(
    "path",
    [
        f"{V1}/items/?page=abc",
        f"{V1}/items/?page=99999",
        f"{V1}/items/?category={HUGE}",
        f"{V1}/items/?category=abc",
        f"{V1}/stock/?store={HUGE}",
        f"{V1}/stock/?store=1%00",
        f"{V1}/stock/?low=maybe",
        f"{V1}/stock/by_lot/?lot=-1",
        f"{V1}/movements/?cursor=garbage",
        f"{V1}/movements/?date_from=2026-13-45",
        f"{V1}/movements/?item={HUGE}",
        f"{V1}/movements/?page_size=-5",
        f"{V1}/sales-orders/?status=NOPE",
        f"{V1}/purchase-orders/?date_from=yesterday",
    ],
)
def test_hostile_query_parameters_are_ignored_or_4xx_problems(staff_api, path):
    response = staff_api.get(path)

    assert response.status_code < 500, response.content
    if response.status_code >= 400:
        assert response["Content-Type"] == "application/problem+json"
    else:  # a value the filter reads as "no filter" (low=maybe, page_size=-5)
        assert path.endswith(("low=maybe", "page_size=-5")), response.status_code


def test_a_field_error_is_reported_by_field(staff_api, stocked):
    item, store = stocked

    response = staff_api.post(
        QUICK,
        {"store": 0, "lines": [{"item": item.pk, "quantity": "abc"}]},
        key="field-errors",
    )

    body = response.json()
    assert response.status_code == 400
    assert body["title"] == "Invalid request"
    assert body["errors"] == {
        "store": ['Invalid pk "0" - object does not exist.'],
        "lines": {
            "0": {
                "quantity": [
                    "Enter a plain number: digits 0-9, an optional leading minus and an "
                    "optional decimal point."
                ]
            }
        },
    }
    assert body["line"] == 0  # as a refusal by the rules names its line


def test_an_input_error_on_a_later_line_names_that_line(staff_api, stocked):
    item, store = stocked
    lines = [{"item": item.pk, "quantity": "1"}, {"item": item.pk, "quantity": "1e3"}]

    response = staff_api.post(QUICK, {"store": store.pk, "lines": lines}, key="line-1")

    assert response.status_code == 400
    assert response.json()["line"] == 1
    assert list(response.json()["errors"]["lines"]) == ["1"]


def test_a_refusal_names_the_line_it_concerns_counting_from_zero(staff_api, stocked):
    item, store = stocked
    lines = [{"item": item.pk, "quantity": "1"}, {"item": item.pk, "quantity": "0.5"}]

    response = staff_api.stock_post(QUICK, {"store": store.pk, "lines": lines})

    assert response.status_code == 422
    assert response.json()["line"] == 1
    assert "whole number" in response.json()["detail"]


def test_a_service_refusal_is_the_detail_with_its_field_and_line(staff_api, stocked):
    item, store = stocked

    response = staff_api.stock_post(
        QUICK, {"store": store.pk, "lines": [{"item": item.pk, "quantity": "-2"}]}
    )

    assert response.status_code == 422
    assert response.json() == {
        "type": "urn:inventory:problem:invalid-quantity",
        "title": "Refused by the inventory rules",
        "status": 422,
        "detail": f"Quantity of {item.sku} must be greater than zero.",
        "errors": {"quantity": [f"Quantity of {item.sku} must be greater than zero."]},
        "line": 0,
    }


def test_an_anonymous_form_post_is_a_401_not_a_415(client, db):
    # found by QA: the media type was judged before the caller
    response = client.post(QUICK, {"store": "1"})

    assert response.status_code == 401
    assert counts() == (0, 0, 0, 0)


def test_wrong_media_type_and_method_are_problems(staff_api, store):
    text = staff_api.client.post(
        QUICK,
        "store=1",
        content_type="application/x-www-form-urlencoded",
        headers={"Authorization": f"Bearer {staff_api.raw_token}", "Idempotency-Key": "m1"},
    )
    delete = staff_api.send("delete", f"{V1}/stores/{store.pk}/")

    assert (text.status_code, delete.status_code) == (415, 405)
    assert text["Content-Type"] == delete["Content-Type"] == "application/problem+json"


def test_a_form_post_to_an_action_that_reads_no_body_is_refused_and_changes_nothing(
    manager_api, manager_user, store
):
    from decimal import Decimal

    from inventory.models import Alert
    from inventory.tests.factories import ItemFactory

    low = ItemFactory(sku="LOW-FORM", reorder_level=Decimal("5"))
    stock_receive(actor=manager_user, item=low, store=store, quantity=1)
    alerts_refresh(pairs={(low.pk, store.pk)})  # a receipt short of the level opens none
    alert = Alert.objects.get(item=low)

    response = manager_api.client.post(
        f"{V1}/alerts/{alert.pk}/acknowledge/",
        {"quantity": "3"},
        headers={"Authorization": f"Bearer {manager_api.raw_token}"},
    )

    assert response.status_code == 415
    assert Alert.objects.get(pk=alert.pk).status == "OPEN"
    empty = manager_api.client.generic(
        "POST",
        f"{V1}/alerts/{alert.pk}/acknowledge/",
        b"",
        headers={"Authorization": f"Bearer {manager_api.raw_token}"},
    )
    assert empty.status_code == 200  # no body at all: fine


@pytest.mark.parametrize("exc_class", [OperationalError, InterfaceError])
def test_a_database_outage_is_a_503_problem_with_retry_after(staff_api, monkeypatch, exc_class):
    # given a client, and then the database stops answering
    def refused(*args, **kwargs):
        raise exc_class('connection to server at "db.internal" (10.0.0.5), port 5432 failed')

    monkeypatch.setattr(connection, "cursor", refused)

    # when it calls the API
    response = staff_api.get(f"{V1}/items/")

    # then a problem says so, and when to retry; the driver's message is not shown
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert response["Retry-After"] == str(RETRY_AFTER)
    body = response.json()
    assert (body["type"], body["status"]) == ("urn:inventory:problem:database-unavailable", 503)
    assert "db.internal" not in response.content.decode()


def test_an_outage_or_a_fault_outside_any_view_is_a_problem_too(rf):
    request = rf.get(f"{V1}/items/")
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        outage = server_error(request)
    fault = server_error(request)

    assert (outage.status_code, outage["Content-Type"]) == (503, "application/problem+json")
    assert outage["Retry-After"] == str(RETRY_AFTER)
    assert (fault.status_code, fault["Content-Type"]) == (500, "application/problem+json")
    assert json.loads(fault.content)["title"] == "Internal server error"
