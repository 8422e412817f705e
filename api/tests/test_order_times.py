"""An order's times read the same in a write's answer as in a read: in TIME_ZONE."""

import datetime
from unittest import mock

import pytest
from django.utils import timezone

from inventory.services.stock import stock_receive
from inventory.tests.factories import SupplierFactory

pytestmark = pytest.mark.django_db
V1 = "/api/v1"
# 11:30 UTC on 30 November is half past midnight on 1 December in Auckland (NZDT, +13).
NOW = datetime.datetime(2026, 11, 30, 11, 30, tzinfo=datetime.UTC)
LOCAL = "2026-12-01T00:30:00+13:00"


@pytest.fixture
def auckland(settings):
    settings.TIME_ZONE = "Pacific/Auckland"
    timezone.deactivate()
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        yield


def test_a_purchase_order_written_answers_its_times_in_local_time(
    auckland, manager_api, store, item
):
    supplier = SupplierFactory(name="Acme")
    body = {
        "supplier": supplier.pk,
        "store": store.pk,
        "lines": [{"item": item.pk, "quantity": "10", "unit_cost": "1.25"}],
    }

    drafted = manager_api.post(f"{V1}/purchase-orders/", body)
    placed = manager_api.post(f"{V1}/purchase-orders/{drafted.json()['id']}/place/")

    assert drafted.status_code == 201, drafted.content
    assert (drafted.json()["created_at"], drafted.json()["updated_at"]) == (LOCAL, LOCAL)
    assert (placed.json()["created_at"], placed.json()["updated_at"]) == (LOCAL, LOCAL)
    assert manager_api.get(f"{V1}/purchase-orders/{drafted.json()['id']}/").json() == placed.json()


def test_a_quick_sale_answers_its_order_times_in_local_time(
    auckland, staff_api, staff_user, store, item
):
    stock_receive(actor=staff_user, item=item, store=store, quantity=5)

    sold = staff_api.stock_post(
        f"{V1}/sales-orders/quick/",
        {"store": store.pk, "lines": [{"item": item.pk, "quantity": "2"}]},
    )

    assert sold.status_code == 201, sold.content
    order = sold.json()["order"]
    assert (order["created_at"], order["updated_at"]) == (LOCAL, LOCAL)
    assert staff_api.get(f"{V1}/sales-orders/{order['id']}/").json() == order
