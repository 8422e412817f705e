"""POST /api/v1/stock-counts/ with item lines: loose goods counted in bulk, the figure
spread over the item's approved lots in the store, the oldest counted down first."""

from decimal import Decimal

import pytest

from inventory.models import LedgerEntry
from inventory.tests.services.stock_helpers import figures, receive, snapshot

pytestmark = pytest.mark.django_db
URL = "/api/v1/stock-counts/"
D = Decimal


@pytest.fixture
def nails(manager_user, item, store):
    return [receive(manager_user, item, store, q, code) for q, code in ((4, "N1"), (6, "N2"))]


def test_an_item_line_is_spread_over_its_lots(manager_api, item, store, nails):
    body = {
        "store": store.pk,
        "counts": [{"item": item.pk, "counted": "7", "expected": "10"}],
        "note": "Bin 4",
    }

    response = manager_api.post(URL, body, key="item-1")

    assert response.status_code == 201, response.json()
    assert [figures(store=store, lot=lot) for lot in nails] == [(D(1), D(0)), (D(6), D(0))]
    assert [(m["lot_code"], D(m["on_hand_delta"])) for m in response.json()["movements"]] == [
        ("N1", D(-3))
    ]
    assert LedgerEntry.objects.filter(reason="COUNT").count() == 1


@pytest.mark.parametrize(
    "line",
    [
        {"counted": "7"},
        {"item": "ITEM", "lot": "LOT", "counted": "7"},
    ],
    ids=["neither", "both"],
)
def test_a_line_names_exactly_one_of_lot_and_item(manager_api, item, store, nails, line):
    line = {k: {"ITEM": item.pk, "LOT": nails[0].pk}.get(v, v) for k, v in line.items()}
    before = snapshot()

    response = manager_api.post(URL, {"store": store.pk, "counts": [line]}, key="item-2")

    assert response.status_code == 400
    assert 'Give exactly one of "lot" and "item" per line.' in str(response.json())
    assert snapshot() == before


def test_the_schema_shows_item_lines(staff_client):
    schema = staff_client.get("/api/schema/?format=json").json()

    line = schema["components"]["schemas"]["CountLineInputRequest"]
    assert {"lot", "item", "counted", "expected"} <= set(line["properties"])
    assert line["required"] == ["counted"]
