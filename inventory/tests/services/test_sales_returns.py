"""Sales order services: returns of shipped lines back into their lots."""

import pytest

from inventory.exceptions import InventoryError
from inventory.models import LedgerEntry, QCStatus, SalesOrder
from inventory.selectors.sales import sales_order_figures
from inventory.services.sales import sales_order_return, sales_order_ship

from .sales_helpers import D, confirmed, figures, key, receive, snapshot

pytestmark = pytest.mark.django_db
Status = SalesOrder.Status


# --- returns ----------------------------------------------------------------------------


def _shipped(user, store, item, quantity="5"):
    receive(user, item, store, "10", cost="2.00", code="SRC")
    order = confirmed(user, store, (item, quantity, None))
    line = order.lines.get()
    sales_order_ship(actor=user, order=order, shipments={line: quantity}, idempotency_key=None)
    line.refresh_from_db()
    return order, line


def test_return_goes_back_into_the_lot_it_left(staff_user, store, item):
    order, line = _shipped(staff_user, store, item)

    sales_order_return(
        actor=staff_user, line=line, quantity="2", note="Wrong size", idempotency_key=key("r1")
    )

    line.refresh_from_db()
    assert line.quantity_returned == D("2.000")
    entry = LedgerEntry.objects.get(kind="RETURN")
    assert (entry.lot.code, entry.quantity, entry.so_line_id) == ("SRC", D("2.000"), line.pk)
    assert figures(item, store)["available"] == D("7.000")
    assert sales_order_figures(order=order)["cost_of_goods"] == D("6.00")
    assert sales_order_figures(order=order)["shipped_value"] == D("12.00")
    order.refresh_from_db()
    assert order.status == Status.SHIPPED


def test_return_of_a_qc_item_waits_in_quarantine(staff_user, manager_user, store, qc_item):
    from inventory.services.qc import lot_approve

    lot = receive(staff_user, qc_item, store, "10", cost="2.00", code="QSRC")
    lot_approve(actor=manager_user, lot=lot)
    order = confirmed(staff_user, store, (qc_item, "4", None))
    line = order.lines.get()
    sales_order_ship(actor=staff_user, order=order, shipments={line: "4"}, idempotency_key=None)

    sales_order_return(actor=staff_user, line=line, quantity="1", idempotency_key=key("rq"))

    entry = LedgerEntry.objects.get(kind="RETURN")
    assert entry.lot.qc_status == QCStatus.QUARANTINE
    assert entry.lot.origin_lot_id == lot.pk
    totals = figures(qc_item, store)
    assert (totals["available"], totals["quarantined"]) == (D("6.000"), D("1.000"))
    line.refresh_from_db()
    assert line.quantity_returned == D("1.000")


def test_return_refuses_more_than_shipped_minus_returned(staff_user, store, item):
    order, line = _shipped(staff_user, store, item, quantity="3")
    sales_order_return(actor=staff_user, line=line, quantity="2", idempotency_key=None)
    before = snapshot(order)

    with pytest.raises(InventoryError) as caught:
        sales_order_return(actor=staff_user, line=line, quantity="2", idempotency_key=None)

    assert "Only 1 pc" in str(caught.value)
    assert snapshot(order) == before


def test_return_refuses_an_unshipped_line(staff_user, store, item):
    receive(staff_user, item, store, "10")
    order = confirmed(staff_user, store, (item, "3", None))
    before = snapshot(order)

    with pytest.raises(InventoryError):
        sales_order_return(
            actor=staff_user, line=order.lines.get(), quantity="1", idempotency_key=None
        )

    assert snapshot(order) == before


def test_replayed_return_takes_back_once(staff_user, store, item):
    order, line = _shipped(staff_user, store, item)

    sales_order_return(actor=staff_user, line=line, quantity="1", idempotency_key=key("rr"))
    second = sales_order_return(
        actor=staff_user, line=line, quantity="1", idempotency_key=key("rr")
    )

    assert second.replayed is True
    line.refresh_from_db()
    assert line.quantity_returned == D("1.000")
    assert LedgerEntry.objects.filter(kind="RETURN").count() == 1


def test_returns_of_a_line_shipped_from_a_lot_made_of_returns_go_back_where_they_left(
    staff_user, manager_user, store, item
):
    from django.db.models import Sum

    from inventory.services.qc import lot_approve

    # given a lot made of damaged returns (R, from SRC), inspected and sold again with SRC
    _, first = _shipped(staff_user, store, item, quantity="3")
    sales_order_return(
        actor=staff_user, line=first, quantity="3", damaged=True, idempotency_key=key("held")
    )
    made = LedgerEntry.objects.get(kind="RETURN").lot
    lot_approve(actor=manager_user, lot=made)
    order = confirmed(staff_user, store, (item, "9", None))
    line = order.lines.get()
    sales_order_ship(actor=staff_user, order=order, shipments={line: "9"}, idempotency_key=None)
    line.refresh_from_db()

    # when the line's goods come back in two returns, not damaged
    for n in (1, 2):
        sales_order_return(actor=staff_user, line=line, quantity="2", idempotency_key=key(f"b{n}"))

    # then no lot takes back more than left it on that line (R's own returns count as R's)
    moved = (
        LedgerEntry.objects.filter(so_line=line)
        .values_list("lot__code", "kind")
        .annotate(q=Sum("quantity"))
        .order_by()
    )
    by_lot = {}
    for code, kind, quantity in moved:
        by_lot.setdefault(code, {})[kind] = quantity
    assert set(by_lot) == {"SRC", made.code}
    for code, kinds in by_lot.items():
        assert kinds.get("RETURN", D(0)) <= kinds["ISSUE"], (code, kinds)
    assert sum(k.get("RETURN", D(0)) for k in by_lot.values()) == D(4)
