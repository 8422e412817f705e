"""Movements: who may see, export and reverse them, and the list with its filters."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inventory.tests.factories import ItemFactory
from inventory.tests.services.stock_helpers import snapshot
from inventory.tests.views.ledger_view_helpers import (
    EXPORT,
    LIST,
    listed,
    receive,
)

pytestmark = pytest.mark.django_db


# --- permissions ------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, history):
    pk = history["entries"][0].pk
    for url in [LIST, EXPORT, reverse("inventory:ledger_detail", args=[pk])]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith("/login/")
    response = client.post(reverse("inventory:ledger_reverse", args=[pk]))
    assert response.url.startswith("/login/")


def test_staff_sees_movements_but_may_not_export_or_reverse(staff_client, history):
    entry = history["entries"][0]
    before = snapshot()

    assert staff_client.get(LIST).status_code == 200
    assert staff_client.get(entry.get_absolute_url()).status_code == 200
    assert b"Export CSV" not in staff_client.get(LIST).content
    assert b"Reverse this movement" not in staff_client.get(entry.get_absolute_url()).content
    assert staff_client.get(EXPORT).status_code == 403
    response = staff_client.post(
        reverse("inventory:ledger_reverse", args=[entry.pk]), {"idempotency_key": "k"}
    )
    assert response.status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize("who", ["manager_client", "admin_role_client"])
def test_managers_and_admins_export(request, who, history):
    response = request.getfixturevalue(who).get(EXPORT)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"


def test_unknown_movement_is_404(staff_client):
    assert staff_client.get(reverse("inventory:ledger_detail", args=[999999])).status_code == 404


def test_reverse_only_accepts_post(manager_client, history):
    url = reverse("inventory:ledger_reverse", args=[history["entries"][0].pk])

    assert manager_client.get(url).status_code == 405


# --- list and filters -------------------------------------------------------------


def test_list_is_newest_first(staff_client, history):
    assert listed(staff_client.get(LIST)) == [e.pk for e in reversed(history["entries"])]


def test_filters(staff_client, history, store, other_store, staff_user, item):
    first, second, third = history["entries"]
    cases = [
        ({"item": item.pk}, [third.pk, first.pk]),
        ({"store": other_store.pk}, [second.pk]),
        ({"lot": "b"}, [second.pk]),
        ({"kind": "ADJUST"}, [third.pk]),
        ({"user": staff_user.pk}, [second.pk]),
        ({"date_from": "2026-03-02"}, [third.pk, second.pk]),
        ({"date_to": "2026-03-01"}, [first.pk]),
        ({"date_from": "2026-03-01", "date_to": "2026-03-01", "store": store.pk}, [first.pk]),
        ({"operation": third.operation_id}, [third.pk]),
        ({"kind": "RECEIVE", "store": other_store.pk, "item": item.pk}, []),
    ]
    for params, expected in cases:
        assert listed(staff_client.get(LIST, params)) == expected, params


@pytest.mark.parametrize(
    "params",
    [
        {"date_from": "2026-03-05", "date_to": "2026-03-01"},
        {"date_from": "yesterday"},
        {"item": "999999"},
        {"kind": "STEAL"},
        {"store": "x"},
    ],
)
def test_invalid_filters_show_errors_and_no_rows(staff_client, history, params):
    response = staff_client.get(LIST, params)

    assert response.status_code == 200
    assert listed(response) == []
    assert response.context["filter"].errors


@pytest.mark.parametrize("count", [5, 50])
def test_list_query_count_is_constant(staff_client, manager_user, store, count):
    for n in range(count):
        receive(manager_user, ItemFactory(), store, 1, f"L{n}")
    with CaptureQueriesContext(connection) as queries:
        response = staff_client.get(LIST)

    assert len(response.context["page"]) == count
    # session, user with its role, page (no count), then the item, store and user choices
    assert len(queries.captured_queries) == 6


def test_date_filter_uses_bounds_not_a_date_function(staff_client, history):
    filterset = staff_client.get(LIST, {"date_from": "2026-03-02"}).context["filter"]

    sql = str(filterset.qs.query)
    assert "django_datetime_cast_date" not in sql
    assert "2026-03-02 00:00:00" in sql
