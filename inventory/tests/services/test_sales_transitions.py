"""Sales order services: the state machine, its illegal moves and the allowed actions."""

import pytest

from inventory.exceptions import InvalidTransition
from inventory.models import AuditEvent, SalesOrder
from inventory.services.sales import (
    TRANSITIONS,
    allowed_actions,
    sales_order_cancel,
    sales_order_confirm,
    sales_order_ship,
)

from .sales_helpers import draft, receive, snapshot

pytestmark = pytest.mark.django_db
Status = SalesOrder.Status


# --- the state machine ----------------------------------------------------------------


def _order_in(status, user, store, item):
    receive(user, item, store, "10")
    order = draft(user, store, (item, "4", None))
    if status == Status.DRAFT:
        return order
    if status == Status.CANCELLED:
        sales_order_cancel(actor=user, order=order, idempotency_key=None)
        return order
    sales_order_confirm(actor=user, order=order, idempotency_key=None)
    line = order.lines.get()
    if status == Status.PARTIALLY_SHIPPED:
        sales_order_ship(actor=user, order=order, shipments={line: "1"}, idempotency_key=None)
    elif status == Status.SHIPPED:
        sales_order_ship(actor=user, order=order, shipments={line: "4"}, idempotency_key=None)
    order.refresh_from_db()
    assert order.status == status
    return order


ACTIONS = {
    Status.CONFIRMED: lambda u, o: sales_order_confirm(actor=u, order=o, idempotency_key=None),
    Status.SHIPPED: lambda u, o: sales_order_ship(
        actor=u, order=o, shipments={o.lines.get(): "1"}, idempotency_key=None
    ),
    Status.CANCELLED: lambda u, o: sales_order_cancel(actor=u, order=o, idempotency_key=None),
}
ILLEGAL = [
    (source, target) for source in Status for target in ACTIONS if target not in TRANSITIONS[source]
]


def test_the_illegal_moves_are_the_expected_ones():
    assert sorted(ILLEGAL) == sorted(
        [
            (Status.DRAFT, Status.SHIPPED),
            (Status.CONFIRMED, Status.CONFIRMED),
            (Status.PARTIALLY_SHIPPED, Status.CONFIRMED),
            (Status.SHIPPED, Status.CONFIRMED),
            (Status.SHIPPED, Status.SHIPPED),
            (Status.SHIPPED, Status.CANCELLED),
            (Status.CANCELLED, Status.CONFIRMED),
            (Status.CANCELLED, Status.SHIPPED),
            (Status.CANCELLED, Status.CANCELLED),
        ]
    )


@pytest.mark.parametrize(("source", "target"), ILLEGAL)
def test_every_illegal_transition_is_refused_and_changes_nothing(
    staff_user, store, item, source, target
):
    order = _order_in(source, staff_user, store, item)
    before = snapshot(order)
    events = AuditEvent.objects.count()

    with pytest.raises(InvalidTransition):
        ACTIONS[target](staff_user, order)

    assert snapshot(order) == before
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    ("status", "actions"),
    [
        (Status.DRAFT, {"edit", "confirm", "cancel"}),
        (Status.CONFIRMED, {"ship", "cancel"}),
        (Status.PARTIALLY_SHIPPED, {"ship", "cancel"}),
        (Status.SHIPPED, set()),
        (Status.CANCELLED, set()),
    ],
)
def test_allowed_actions_follow_the_status(status, actions):
    assert allowed_actions(SalesOrder(status=status)) == actions
