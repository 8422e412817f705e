"""Rules found by the manager-week QA pass (stop 24): a balance's capacity, expired lots
that are named, deactivated items whose stock is written down, and alerts per drop."""

import datetime

import pytest
from django.utils import timezone

from inventory.exceptions import InactiveRecord, InvalidQuantity, InventoryError
from inventory.models import Alert
from inventory.services.counts import stock_count
from inventory.services.stock import stock_adjust, stock_issue, stock_transfer

from .stock_helpers import D, figures, receive, snapshot

pytestmark = pytest.mark.django_db
MOST = D("99999999999")  # the most whole pcs a balance holds (Decimal(14,3))


def test_an_adjustment_past_what_a_balance_holds_is_refused(manager_user, item, store):
    # given a lot holding 5 (found by QA: +99,999,999,999 was accepted and the item
    # page and dashboard could no longer be read back)
    lot = receive(manager_user, item, store, 5, "A")
    before = snapshot()

    with pytest.raises(InvalidQuantity, match="more than the 99999999999.999 a lot can hold"):
        stock_adjust(
            actor=manager_user, lot=lot, store=store, quantity="99999999999", reason="FOUND"
        )

    assert snapshot() == before
    # up to the most a balance holds is still accepted
    stock_adjust(actor=manager_user, lot=lot, store=store, quantity=MOST - 5, reason="FOUND")
    assert figures(store=store, lot=lot) == (MOST, D(0))


def test_a_transfer_that_would_overfill_the_destination_lot_is_refused(
    manager_user, item, store, other_store
):
    lot = receive(manager_user, item, other_store, MOST, "A")
    receive(manager_user, item, store, 1, "A")
    before = snapshot()

    with pytest.raises(InvalidQuantity, match="Lot A would then hold 100000000000"):
        stock_transfer(
            actor=manager_user, item=item, from_store=store, to_store=other_store, quantity=1
        )

    assert snapshot() == before
    assert figures(store=other_store, lot=lot) == (MOST, D(0))


def test_totals_over_several_full_stores_read_back(
    manager_client, manager_user, item, store, other_store
):
    # given two stores each holding the most one lot can: their total has 12 digits
    receive(manager_user, item, store, MOST, "A")
    receive(manager_user, item, other_store, MOST, "A")

    response = manager_client.get(f"/items/{item.pk}/")

    assert response.status_code == 200
    assert "199999999998 pcs" in response.content.decode()
    assert manager_client.get("/dashboard/").status_code == 200


def test_a_named_expired_lot_is_not_transferred_but_written_off(
    manager_user, item, store, other_store
):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    lot = receive(manager_user, item, store, 4, "OLD")
    lot.expires_on = yesterday
    lot.save(update_fields=["expires_on"])
    before = snapshot()

    with pytest.raises(InventoryError, match=f"Lot OLD of SKU-0042 expired on {yesterday}"):
        stock_transfer(
            actor=manager_user,
            item=item,
            from_store=store,
            to_store=other_store,
            quantity=1,
            lot=lot,
        )

    assert snapshot() == before
    stock_adjust(actor=manager_user, lot=lot, store=store, quantity=-4, reason="WRITE_OFF")
    assert figures(store=store, lot=lot) == (D(0), D(0))


def test_a_receipt_into_an_expired_lot_is_refused(manager_user, item, store):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    lot = receive(manager_user, item, store, 4, "OLD")
    lot.expires_on = yesterday
    lot.save(update_fields=["expires_on"])
    before = snapshot()

    # the lot code typed in either case, and no expiry typed
    with pytest.raises(InventoryError, match="expired stock cannot be received") as caught:
        receive(manager_user, item, store, 2, "old")

    assert caught.value.field == "lot_code"
    assert snapshot() == before


def test_a_deactivated_items_stock_is_written_down_not_added_to(manager_user, item, store):
    lot = receive(manager_user, item, store, 6, "A")
    item.is_active = False
    item.save(update_fields=["is_active"])

    # an adjustment or a count that lowers it is recorded
    stock_adjust(actor=manager_user, lot=lot, store=store, quantity=-1, reason="DAMAGE")
    stock_count(actor=manager_user, store=store, counts=[{"lot": lot, "counted": "3"}])
    assert figures(store=store, lot=lot) == (D(3), D(0))

    # one that adds to it is refused, alike by both, and on the count's line
    before = snapshot()
    with pytest.raises(InactiveRecord, match="can be written off, not added to"):
        stock_adjust(actor=manager_user, lot=lot, store=store, quantity=2, reason="FOUND")
    with pytest.raises(InactiveRecord, match="can be written off, not added to") as caught:
        stock_count(actor=manager_user, store=store, counts=[{"lot": lot, "counted": "9"}])
    assert caught.value.index == 0
    assert snapshot() == before


