"""Purchase order life cycle: placing, cancelling and the transitions they refuse."""

import pytest

from inventory.exceptions import InactiveRecord, InvalidTransition, InventoryError
from inventory.models import OPEN_PURCHASE_STATUSES, AuditEvent, PurchaseOrder
from inventory.selectors.stock import stock_totals_for_item
from inventory.services.purchasing import (
    TRANSITIONS,
    purchase_order_cancel,
    purchase_order_place,
    purchase_order_receive,
)

from .purchasing_helpers import (
    make_order,
    order_in,
    snapshot,
)

pytestmark = pytest.mark.django_db
Status = PurchaseOrder.Status


# --- life cycle ---------------------------------------------------------------------------


def test_place_moves_draft_to_ordered_and_is_audited(manager_user, supplier, store, item):
    order = make_order(manager_user, supplier, store, (item, "5", "1.00"), place=False)

    purchase_order_place(actor=manager_user, order=order)

    order.refresh_from_db()
    assert order.status == Status.ORDERED
    event = AuditEvent.objects.get(action="purchase_order.place")
    assert (event.details["from"], event.details["to"]) == ("DRAFT", "ORDERED")


def test_place_without_lines_is_refused(manager_user, supplier, store):
    order = make_order(manager_user, supplier, store, place=False)
    before = snapshot(order)

    with pytest.raises(InventoryError, match="has no lines"):
        purchase_order_place(actor=manager_user, order=order)

    assert snapshot(order) == before


def test_place_with_a_deactivated_item_is_refused(manager_user, supplier, store, item):
    order = make_order(manager_user, supplier, store, (item, "5", "1.00"), place=False)
    item.is_active = False
    item.save()
    before = snapshot(order)

    with pytest.raises(InactiveRecord):
        purchase_order_place(actor=manager_user, order=order)

    assert snapshot(order) == before


@pytest.mark.parametrize("status", [Status.DRAFT, Status.ORDERED])
def test_cancel_from_draft_or_ordered(manager_user, supplier, store, item, status):
    order = order_in(status, manager_user, supplier, store, item)

    purchase_order_cancel(actor=manager_user, order=order)

    order.refresh_from_db()
    assert order.status == Status.CANCELLED
    assert AuditEvent.objects.filter(action="purchase_order.cancel").count() == 1


def test_a_partly_received_order_is_closed_short(manager_user, supplier, store, item):
    # Found by a QA pass: a supplier who never sends the rest left the order open for
    # good (and counted among the open orders on the dashboard).
    order = order_in(Status.PARTIALLY_RECEIVED, manager_user, supplier, store, item)
    received = [line.quantity_received for line in order.lines.all()]
    on_hand = stock_totals_for_item(item=item, store=store)["on_hand"]

    purchase_order_cancel(actor=manager_user, order=order)

    order.refresh_from_db()
    assert order.status == Status.CANCELLED
    assert [line.quantity_received for line in order.lines.all()] == received
    assert stock_totals_for_item(item=item, store=store)["on_hand"] == on_hand > 0
    assert order.status not in OPEN_PURCHASE_STATUSES
    # and its history says it was closed short, not cancelled (found by QA)
    ended = ("purchase_order.cancel", "purchase_order.close_short")
    event = AuditEvent.objects.get(object_id=str(order.pk), action__in=ended)
    assert (event.action, event.action_label) == (
        "purchase_order.close_short",
        "Purchase order closed short, the rest no longer expected",
    )


def test_transition_table_is_the_documented_life_cycle():
    expected = {
        "DRAFT": {"ORDERED", "CANCELLED"},
        "ORDERED": {"PARTIALLY_RECEIVED", "RECEIVED", "CANCELLED"},
        "PARTIALLY_RECEIVED": {"PARTIALLY_RECEIVED", "RECEIVED", "CANCELLED"},
        "RECEIVED": set(),
        "CANCELLED": set(),
    }
    assert expected == TRANSITIONS


@pytest.mark.parametrize(
    "status", [Status.ORDERED, Status.PARTIALLY_RECEIVED, Status.RECEIVED, Status.CANCELLED]
)
def test_place_from_any_state_but_draft_is_refused(manager_user, supplier, store, item, status):
    order = order_in(status, manager_user, supplier, store, item)
    before = snapshot(order)

    with pytest.raises(InvalidTransition) as exc:
        purchase_order_place(actor=manager_user, order=order)

    assert exc.value.to_status == Status.ORDERED
    assert snapshot(order) == before


@pytest.mark.parametrize("status", [Status.RECEIVED, Status.CANCELLED])
def test_cancel_from_a_late_state_is_refused(manager_user, supplier, store, item, status):
    order = order_in(status, manager_user, supplier, store, item)
    before = snapshot(order)

    refusal = (
        "already cancelled"
        if status == Status.CANCELLED
        else "so it cannot be cancelled; nothing was changed"
    )
    with pytest.raises(InvalidTransition, match=refusal):
        purchase_order_cancel(actor=manager_user, order=order)

    assert snapshot(order) == before


@pytest.mark.parametrize("status", [Status.DRAFT, Status.RECEIVED, Status.CANCELLED])
def test_receive_against_a_closed_or_draft_order_is_refused(
    manager_user, staff_user, supplier, store, item, status
):
    order = order_in(status, manager_user, supplier, store, item)
    line = order.lines.get()
    before = snapshot(order)

    with pytest.raises(InvalidTransition):
        purchase_order_receive(
            actor=staff_user, order=order, receipts=[{"line": line, "quantity": "1"}]
        )

    assert snapshot(order) == before
