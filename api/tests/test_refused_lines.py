"""The API names each line of a document refused on several lines at once (`refusals`),
and nothing is recorded."""

import pytest

from api.tests.responses import assert_problem
from inventory.tests.factories import ItemFactory
from inventory.tests.views.purchasing_view_helpers import placed_order, state

pytestmark = pytest.mark.django_db
V1 = "/api/v1"


def test_the_api_names_each_refused_line(manager_api, manager_user, supplier, store, item):
    other = ItemFactory(sku="SKU-0099")
    order = placed_order(manager_user, supplier, store, (item, "2", "2.00"), (other, "4", "1.00"))
    first, second = order.lines.order_by("pk")
    before = state(order)

    response = manager_api.stock_post(
        f"{V1}/purchase-orders/{order.pk}/receive/",
        {"receipts": [{"line": first.pk, "quantity": "3"}, {"line": second.pk, "quantity": "9"}]},
    )

    body = assert_problem(response, 422)
    assert body["type"] == "urn:inventory:problem:refused-lines"
    assert body["line"] == 0
    assert [(r["line"], list(r["errors"])) for r in body["refusals"]] == [
        (0, ["quantity"]),
        (1, ["quantity"]),
    ]
    assert body["refusals"][1]["detail"].startswith("Only 4 pcs of SKU-0099 are outstanding")
    assert body["detail"] == " ".join(r["detail"] for r in body["refusals"])
    assert state(order) == before