def test_stock_arriving_in_a_store_still_short_opens_no_alert(
    manager_user, item, store, other_store
):
    # given an item with a reorder level of 200 and none in the warehouse
    item.reorder_level = 200
    item.save(update_fields=["reorder_level"])
    receive(manager_user, item, store, 300, "A")

    # when stock arrives in the warehouse, still short of 200 (found by QA: it opened
    # an alert and sent an e-mail though nothing had dropped)
    stock_transfer(
        actor=manager_user, item=item, from_store=store, to_store=other_store, quantity=5
    )
    receive(manager_user, item, other_store, 3, "B")

    # then no alert; and one opens when the warehouse's stock drops
    assert not Alert.objects.filter(store=other_store).exists()
    stock_issue(actor=manager_user, item=item, store=other_store, quantity=1)
    alert = Alert.objects.get(store=other_store)
    assert alert.status == Alert.Status.OPEN
    assert alert.available_at_open == D(7)


def test_a_reversal_adds_nothing_to_a_deactivated_item_but_still_takes_away(
    manager_user, item, store
):
    from inventory.services.moves import ledger_entry_reverse

    lot = receive(manager_user, item, store, 6, "A")
    write_down = stock_adjust(actor=manager_user, lot=lot, store=store, quantity=-2, reason="LOSS")
    found = stock_adjust(actor=manager_user, lot=lot, store=store, quantity=3, reason="FOUND")
    item.is_active = False
    item.save(update_fields=["is_active"])
    before = snapshot()

    # found by QA: reversing the write-down put 2 back on a deactivated item
    with pytest.raises(InactiveRecord, match="can be written off, not added to"):
        ledger_entry_reverse(actor=manager_user, entry=write_down.entries[0])

    assert snapshot() == before
    ledger_entry_reverse(actor=manager_user, entry=found.entries[0])
    assert figures(store=store, lot=lot) == (D(4), D(0))


def test_reversing_a_transfer_does_not_move_a_lot_expired_since(
    manager_user, item, store, other_store
):
    from inventory.services.moves import ledger_entry_reverse

    lot = receive(manager_user, item, store, 5, "A")
    moved = stock_transfer(
        actor=manager_user, item=item, from_store=store, to_store=other_store, quantity=5, lot=lot
    )
    lot.expires_on = timezone.localdate() - datetime.timedelta(days=1)
    lot.save(update_fields=["expires_on"])
    before = snapshot()

    with pytest.raises(InventoryError, match="expired on .*leaves only through an adjustment"):
        ledger_entry_reverse(actor=manager_user, entry=moved.entries[0])

    assert snapshot() == before


def test_a_customer_return_of_a_deactivated_item_is_refused(manager_user, item, store):
    from inventory.services.sales import (
        sales_order_confirm,
        sales_order_create,
        sales_order_return,
        sales_order_ship,
    )

    receive(manager_user, item, store, 5, "A")
    order = sales_order_create(actor=manager_user, store=store, customer=None, lines=[(item, 2)])
    sales_order_confirm(actor=manager_user, order=order, idempotency_key="c")
    line = order.lines.get()
    sales_order_ship(actor=manager_user, order=order, shipments={line.pk: 2}, idempotency_key="s")
    item.is_active = False
    item.save(update_fields=["is_active"])
    before = snapshot()

    with pytest.raises(InactiveRecord, match="Item .* is deactivated") as caught:
        sales_order_return(actor=manager_user, line=line, quantity=1, idempotency_key="r")

    assert caught.value.field == "quantity"
    assert snapshot() == before


def test_a_qc_approval_resolves_alerts_but_never_opens_one(manager_user, qc_item, store):
    from inventory.services.qc import lot_approve

    # given a QC item with a level of 10 and 2 arriving in quarantine (found by QA: the
    # approval opened an alert, though approving only adds to what is available)
    qc_item.reorder_level = 10
    qc_item.save(update_fields=["reorder_level"])
    lot_approve(actor=manager_user, lot=receive(manager_user, qc_item, store, 2, "Q1"))
    assert not Alert.objects.exists()

    # when a sale drops it further an alert opens, and an approval back above resolves it
    stock_issue(actor=manager_user, item=qc_item, store=store, quantity=1)
    assert Alert.objects.get().status == Alert.Status.OPEN
    lot_approve(actor=manager_user, lot=receive(manager_user, qc_item, store, 12, "Q2"))
    assert Alert.objects.get().status == Alert.Status.RESOLVED


def test_a_deactivated_item_or_store_gets_no_alert_and_its_open_ones_resolve(
    manager_user, item, store, other_store
):
    from inventory.services.catalog import item_deactivate, store_deactivate

    item.reorder_level = 10
    item.save(update_fields=["reorder_level"])
    receive(manager_user, item, store, 12, "A")
    receive(manager_user, item, other_store, 12, "B")
    stock_issue(actor=manager_user, item=item, store=store, quantity=5)  # opens one
    assert Alert.objects.get().status == Alert.Status.OPEN

    # when the store is deactivated, its alert resolves
    stock_transfer(
        actor=manager_user, item=item, from_store=store, to_store=other_store, quantity=7
    )
    store_deactivate(actor=manager_user, store=store)
    assert Alert.objects.get().status == Alert.Status.RESOLVED

    # and a deactivated item's drop opens none (found by QA: a write-down e-mailed one)
    item_deactivate(actor=manager_user, item=item)
    stock_adjust(
        actor=manager_user,
        lot=item.lots.get(code="B"),
        store=other_store,
        quantity=-10,
        reason="WRITE_OFF",
    )
    assert Alert.objects.count() == 1
