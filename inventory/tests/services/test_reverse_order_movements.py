"""A movement written by an order is corrected through the order, whatever its deltas."""

import pytest

from inventory.exceptions import NotReversible
from inventory.models import LedgerEntry
from inventory.services.sales import sales_order_ship
from inventory.services.stock import ledger_entry_reverse

from .sales_helpers import confirmed
from .stock_helpers import receive, snapshot

pytestmark = pytest.mark.django_db
ORDER_MESSAGE = (
    "This movement belongs to a sales order; change it from the order (a return takes back "
    "a shipment, a cancellation releases what is reserved)."
)


def test_reversing_a_shipment_issue_is_refused_as_an_order_movement(manager_user, item, store):
    # given a confirmed order of 3, shipped: its ISSUE also released the reservation
    receive(manager_user, item, store, 10, "A")
    order = confirmed(manager_user, store, (item, 3, None))
    line = order.lines.get()
    shipped = sales_order_ship(
        actor=manager_user, order=order, shipments={line.pk: 3}, idempotency_key=None
    )
    issue = shipped.stock.entries[0]
    assert (issue.kind, issue.reserved_delta) == (LedgerEntry.Kind.ISSUE, -3)
    before = snapshot()

    # when a manager reverses it
    with pytest.raises(NotReversible) as excinfo:
        ledger_entry_reverse(actor=manager_user, entry=issue)

    # then the refusal sends them to the order, and nothing is written
    assert str(excinfo.value) == ORDER_MESSAGE
    assert snapshot() == before
    assert not LedgerEntry.objects.filter(reverses__isnull=False).exists()


def test_reversing_an_order_reservation_is_refused_as_an_order_movement(manager_user, item, store):
    receive(manager_user, item, store, 10, "A")
    order = confirmed(manager_user, store, (item, 3, None))
    reservation = LedgerEntry.objects.get(so_line__order=order, kind=LedgerEntry.Kind.RESERVE)
    before = snapshot()

    with pytest.raises(NotReversible) as excinfo:
        ledger_entry_reverse(actor=manager_user, entry=reservation)

    assert str(excinfo.value) == ORDER_MESSAGE
    assert snapshot() == before
