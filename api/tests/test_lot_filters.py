"""The lot list's `in_stock` and `awaiting_qc` filters: `qc_status=QUARANTINE` alone also
lists emptied lots; `awaiting_qc=true` is exactly the web QC queue."""

import pytest
from django.urls import reverse

from inventory.models import Lot
from inventory.services.moves import ledger_entry_reverse
from inventory.services.qc import lot_reject
from inventory.services.stock import stock_receive, stock_transfer
from inventory.tests.factories import ItemFactory, StoreFactory

pytestmark = pytest.mark.django_db
LOTS = "/api/v1/lots/"


@pytest.fixture
def lots(manager_user, store, qc_item):
    """Lots in every case, by code: waiting for QC, emptied in quarantine, approved with
    stock in another store only (its balance here emptied), approved and emptied, rejected
    with stock."""
    warehouse = StoreFactory(code="WH")
    plain = ItemFactory(sku="PLAIN-1")

    def receive(item, code, quantity=5):
        return stock_receive(
            actor=manager_user, item=item, store=store, quantity=quantity, lot_code=code
        )

    receive(qc_item, "WAITING")
    ledger_entry_reverse(actor=manager_user, entry=receive(qc_item, "Q-EMPTIED").entries[0])
    receive(plain, "MOVED", quantity=4)
    stock_transfer(actor=manager_user, item=plain, from_store=store, to_store=warehouse, quantity=4)
    ledger_entry_reverse(actor=manager_user, entry=receive(plain, "A-EMPTIED").entries[0])
    receive(qc_item, "REJECTED", quantity=2)
    lot_reject(actor=manager_user, lot=Lot.objects.get(code="REJECTED"), note="mould")
    return {lot.code: lot.pk for lot in Lot.objects.all()}


def codes(api, **params) -> list[str]:
    response = api.get(LOTS, params)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["next"] is None  # one page holds them all
    return sorted(row["code"] for row in body["results"])


def test_qc_status_alone_lists_emptied_lots_too(staff_api, lots):
    assert codes(staff_api, qc_status="QUARANTINE") == ["Q-EMPTIED", "WAITING"]


def test_in_stock_true_keeps_lots_with_stock_in_any_store(staff_api, lots):
    response = staff_api.get(LOTS, {"in_stock": "true"})
    rows = {row["code"]: (row["id"], row["on_hand"]) for row in response.json()["results"]}

    # MOVED holds nothing here and 4 in WH: listed once, with its whole stock
    assert rows == {
        "MOVED": (lots["MOVED"], "4.000"),
        "REJECTED": (lots["REJECTED"], "2.000"),
        "WAITING": (lots["WAITING"], "5.000"),
    }


def test_in_stock_false_keeps_lots_with_none_anywhere(staff_api, lots):
    response = staff_api.get(LOTS, {"in_stock": "false"})

    assert sorted(row["id"] for row in response.json()["results"]) == sorted(
        [lots["Q-EMPTIED"], lots["A-EMPTIED"]]
    )
    assert {row["on_hand"] for row in response.json()["results"]} == {"0.000"}


def test_awaiting_qc_true_is_exactly_the_web_qc_queue(staff_api, manager_client, lots):
    queue = manager_client.get(reverse("inventory:lot_queue")).context["lots"]
    response = staff_api.get(LOTS, {"awaiting_qc": "true"})

    assert [row["id"] for row in response.json()["results"]] == [lots["WAITING"]]
    assert [lot.pk for lot in queue] == [lots["WAITING"]]
    assert codes(staff_api, qc_status="QUARANTINE", in_stock="true") == ["WAITING"]


def test_awaiting_qc_false_is_every_other_lot(staff_api, lots):
    assert codes(staff_api, awaiting_qc="false") == ["A-EMPTIED", "MOVED", "Q-EMPTIED", "REJECTED"]


def test_the_filters_combine_with_the_others(staff_api, lots, qc_item):
    assert codes(staff_api, in_stock="true", item=qc_item.pk) == ["REJECTED", "WAITING"]
    assert codes(staff_api, awaiting_qc="true", qc_status="APPROVED") == []


@pytest.mark.parametrize("name", ["in_stock", "awaiting_qc"])
def test_a_value_that_is_not_a_boolean_is_a_400_naming_the_filter(staff_api, lots, name):
    response = staff_api.get(LOTS, {name: "maybe"})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert list(response.json()["errors"]) == [name]


def test_the_schema_documents_both_filters_as_booleans(staff_api):
    schema = staff_api.get("/api/schema/", {"format": "json"}).json()
    parameters = {p["name"]: p for p in schema["paths"][LOTS]["get"]["parameters"]}

    assert parameters["in_stock"]["schema"] == {"type": "boolean"}
    assert parameters["awaiting_qc"]["schema"] == {"type": "boolean"}
