"""From an API QA pass: "ship everything reserved" (no `lines`) and "receive everything
outstanding" (`"all": true`) mean what is left when the service locks the order. Another
till's partial shipment or receipt that lands after the call began is not held against
it: the rest goes. When nothing is left, a 409 `nothing-left` says so, nothing changes,
and a retry with the same key replays that answer."""

from decimal import Decimal

import pytest

from api.views import purchasing as purchasing_views
from api.views import sales as sales_views
from inventory.models import LedgerEntry, PurchaseOrder, SalesOrder
from inventory.selectors.stock import stock_totals_for_item
from inventory.services.purchasing import purchase_order_receive
from inventory.services.sales import sales_order_ship
from inventory.tests.factories import ItemFactory
from inventory.tests.services.sales_helpers import confirmed, receive
from inventory.tests.views.purchasing_view_helpers import placed_order

from .db_state import db_state
from .responses import assert_problem

pytestmark = pytest.mark.django_db
V1 = "/api/v1"
D = Decimal


def _meanwhile(monkeypatch, module, name, change):
    """Run `change` (another till) once, after the view has read the order and just
    before the service locks it, as when two requests cross."""
    real = getattr(module, name)
    pending = [change]

    def crossed(**kwargs):
        while pending:
            pending.pop()()
        return real(**kwargs)

    monkeypatch.setattr(module, name, crossed)


@pytest.fixture(name="two_lines")
def two_lines_fixture(manager_user, store):
    """A confirmed order of 5 BOLT and 3 NUT, 10 of each on hand."""
    bolt, nut = ItemFactory(sku="BOLT-1"), ItemFactory(sku="NUT-1")
    for item in (bolt, nut):
        receive(manager_user, item, store, "10")
    order = confirmed(manager_user, store, (bolt, "5", None), (nut, "3", None))
    return order, bolt, nut


def test_shipping_everything_after_another_till_shipped_part_ships_the_rest(
    staff_api, manager_user, store, two_lines, monkeypatch
):
    # given another till that ships 2 BOLT once this call has read the order
    order, bolt, nut = two_lines
    first, second = order.lines.order_by("pk")
    _meanwhile(
        monkeypatch,
        sales_views,
        "sales_order_ship",
        lambda: sales_order_ship(
            actor=manager_user, order=order, shipments={first.pk: "2"}, idempotency_key=None
        ),
    )

    # when this till ships everything reserved
    response = staff_api.stock_post(f"{V1}/sales-orders/{order.pk}/ship/", {})

    # then the rest goes: 3 BOLT and 3 NUT, and the order is shipped in full
    assert response.status_code == 200, response.content
    shipped = LedgerEntry.objects.filter(kind="ISSUE", operation_id=response.json()["operation"])
    assert sorted(shipped.values_list("item__sku", "quantity")) == [
        ("BOLT-1", D("3.000")),
        ("NUT-1", D("3.000")),
    ]
    order.refresh_from_db()
    assert order.status == SalesOrder.Status.SHIPPED
    lines = order.lines.order_by("pk").values_list("quantity_reserved", "quantity_shipped")
    assert list(lines) == [(D("0"), D("5")), (D("0"), D("3"))]
    for item, left in ((bolt, "5"), (nut, "7")):
        totals = stock_totals_for_item(item=item, store=store)
        assert (totals["on_hand"], totals["reserved"]) == (D(left), D("0"))


