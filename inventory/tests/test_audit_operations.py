"""The audit trail: what each stock, QC and catalogue operation records."""

from decimal import Decimal

import pytest

from inventory.models import AuditEvent, LedgerEntry, Lot
from inventory.services import qc, stock
from inventory.services.actor import Actor
from inventory.tests.audit_helpers import AGENT, IP

pytestmark = pytest.mark.django_db


@pytest.fixture
def actor(manager_user):
    return Actor(user=manager_user, ip=IP, user_agent=AGENT)


def _entry(entry, **overrides):
    """One ledger row as the audit event lists it; the event names the operation."""
    detail = {
        "kind": entry.kind,
        "lot": entry.lot.code,
        "store": entry.store_id,
        "quantity": str(entry.quantity),
        "on_hand_delta": str(entry.on_hand_delta),
        "reserved_delta": str(entry.reserved_delta),
    }
    detail.update(overrides)
    return detail


def _last(action):
    return AuditEvent.objects.filter(action=action).latest("pk")


def _assert_context(event, manager_user):
    assert (event.actor, event.actor_username) == (manager_user, "manager1")
    assert (event.ip_address, event.user_agent) == (IP, AGENT)


def _receive(actor, item, store, qty="10", lot_code="LOT-A"):
    return stock.stock_receive(
        actor=actor, item=item, store=store, quantity=Decimal(qty), lot_code=lot_code
    )


# --- stock operations --------------------------------------------------------------------


def test_receive_records_quantity_lot_cost_and_request_context(actor, manager_user, item, store):
    stock.stock_receive(
        actor=actor, item=item, store=store, quantity=Decimal("10"), lot_code="LOT-A",
        unit_cost="3.20",
    )  # fmt: skip

    event = _last("stock.receive")
    _assert_context(event, manager_user)
    assert (event.object_type, event.object_id, event.object_repr) == (
        "Item",
        str(item.pk),
        "SKU-0042 Blue widget",
    )
    entry = LedgerEntry.objects.get()
    assert event.details == {
        "store": "MAIN",
        "lot": "LOT-A",
        "qc_status": "APPROVED",
        "quantity": "10.000",
        "unit_cost": "3.20",
        "entries": [_entry(entry, reserved_delta="0")],
        "operation": entry.operation_id,
    }


def test_reserve_and_unreserve_record_the_lots_held_and_released(actor, manager_user, item, store):
    _receive(actor, item, store)

    stock.stock_reserve(actor=actor, item=item, store=store, quantity=Decimal("3"))
    stock.stock_unreserve(actor=actor, item=item, store=store, quantity=Decimal("1"))

    reserve, unreserve = _last("stock.reserve"), _last("stock.unreserve")
    _assert_context(reserve, manager_user)
    _assert_context(unreserve, manager_user)
    reserve_entry = LedgerEntry.objects.get(kind="RESERVE")
    unreserve_entry = LedgerEntry.objects.get(kind="UNRESERVE")
    assert reserve.details == {
        "store": "MAIN",
        "quantity": "3.000",
        "entries": [_entry(reserve_entry, on_hand_delta="0", reserved_delta="3.000")],
        "operation": reserve_entry.operation_id,
    }
    assert unreserve.details == {
        "store": "MAIN",
        "quantity": "1.000",
        "entries": [_entry(unreserve_entry, on_hand_delta="0", reserved_delta="-1.000")],
        "operation": unreserve_entry.operation_id,
    }


def test_issue_records_each_lot_drawn(actor, manager_user, item, store):
    _receive(actor, item, store, "2", "LOT-A")
    _receive(actor, item, store, "5", "LOT-B")

    stock.stock_issue(actor=actor, item=item, store=store, quantity=Decimal("4"))

    event = _last("stock.issue")
    _assert_context(event, manager_user)
    first, second = LedgerEntry.objects.filter(kind="ISSUE").order_by("pk")
    assert (first.lot.code, second.lot.code) == ("LOT-A", "LOT-B")
    assert event.details == {
        "store": "MAIN",
        "quantity": "4.000",
        "from_reservation": False,
        "entries": [
            _entry(first, on_hand_delta="-2.000", reserved_delta="0"),
            _entry(second, on_hand_delta="-2.000", reserved_delta="0"),
        ],
        "operation": second.operation_id,
    }


