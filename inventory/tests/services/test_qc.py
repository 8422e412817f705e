import pytest

from inventory.exceptions import InvalidTransition, InventoryError
from inventory.models import AuditEvent, Lot, LotDecision, QCStatus
from inventory.selectors.stock import stock_totals_for_item
from inventory.services.qc import lot_approve, lot_quarantine, lot_reject

from .stock_helpers import D, deltas, figures, receive, snapshot

pytestmark = pytest.mark.django_db


def _history(lot):
    return list(LotDecision.objects.filter(lot=lot).values_list("from_status", "to_status", "note"))


def test_approving_a_quarantine_lot_makes_its_stock_available(
    staff_user, manager_user, qc_item, store
):
    lot = receive(staff_user, qc_item, store, 10, "Q")
    assert stock_totals_for_item(item=qc_item)["available"] == D(0)

    returned = lot_approve(actor=manager_user, lot=lot, note="lab ok")

    assert returned.qc_status == QCStatus.APPROVED
    assert Lot.objects.get(pk=lot.pk).qc_status == QCStatus.APPROVED
    assert _history(lot) == [("QUARANTINE", "APPROVED", "lab ok")]
    assert stock_totals_for_item(item=qc_item)["available"] == D(10)
    event = AuditEvent.objects.get(action="lot.approved")
    assert event.details["from"] == "QUARANTINE"
    assert event.details["on_hand"] == {"MAIN": "10.000"}


def test_rejecting_a_quarantine_lot(staff_user, manager_user, qc_item, store):
    lot = receive(staff_user, qc_item, store, 10, "Q")

    lot_reject(actor=manager_user, lot=lot, note="mould")

    assert Lot.objects.get(pk=lot.pk).qc_status == QCStatus.REJECTED
    assert _history(lot) == [("QUARANTINE", "REJECTED", "mould")]
    totals = stock_totals_for_item(item=qc_item)
    assert (totals["on_hand"], totals["available"]) == (D(10), D(0))


def test_quarantining_an_approved_lot_takes_it_out_of_available(manager_user, item, store):
    lot = receive(manager_user, item, store, 10, "A")

    lot_quarantine(actor=manager_user, lot=lot, note="recall")

    assert _history(lot) == [("APPROVED", "QUARANTINE", "recall")]
    totals = stock_totals_for_item(item=item)
    assert (totals["on_hand"], totals["available"], totals["quarantined"]) == (D(10), D(0), D(10))


def test_the_history_keeps_every_decision_in_order(staff_user, manager_user, qc_item, store):
    lot = receive(staff_user, qc_item, store, 10, "Q")

    lot_approve(actor=manager_user, lot=lot)
    lot_quarantine(actor=manager_user, lot=lot)
    lot_reject(actor=manager_user, lot=lot, note="Mould")

    assert [(f, t) for f, t, _ in _history(lot)] == [
        ("QUARANTINE", "APPROVED"),
        ("APPROVED", "QUARANTINE"),
        ("QUARANTINE", "REJECTED"),
    ]


@pytest.mark.parametrize("decide", [lot_reject, lot_quarantine])
def test_a_reserved_lot_is_held_at_once_and_its_orders_ship_from_other_lots(
    manager_user, item, store, decide
):
    # given an order holding 3 of A (FEFO) and 5 more in B (before, the decision was
    # refused until the order shipped or was cancelled: defective stock could ship)
    from inventory.selectors.stock import stock_totals_for_item
    from inventory.services.sales import sales_order_ship

    from .sales_helpers import confirmed

    lot = receive(manager_user, item, store, 10, "A")
    receive(manager_user, item, store, 5, "B")
    order = confirmed(manager_user, store, (item, 3, None))
    line = order.lines.get()

    # when QC takes A out of sale
    decide(actor=manager_user, lot=lot, note="Checked")

    # then the order still holds 3, counted against the 5 left for sale
    totals = stock_totals_for_item(item=item, store=store)
    assert (totals["on_hand"], totals["reserved"], totals["available"]) == (D(15), D(3), D(2))
    # and it ships them from B, never from A
    shipped = sales_order_ship(
        actor=manager_user, order=order, shipments={line.pk: 3}, idempotency_key="s"
    )
    assert [d[0:4] for d in deltas(shipped.stock)] == [
        ("UNRESERVE", "MAIN", "A", D(3)),
        ("RESERVE", "MAIN", "B", D(3)),
        ("ISSUE", "MAIN", "B", D(3)),
    ]
    assert figures(store=store, lot=lot) == (D(10), D(0))


def test_an_order_whose_lot_was_held_and_no_other_stock_is_not_shipped(manager_user, item, store):
    from inventory.exceptions import ShortLines
    from inventory.services.sales import sales_order_ship

    from .sales_helpers import confirmed

    lot = receive(manager_user, item, store, 10, "A")
    order = confirmed(manager_user, store, (item, 3, None))
    lot_quarantine(actor=manager_user, lot=lot, note="Smell")
    before = snapshot()

    with pytest.raises(ShortLines, match="Only 0 pcs of SKU-0042 reserved for this order"):
        sales_order_ship(
            actor=manager_user,
            order=order,
            shipments={order.lines.get().pk: 3},
            idempotency_key="s",
        )

    assert snapshot() == before


@pytest.mark.parametrize(
    ("steps", "decide", "message"),
    [
        ([], lot_quarantine, "Lot Q is already in quarantine; nothing was changed."),
        ([lot_approve], lot_approve, "Lot Q is already approved; nothing was changed."),
        (
            [lot_reject],
            lot_approve,
            "Lot Q is rejected, so it cannot be approved; nothing was changed.",
        ),
        (
            [lot_reject],
            lot_quarantine,
            "Lot Q is rejected, so it cannot be put back in quarantine; nothing was changed.",
        ),
        ([lot_reject], lot_reject, "Lot Q is already rejected; nothing was changed."),
    ],
)
def test_an_illegal_decision_is_refused(
    staff_user, manager_user, qc_item, store, steps, decide, message
):
    lot = receive(staff_user, qc_item, store, 10, "Q")
    for step in steps:
        step(actor=manager_user, lot=lot, note="Checked")
    before = snapshot()

    with pytest.raises(InvalidTransition) as excinfo:
        decide(actor=manager_user, lot=lot, note="Checked")

    assert str(excinfo.value) == message
    assert snapshot() == before


@pytest.mark.parametrize("note", ["", "   "])
def test_a_rejection_without_a_reason_is_refused_and_changes_nothing(
    staff_user, manager_user, qc_item, store, note
):
    lot = receive(staff_user, qc_item, store, 10, "Q")
    before = snapshot()

    with pytest.raises(InventoryError) as refused:
        lot_reject(actor=manager_user, lot=lot, note=note)

    assert (refused.value.field, str(refused.value)) == ("note", "Say why lot Q is rejected.")
    assert snapshot() == before
    lot.refresh_from_db()
    assert lot.qc_status == "QUARANTINE"