def test_shipping_everything_that_another_till_shipped_already_is_a_clear_409(
    staff_api, manager_user, two_lines
):
    # given an order another till has shipped in full (a view's read before that shipment
    # committed would meet the same service, which reads what is left under its lock)
    order, _, _ = two_lines
    sales_order_ship(
        actor=manager_user,
        order=order,
        shipments={line.pk: line.quantity for line in order.lines.all()},
        idempotency_key=None,
    )
    url = f"{V1}/sales-orders/{order.pk}/ship/"

    # when this till ships everything, and retries with the same key
    before = db_state()
    response = staff_api.post(url, {}, key="ship-all-1")
    again = staff_api.post(url, {}, key="ship-all-1")

    # then it is told there is nothing left to ship, nothing changes, and the retry
    # replays that answer
    body = assert_problem(response, 409)
    assert body["type"] == "urn:inventory:problem:nothing-left"
    assert body["detail"] == (
        f"{order.number} has nothing left to ship: it was shipped in full "
        "(by another user or window); nothing was changed."
    )
    assert (again.status_code, again["Idempotent-Replayed"]) == (409, "true")
    assert again.json() == body
    after = db_state()
    assert after.pop("stored answers") == before.pop("stored answers") + 1  # the refusal
    assert after == before
    assert LedgerEntry.objects.filter(kind="ISSUE").count() == 2  # the other till's only


def test_receiving_everything_after_another_till_received_part_receives_the_rest(
    manager_api, manager_user, supplier, store, monkeypatch
):
    # given an order of 10 BOLT and 6 NUT, and another till that receives 4 BOLT once
    # this call has read the order
    bolt, nut = ItemFactory(sku="BOLT-1"), ItemFactory(sku="NUT-1")
    order = placed_order(manager_user, supplier, store, (bolt, "10", "1.00"), (nut, "6", "1.00"))
    first = order.lines.order_by("pk").first()
    _meanwhile(
        monkeypatch,
        purchasing_views,
        "purchase_order_receive",
        lambda: purchase_order_receive(
            actor=manager_user, order=order, receipts=[{"line": first, "quantity": "4"}]
        ),
    )

    # when this till receives everything outstanding
    response = manager_api.stock_post(f"{V1}/purchase-orders/{order.pk}/receive/", {"all": True})

    # then the rest arrives: 6 BOLT and 6 NUT, and the order is received in full
    assert response.status_code == 201, response.content
    received = LedgerEntry.objects.filter(kind="RECEIVE", operation_id=response.json()["operation"])
    assert sorted(received.values_list("item__sku", "quantity")) == [
        ("BOLT-1", D("6.000")),
        ("NUT-1", D("6.000")),
    ]
    order.refresh_from_db()
    assert order.status == PurchaseOrder.Status.RECEIVED
    assert list(order.lines.order_by("pk").values_list("quantity_received", flat=True)) == [
        D("10"),
        D("6"),
    ]
    for item, on_hand in ((bolt, "10"), (nut, "6")):
        assert stock_totals_for_item(item=item, store=store)["on_hand"] == D(on_hand)


def test_receiving_everything_that_another_till_received_already_is_a_clear_409(
    manager_api, manager_user, supplier, store
):
    # given an order another till has received in full
    bolt = ItemFactory(sku="BOLT-1")
    order = placed_order(manager_user, supplier, store, (bolt, "10", "1.00"))
    purchase_order_receive(
        actor=manager_user, order=order, receipts=[{"line": order.lines.get(), "quantity": "10"}]
    )
    url = f"{V1}/purchase-orders/{order.pk}/receive/"

    # when this till receives everything, and retries with the same key
    before = db_state()
    response = manager_api.post(url, {"all": True}, key="receive-all-1")
    again = manager_api.post(url, {"all": True}, key="receive-all-1")

    # then it is told there is nothing left to receive; the retry replays that answer
    body = assert_problem(response, 409)
    assert body["type"] == "urn:inventory:problem:nothing-left"
    assert body["detail"] == (
        f"{order.number} has nothing left to receive: it was received in full "
        "(by another user or window); nothing was changed."
    )
    assert (again.status_code, again["Idempotent-Replayed"]) == (409, "true")
    assert again.json() == body
    after = db_state()
    assert after.pop("stored answers") == before.pop("stored answers") + 1  # the refusal
    assert after == before
    assert stock_totals_for_item(item=bolt, store=store)["on_hand"] == D("10")