def test_adjust_records_signed_quantity_reason_and_note(actor, manager_user, item, store):
    item.unit = "kg"  # a fractional quantity below
    item.save(update_fields=["unit"])
    _receive(actor, item, store)
    lot = Lot.objects.get(code="LOT-A")

    stock.stock_adjust(
        actor=actor, lot=lot, store=store, quantity=Decimal("-1.5"), reason="DAMAGE", note="dropped"
    )

    event = _last("stock.adjust")
    _assert_context(event, manager_user)
    entry = LedgerEntry.objects.get(kind="ADJUST")
    assert event.details == {
        "store": "MAIN",
        "lot": "LOT-A",
        "quantity": "-1.500",
        "reason": "DAMAGE",
        "note": "dropped",
        "entries": [_entry(entry, on_hand_delta="-1.500", reserved_delta="0")],
        "operation": entry.operation_id,
    }


def test_transfer_records_both_stores_and_both_halves(
    actor, manager_user, item, store, other_store
):
    _receive(actor, item, store)

    stock.stock_transfer(
        actor=actor, item=item, from_store=store, to_store=other_store, quantity=Decimal("4")
    )

    event = _last("stock.transfer")
    _assert_context(event, manager_user)
    out = LedgerEntry.objects.get(kind="TRANSFER_OUT")
    into = LedgerEntry.objects.get(kind="TRANSFER_IN")
    assert (out.store, into.store) == (store, other_store)
    assert event.details == {
        "from_store": "MAIN",
        "to_store": "WH",
        "quantity": "4.000",
        "entries": [
            _entry(out, on_hand_delta="-4.000", reserved_delta="0"),
            _entry(into, on_hand_delta="4.000", reserved_delta="0"),
        ],
        "operation": into.operation_id,
    }


def test_reversal_records_the_entry_reversed_and_the_compensation(actor, manager_user, item, store):
    _receive(actor, item, store, "5", "LOT-B")
    original = LedgerEntry.objects.get()

    stock.ledger_entry_reverse(actor=actor, entry=original, note="typo")

    event = _last("stock.reverse")
    _assert_context(event, manager_user)
    compensation = LedgerEntry.objects.get(reverses=original)
    assert event.details == {
        "reversed": [original.pk],
        "entries": [_entry(compensation, on_hand_delta="-5.000", reserved_delta="0")],
        "operation": compensation.operation_id,
    }


def test_qc_approve_and_reject_record_the_transition_and_the_quantities(
    actor, manager_user, qc_item, store
):
    _receive(actor, qc_item, store, "4", "Q1")
    _receive(actor, qc_item, store, "6", "Q2")
    assert _last("stock.receive").details["qc_status"] == "QUARANTINE"

    qc.lot_approve(actor=actor, lot=Lot.objects.get(code="Q1"), note="looks fine")
    qc.lot_reject(actor=actor, lot=Lot.objects.get(code="Q2"), note="broken seals")

    approved, rejected = _last("lot.approved"), _last("lot.rejected")
    _assert_context(approved, manager_user)
    _assert_context(rejected, manager_user)
    assert (approved.object_type, approved.object_repr) == ("Lot", "Q1 (Approved)")
    assert approved.details == {
        "item": "SKU-QC01",
        "from": "QUARANTINE",
        "to": "APPROVED",
        "note": "looks fine",
        "on_hand": {"MAIN": "4.000"},
    }
    assert (rejected.object_type, rejected.object_repr) == ("Lot", "Q2 (Rejected)")
    assert rejected.details == {
        "item": "SKU-QC01",
        "from": "QUARANTINE",
        "to": "REJECTED",
        "note": "broken seals",
        "on_hand": {"MAIN": "6.000"},
    }


def test_refused_operation_records_no_audit_event(actor, item, store):
    from inventory.exceptions import InsufficientStock

    _receive(actor, item, store, "1")
    before = AuditEvent.objects.count()

    with pytest.raises(InsufficientStock):
        stock.stock_issue(actor=actor, item=item, store=store, quantity=Decimal("2"))

    assert AuditEvent.objects.count() == before


def test_catalogue_edit_records_values_before_and_after(actor, manager_user, item):
    from inventory.services.catalog import item_deactivate, item_update

    item_update(
        actor=actor, item=item, data={"name": "Navy widget", "reorder_level": Decimal("7.000")}
    )
    item_deactivate(actor=actor, item=item)

    update, deactivate = _last("item.update"), _last("item.deactivate")
    _assert_context(update, manager_user)
    assert (update.object_type, update.object_id) == ("Item", str(item.pk))
    assert update.details == {
        "name": ["Blue widget", "Navy widget"],
        "reorder_level": ["0.000", "7.000"],
    }
    assert deactivate.details == {"is_active": [True, False]}
