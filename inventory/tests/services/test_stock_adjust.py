import pytest

from inventory.exceptions import InsufficientStock, InventoryError, LotNotApproved
from inventory.models import LedgerEntry
from inventory.services.qc import lot_reject
from inventory.services.stock import (
    stock_adjust,
    stock_issue,
    stock_reserve,
    stock_transfer,
)

from .stock_helpers import D, deltas, figures, receive, snapshot

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("reason", "quantity", "expected"),
    [
        ("COUNT", "-2", D(8)),
        ("COUNT", "1.5", D("11.5")),
        ("FOUND", "3", D(13)),
        ("DAMAGE", "-1", D(9)),
        ("LOSS", "-4", D(6)),
        ("WRITE_OFF", "-10", D(0)),
        ("RETURN_TO_SUPPLIER", "-7", D(3)),
    ],
)
def test_adjust_moves_on_hand_by_the_signed_quantity(
    manager_user, item, store, reason, quantity, expected
):
    item.unit = "kg"  # a fractional quantity below
    item.save(update_fields=["unit"])
    lot = receive(manager_user, item, store, 10, "A")

    result = stock_adjust(
        actor=manager_user, lot=lot, store=store, quantity=quantity, reason=reason, note="count"
    )

    delta = D(quantity)
    assert deltas(result) == [("ADJUST", "MAIN", "A", abs(delta), delta, D(0))]
    assert result.entries[0].reason == reason
    assert result.entries[0].note == "count"
    assert figures(store=store, lot=lot) == (expected, D(0))


@pytest.mark.parametrize(
    ("reason", "quantity", "message"),
    [
        ("", "-1", "Choose a reason for the adjustment."),
        ("THEFT", "-1", "Choose a reason for the adjustment."),
        ("REVERSAL", "-1", "Choose a reason for the adjustment."),
        ("DAMAGE", "1", "Damage takes stock out: enter a negative quantity."),
        ("WRITE_OFF", "1", "Write-off takes stock out: enter a negative quantity."),
        ("FOUND", "-1", "Found stock adds to stock: enter a positive quantity."),
    ],
)
def test_adjust_with_a_wrong_reason_is_refused(
    manager_user, item, store, reason, quantity, message
):
    lot = receive(manager_user, item, store, 10, "A")
    before = snapshot()

    with pytest.raises(InventoryError) as excinfo:
        stock_adjust(actor=manager_user, lot=lot, store=store, quantity=quantity, reason=reason)

    assert excinfo.value.message == message
    assert snapshot() == before


def test_adjust_below_the_reserved_quantity_is_refused(manager_user, item, store):
    lot = receive(manager_user, item, store, 10, "A")
    stock_reserve(actor=manager_user, item=item, store=store, quantity=7)
    before = snapshot()

    with pytest.raises(InventoryError) as excinfo:
        stock_adjust(actor=manager_user, lot=lot, store=store, quantity=-4, reason="LOSS")

    assert str(excinfo.value) == (
        "Lot A has 7 pcs reserved, more than the 6 pcs left after this, and the other lots "
        "of SKU-0042 in Main Store have 0 pcs free to take them: release them first."
    )
    assert snapshot() == before


def test_adjust_down_in_a_store_without_that_lot_is_refused(manager_user, item, store, other_store):
    lot = receive(manager_user, item, store, 10, "A")
    before = snapshot()

    with pytest.raises(InsufficientStock, match="Only 0 pcs of SKU-0042 in lot A in Warehouse"):
        stock_adjust(actor=manager_user, lot=lot, store=other_store, quantity=-1, reason="COUNT")

    assert snapshot() == before


def test_adjust_up_in_a_new_store_creates_its_balance(manager_user, item, store, other_store):
    lot = receive(manager_user, item, store, 10, "A")

    stock_adjust(actor=manager_user, lot=lot, store=other_store, quantity=2, reason="FOUND")

    assert figures(store=other_store, lot=lot) == (D(2), D(0))


def test_rejected_stock_leaves_only_through_an_adjustment(
    staff_user, manager_user, other_store, qc_item, store
):
    # given a rejected lot of 10
    bad = receive(staff_user, qc_item, store, 10, "BAD")
    lot_reject(actor=manager_user, lot=bad, note="Damaged")
    before = snapshot()
    # then it cannot be issued, reserved or transferred
    with pytest.raises(LotNotApproved):
        stock_issue(actor=staff_user, item=qc_item, store=store, quantity=1, lot=bad)
    with pytest.raises(InsufficientStock):
        stock_issue(actor=staff_user, item=qc_item, store=store, quantity=1)
    with pytest.raises(InsufficientStock):
        stock_reserve(actor=staff_user, item=qc_item, store=store, quantity=1)
    with pytest.raises(InventoryError, match="leaves only through an adjustment"):
        stock_transfer(
            actor=manager_user,
            item=qc_item,
            from_store=store,
            to_store=other_store,
            quantity=1,
            lot=bad,
        )
    assert snapshot() == before
    # but a return to supplier takes it out
    stock_adjust(
        actor=manager_user, lot=bad, store=store, quantity=-10, reason="RETURN_TO_SUPPLIER"
    )
    assert figures(store=store, lot=bad) == (D(0), D(0))
    assert LedgerEntry.objects.filter(lot=bad).count() == 2


@pytest.mark.parametrize("what", ["item", "store"])
def test_adjustment_of_a_deactivated_item_or_store_is_refused(manager_user, item, store, what):
    lot = receive(manager_user, item, store, 5, "A")
    target = item if what == "item" else store
    target.is_active = False
    target.save()
    before = snapshot()

    with pytest.raises(InventoryError, match="is deactivated"):
        stock_adjust(
            actor=manager_user, lot=lot, store=store, quantity=1000, reason="FOUND", note=""
        )

    assert snapshot() == before
