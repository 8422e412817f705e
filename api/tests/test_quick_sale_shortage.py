"""A quick sale over the API with one item on two lines: judged on what they ask in all."""

import pytest

from inventory.models import AuditEvent, LedgerEntry, SalesOrder, StockBalance
from inventory.services.stock import stock_receive
from inventory.tests.factories import ItemFactory

pytestmark = pytest.mark.django_db
V1 = "/api/v1"


def test_two_lines_of_one_item_get_one_problem_naming_both(staff_api, manager_user, store):
    # given 64 pcs of glue
    glue = ItemFactory(sku="GLUE-500")
    stock_receive(actor=manager_user, item=glue, store=store, quantity="64")
    ledger = LedgerEntry.objects.count()

    # when a quick sale asks for 40 on each of two lines
    response = staff_api.stock_post(
        f"{V1}/sales-orders/quick/",
        {
            "store": store.pk,
            "lines": [{"item": glue.pk, "quantity": "40"}, {"item": glue.pk, "quantity": "40"}],
        },
    )

    # then the problem says what the lines ask for together, and names both lines
    body = response.json()
    assert response.status_code == 409
    assert body["detail"] == (
        "Only 64 pcs of GLUE-500 available in Main Store; 2 lines ask for 80 in all (40 + 40)."
    )
    assert body["shortages"] == [
        {
            "item": {"id": glue.pk, "sku": "GLUE-500"},
            "store": {"id": store.pk, "code": "MAIN"},
            "requested": "80.000",
            "available": "64.000",
            "line": 0,
            "lines": [0, 1],
        }
    ]
    # and nothing was recorded
    assert SalesOrder.objects.count() == 0
    assert LedgerEntry.objects.count() == ledger
    assert StockBalance.objects.get(item=glue, store=store).on_hand == 64
    assert not AuditEvent.objects.filter(action__startswith="sales_order").exists()
