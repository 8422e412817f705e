"""Reads a client needs: rejected stock per item, and an order found by its number."""

import pytest

from inventory.models import Lot
from inventory.selectors.stock import stock_totals_for_item
from inventory.services.qc import lot_reject
from inventory.services.stock import stock_receive
from inventory.tests.factories import SupplierFactory

pytestmark = pytest.mark.django_db
V1 = "/api/v1"


def test_stock_by_item_shows_rejected_stock_as_the_item_page_does(
    staff_api, manager_user, qc_item, store
):
    for quantity, code in ((4, "R"), (6, "Q")):
        stock_receive(
            actor=manager_user, item=qc_item, store=store, quantity=quantity, lot_code=code
        )
    lot_reject(actor=manager_user, lot=Lot.objects.get(code="R"), note="Torn seals")

    body = staff_api.get(f"{V1}/stock/by_item/{qc_item.pk}/").json()

    totals = body["totals"]
    assert (totals["on_hand"], totals["available"]) == ("10.000", "0.000")
    assert (totals["quarantined"], totals["rejected"]) == ("6.000", "4.000")
    assert [(s["store"], s["rejected"]) for s in body["stores"]] == [(store.pk, "4.000")]
    assert stock_totals_for_item(item=qc_item)["rejected"] == 4  # the item page's figure


@pytest.fixture
def orders(manager_api, store, item):
    supplier = SupplierFactory()
    made = {"purchase": [], "sales": []}
    for _ in range(2):
        made["purchase"].append(
            manager_api.post(
                f"{V1}/purchase-orders/",
                {
                    "supplier": supplier.pk,
                    "store": store.pk,
                    "lines": [{"item": item.pk, "quantity": "1"}],
                },
            ).json()
        )
        made["sales"].append(
            manager_api.post(
                f"{V1}/sales-orders/",
                {"store": store.pk, "lines": [{"item": item.pk, "quantity": "1"}]},
            ).json()
        )
    return made


@pytest.mark.parametrize(
    ("kind", "path"), [("purchase", "purchase-orders"), ("sales", "sales-orders")]
)
def test_an_order_is_found_by_its_number_in_any_letter_case(staff_api, orders, kind, path):
    wanted = orders[kind][1]

    for number in (wanted["number"], wanted["number"].lower(), f" {wanted['number']} "):
        response = staff_api.get(f"{V1}/{path}/", {"number": number})

        assert response.status_code == 200, response.content
        assert [o["id"] for o in response.json()["results"]] == [wanted["id"]]


@pytest.mark.parametrize(
    ("kind", "path"), [("purchase", "purchase-orders"), ("sales", "sales-orders")]
)
def test_a_number_that_is_not_exactly_an_order_finds_none(staff_api, orders, kind, path):
    pk = orders[kind][1]["id"]
    other = "SO" if kind == "purchase" else "PO"
    prefix = "PO" if kind == "purchase" else "SO"

    for number in (
        f"{other}-{pk:06d}",
        f"{prefix}-{pk}",
        f"{prefix}-0{pk:06d}",
        "PO",
        "x" * 500,
        f"{prefix}-{'9' * 19}",
        f"{prefix}-999999",
    ):
        response = staff_api.get(f"{V1}/{path}/", {"number": number})

        assert response.status_code == 200, (number, response.content)
        assert response.json()["results"] == [], number
