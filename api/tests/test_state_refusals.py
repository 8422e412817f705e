"""From a QA pass of the API as a till and shop integrator: an alert acknowledged or
resolved while the acknowledgement was on its way is refused (409, by the service), not
answered 200 as if acknowledged; a placed purchase order refuses an edit as a state
conflict (409), as a confirmed sales order does; a receipt naming a line of another
order names `line`."""

from decimal import Decimal

import pytest

from api.views import audit as audit_views
from inventory.models import Alert, AuditEvent, PurchaseOrder
from inventory.services.alerts import alert_acknowledge, alerts_refresh
from inventory.services.stock import stock_receive
from inventory.tests.factories import ItemFactory
from inventory.tests.views.purchasing_view_helpers import placed_order

from .db_state import db_state
from .responses import assert_problem

pytestmark = pytest.mark.django_db
V1 = "/api/v1"


@pytest.fixture(name="low_alert")
def low_alert_fixture(manager_user, store):
    """An OPEN alert: 2 pcs of an item whose reorder level is 5."""
    low = ItemFactory(sku="LOW-1", reorder_level=Decimal("5"))
    stock_receive(actor=manager_user, item=low, store=store, quantity=2, lot_code="L1")
    alerts_refresh(pairs={(low.pk, store.pk)})
    return Alert.objects.get(item=low, status=Alert.Status.OPEN)


def _meanwhile(monkeypatch, change):
    """Make `change` happen just after the view has read the alert: what a second till,
    a sale or a receipt does at that moment."""
    read, pending = audit_views.AlertViewSet.get_object, [change]

    def read_then_change(view):
        alert = read(view)
        while pending:  # once: a retry finds the world as the change left it
            pending.pop()()
        return alert

    monkeypatch.setattr(audit_views.AlertViewSet, "get_object", read_then_change)


def test_an_alert_resolved_while_acknowledged_is_refused_and_stays_resolved(
    manager_api, manager_user, store, low_alert, monkeypatch
):
    # given stock that recovers (a receipt) just after the acknowledgement was read
    def recover():
        stock_receive(actor=manager_user, item=low_alert.item, store=store, quantity=10)

    _meanwhile(monkeypatch, recover)

    # when a manager's till acknowledges the alert it listed as open
    response = manager_api.post(f"{V1}/alerts/{low_alert.pk}/acknowledge/")

    # then it is refused as a state conflict, and the alert stays resolved by the stock
    body = assert_problem(response, 409)
    assert body["type"] == "urn:inventory:problem:invalid-transition"
    assert body["detail"] == (
        f"The alert for LOW-1 at {store.name} is resolved, so it cannot be acknowledged; "
        "nothing was changed."
    )
    low_alert.refresh_from_db()
    assert (low_alert.status, low_alert.closed_by) == (Alert.Status.RESOLVED, None)
    assert not AuditEvent.objects.filter(action="alert.acknowledge").exists()


def test_an_alert_acknowledged_by_two_tills_at_once_is_acknowledged_once(
    manager_api, manager_user, admin_role_user, low_alert, monkeypatch
):
    # given another manager who acknowledges it first, after this call read it
    _meanwhile(monkeypatch, lambda: alert_acknowledge(actor=admin_role_user, alert=low_alert))

    response = manager_api.post(f"{V1}/alerts/{low_alert.pk}/acknowledge/", key="ack-1")
    again = manager_api.post(f"{V1}/alerts/{low_alert.pk}/acknowledge/", key="ack-1")

    body = assert_problem(response, 409)
    assert "is already acknowledged; nothing was changed." in body["detail"]
    assert (again.status_code, again["Idempotent-Replayed"]) == (409, "true")
    low_alert.refresh_from_db()
    assert (low_alert.status, low_alert.closed_by) == (
        Alert.Status.ACKNOWLEDGED,
        admin_role_user,
    )
    assert AuditEvent.objects.filter(action="alert.acknowledge").count() == 1


def test_a_placed_purchase_order_refuses_an_edit_as_a_state_conflict(
    manager_api, manager_user, supplier, store, item
):
    order = placed_order(manager_user, supplier, store, (item, "10", "2.00"))
    before = db_state()

    response = manager_api.put(
        f"{V1}/purchase-orders/{order.pk}/",
        {"supplier": supplier.pk, "store": store.pk, "lines": [{"item": item.pk, "quantity": 3}]},
    )

    body = assert_problem(response, 409)
    assert body["type"] == "urn:inventory:problem:invalid-transition"
    assert (
        body["detail"] == f"{order.number} is ordered, so it cannot be edited; nothing was changed."
    )
    assert db_state() == before
    assert PurchaseOrder.objects.get(pk=order.pk).lines.get().quantity_ordered == Decimal("10")


def test_a_receipt_naming_another_orders_line_names_the_line_field(
    staff_api, manager_user, supplier, store, item
):
    order = placed_order(manager_user, supplier, store, (item, "10", "2.00"))
    other = placed_order(manager_user, supplier, store, (item, "5", "2.00"))
    foreign = other.lines.get().pk
    before = db_state()

    response = staff_api.stock_post(
        f"{V1}/purchase-orders/{order.pk}/receive/",
        {"receipts": [{"line": foreign, "quantity": "4"}]},
    )

    body = assert_problem(response, 422)
    message = f"That line does not belong to {order.number}."
    assert (body["detail"], body["line"]) == (message, 0)
    assert body["errors"] == {"line": [message]}
    assert db_state() == {**before, "stored answers": before["stored answers"] + 1}
    assert order.lines.get().quantity_received == Decimal("0")
