"""Cursor pages: a forged cursor is "Invalid cursor" (404), never a 500."""

import base64
from urllib.parse import parse_qs, urlparse

import pytest
from rest_framework.pagination import CursorPagination

from api.pagination import IdCursorPagination
from api.urls import router
from inventory.services.stock import stock_receive

pytestmark = pytest.mark.django_db
V1 = "/api/v1"
MOVEMENTS = f"{V1}/movements/"


def cursor(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


@pytest.fixture
def movements(manager_user, item, store):
    for _ in range(3):
        stock_receive(actor=manager_user, item=item, store=store, quantity=1)


@pytest.mark.parametrize(
    "forged",
    [
        "p=abc",
        "p=1.5",
        "p=",
        "p=1e3",
        "p=0x10",
        "p=-1",
        "p=%D9%A1",  # Arabic-Indic one
        "p=+1",
        "p= 1",
        f"p={2**63}",
        f"p={10**30}",
        "o=1&r=1&p=abc",
        "o=abc",
        "r=x",
    ],
)
def test_a_forged_cursor_is_an_invalid_cursor_problem(manager_api, movements, forged):
    response = manager_api.get(MOVEMENTS, {"cursor": cursor(forged)})

    assert response.status_code == 404, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json() == {
        "type": "about:blank",
        "title": "Not found",
        "status": 404,
        "detail": "Invalid cursor",
    }


def test_the_cursors_the_api_writes_still_page_through_everything(manager_api, movements):
    response = manager_api.get(MOVEMENTS, {"page_size": 2})
    first = response.json()
    next_cursor = parse_qs(urlparse(first["next"]).query)["cursor"][0]

    second = manager_api.get(MOVEMENTS, {"page_size": 2, "cursor": next_cursor}).json()
    previous_cursor = parse_qs(urlparse(second["previous"]).query)["cursor"][0]
    back = manager_api.get(MOVEMENTS, {"page_size": 2, "cursor": previous_cursor}).json()

    ids = [row["id"] for row in first["results"] + second["results"]]
    assert len(ids) == 3 and ids == sorted(ids, reverse=True)
    assert [row["id"] for row in back["results"]] == [row["id"] for row in first["results"]]


def test_every_cursor_paged_view_checks_its_positions():
    cursor_paged = {
        prefix: viewset.pagination_class
        for prefix, viewset, _basename in router.registry
        if issubclass(viewset.pagination_class or object, CursorPagination)
    }

    assert set(cursor_paged) >= {"movements", "sales-orders", "purchase-orders", "audit-events"}
    for prefix, pagination in cursor_paged.items():
        assert issubclass(pagination, IdCursorPagination), prefix
        assert pagination.ordering.lstrip("-") in ("id", "pk"), prefix


@pytest.mark.parametrize("path", ["/api/v1/sales-orders/", "/api/v1/purchase-orders/"])
def test_an_order_added_between_pages_is_read_once(manager_api, manager_user, store, item, path):
    # Found by an integrator QA pass: numbered pages shifted as orders arrived, so the
    # next page began with the last row of the one before.
    from inventory.services.purchasing import purchase_order_create
    from inventory.services.sales import sales_order_create
    from inventory.tests.factories import SupplierFactory

    supplier = SupplierFactory()

    def new_order():
        if "sales" in path:
            return sales_order_create(actor=manager_user, store=store, customer=None,
                                      lines=[(item, "1", "1.00")])  # fmt: skip
        return purchase_order_create(actor=manager_user, supplier=supplier, store=store,
                                     lines=[(item, "1", "1.00")])  # fmt: skip

    made = [new_order().pk for _ in range(5)]
    first = manager_api.get(path, {"page_size": 2}).json()
    new_order()
    second = manager_api.get(first["next"]).json()
    third = manager_api.get(second["next"]).json()

    read = [row["id"] for page in (first, second, third) for row in page["results"]]
    assert read == sorted(made, reverse=True)
    assert third["next"] is None


@pytest.mark.parametrize(
    "forged",
    [
        "!!!",  # no base64 at all: DRF dropped it and served the first page
        "%%%",
        "abc",  # base64 letters that do not decode to ASCII
        "cD0x=extra",
        cursor("x=1"),  # base64 of something else than a cursor
        cursor("o=0&page=2"),
    ],
)
def test_a_cursor_that_is_not_one_is_an_invalid_cursor_problem(manager_api, movements, forged):
    # Found by a QA pass: ?cursor=!!! answered 200 with the first page.
    response = manager_api.get(MOVEMENTS, {"cursor": forged})

    assert response.status_code == 404, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == "Invalid cursor"


def test_an_empty_cursor_is_still_the_first_page(manager_api, movements):
    response = manager_api.get(MOVEMENTS, {"cursor": ""})

    assert response.status_code == 200
    assert len(response.json()["results"]) == 3


def test_paging_through_lots_while_goods_arrive_reads_each_lot_once(
    staff_api, manager_user, item, store
):
    # Found by an integrator's QA pass: numbered pages over lots (every receipt makes
    # one, at the top) read lot 41 twice when a receipt came in between two pages.
    for n in range(5):
        stock_receive(actor=manager_user, item=item, store=store, quantity=1, lot_code=f"L{n}")
    first = staff_api.get("/api/v1/lots/", {"page_size": 2}).json()
    stock_receive(actor=manager_user, item=item, store=store, quantity=1, lot_code="NEW")
    codes, page = [row["code"] for row in first["results"]], first
    while page["next"]:
        page = staff_api.get(page["next"]).json()
        codes += [row["code"] for row in page["results"]]

    assert codes == ["L4", "L3", "L2", "L1", "L0"]
