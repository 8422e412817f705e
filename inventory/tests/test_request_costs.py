"""What a request costs outside the services: no statement that is not needed."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inventory.models import SalesOrder
from inventory.services.stock import stock_receive
from inventory.tests.factories import StoreFactory

pytestmark = pytest.mark.django_db


def quick_sale(client, store, item, key):
    return client.post(
        reverse("inventory:sales_quick"),
        {
            "idempotency_key": key,
            "store": store.pk,
            "customer": "",
            "note": "",
            "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "0",
            "lines-MIN_NUM_FORMS": "1",
            "lines-MAX_NUM_FORMS": "1000",
            "lines-0-item": item.pk,
            "lines-0-quantity": "1",
        },
    )


def session_writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if "django_session" in q["sql"] and not q["sql"].lstrip().upper().startswith("SELECT")
    ]


def test_a_quick_sale_never_writes_the_session_and_sets_the_store_cookie_on_a_change(
    staff_client, staff_user, store, item
):
    # given stock in two stores and a first sale in `store`
    north = StoreFactory(code="NORTH", name="North Store")
    for where in (store, north):
        stock_receive(actor=staff_user, item=item, store=where, quantity="10")
    assert quick_sale(staff_client, store, item, "first").status_code == 302

    # when a second sale is recorded in the same store, then a third in another
    with CaptureQueriesContext(connection) as same_store:
        second = quick_sale(staff_client, store, item, "second")
    with CaptureQueriesContext(connection) as other_store:
        third = quick_sale(staff_client, north, item, "third")

    # then no sale wrote the session, only the change of store set the cookie, and the
    # next form offers North
    assert session_writes(same_store.captured_queries + other_store.captured_queries) == []
    assert "quick_store" not in second.cookies
    assert third.cookies["quick_store"].value == str(north.pk)
    assert SalesOrder.objects.count() == 3
    page = staff_client.get(reverse("inventory:sales_quick"))
    assert page.context["form"]["store"].value() == north.pk
    assert sum(o.lines.get().quantity for o in SalesOrder.objects.all()) == Decimal("3.000")
