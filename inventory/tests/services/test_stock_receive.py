import datetime
from decimal import Decimal

import pytest

from inventory.exceptions import InactiveRecord, InventoryError
from inventory.models import AuditEvent, LedgerEntry, Lot, QCStatus
from inventory.services.qc import lot_reject
from inventory.services.stock import stock_receive

from .stock_helpers import D, deltas, figures, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(item):
    """Measured in kg: these tests use fractional quantities (pcs take whole numbers)."""
    item.unit = "kg"
    item.save(update_fields=["unit"])
    return item


def test_receive_creates_an_approved_lot_at_the_item_cost(staff_user, item, store):
    # given an item that needs no QC, costing 2.50
    # when 10 are received without a lot code
    result = stock_receive(actor=staff_user, item=item, store=store, quantity="10")
    # then one RECEIVE row puts 10 on hand in a new APPROVED lot valued at 2.50
    lot = Lot.objects.get(item=item)
    assert lot.qc_status == QCStatus.APPROVED
    assert lot.unit_cost == Decimal("2.50")
    assert lot.code.startswith("L")
    assert figures(store=store, lot=lot) == (D(10), D(0))
    assert deltas(result) == [("RECEIVE", "MAIN", lot.code, D(10), D(10), D(0))]
    assert result.entries[0].unit_cost == Decimal("2.50")
    assert result.replayed is False


def test_receive_of_a_qc_item_creates_a_quarantine_lot(staff_user, qc_item, store):
    stock_receive(actor=staff_user, item=qc_item, store=store, quantity=5, lot_code="Q1")

    lot = Lot.objects.get(item=qc_item)
    assert lot.qc_status == QCStatus.QUARANTINE
    assert figures(store=store, lot=lot) == (D(5), D(0))


def test_receive_records_lot_code_cost_expiry_and_supplier(staff_user, item, store):
    expiry = datetime.date(2031, 1, 31)

    stock_receive(
        actor=staff_user,
        item=item,
        store=store,
        quantity="2.5",
        unit_cost="3.75",
        lot_code=" A-1 ",
        expires_on=expiry,
    )

    lot = Lot.objects.get(item=item)
    assert (lot.code, lot.unit_cost, lot.expires_on) == ("A-1", Decimal("3.75"), expiry)
    assert lot.supplier == item.supplier
    assert figures(store=store, lot=lot) == (D("2.5"), D(0))


def test_receive_into_an_existing_lot_extends_it(staff_user, item, store, other_store):
    stock_receive(actor=staff_user, item=item, store=store, quantity=4, lot_code="A")

    stock_receive(actor=staff_user, item=item, store=store, quantity=6, lot_code="a")
    stock_receive(actor=staff_user, item=item, store=other_store, quantity=1, lot_code="A")

    lot = Lot.objects.get(item=item)
    assert figures(store=store, lot=lot) == (D(10), D(0))
    assert figures(store=other_store, lot=lot) == (D(1), D(0))
    assert LedgerEntry.objects.filter(lot=lot, kind="RECEIVE").count() == 3


def test_receive_into_an_existing_lot_at_another_cost_is_refused(staff_user, item, store):
    stock_receive(actor=staff_user, item=item, store=store, quantity=4, lot_code="A")
    before = snapshot()

    with pytest.raises(InventoryError, match="Lot A was received at 2.50"):
        stock_receive(
            actor=staff_user, item=item, store=store, quantity=1, lot_code="A", unit_cost="3"
        )

    assert snapshot() == before


def test_receive_into_an_existing_lot_with_another_expiry_is_refused(staff_user, item, store):
    stock_receive(
        actor=staff_user,
        item=item,
        store=store,
        quantity=4,
        lot_code="A",
        expires_on=datetime.date(2030, 1, 1),
    )
    before = snapshot()

    with pytest.raises(InventoryError, match="Lot A expires on 2030-01-01"):
        stock_receive(
            actor=staff_user,
            item=item,
            store=store,
            quantity=1,
            lot_code="A",
            expires_on=datetime.date(2030, 6, 1),
        )

    assert snapshot() == before


def test_receive_into_a_rejected_lot_is_refused(staff_user, manager_user, item, store):
    stock_receive(actor=staff_user, item=item, store=store, quantity=4, lot_code="BAD")
    lot_reject(actor=manager_user, lot=Lot.objects.get(code="BAD"), note="Damaged")
    before = snapshot()

    with pytest.raises(InventoryError, match="Lot BAD was rejected by QC; receive into a new lot"):
        stock_receive(actor=staff_user, item=item, store=store, quantity=1, lot_code="BAD")

    assert snapshot() == before


def test_receive_of_a_deactivated_item_is_refused(staff_user, item, store):
    item.is_active = False
    item.save()
    before = snapshot()

    with pytest.raises(InactiveRecord, match="is deactivated"):
        stock_receive(actor=staff_user, item=item, store=store, quantity=1)

    assert snapshot() == before


def test_receive_into_a_deactivated_store_is_refused(staff_user, item, store):
    store.is_active = False
    store.save()
    before = snapshot()

    with pytest.raises(InactiveRecord, match="Store Main Store is deactivated"):
        stock_receive(actor=staff_user, item=item, store=store, quantity=1)

    assert snapshot() == before


@pytest.mark.parametrize(
    ("cost", "message"),
    [
        ("abc", "Unit cost must be a number."),
        ("NaN", "Unit cost must be a number."),
        ("-1", "Unit cost cannot be negative."),
        ("1.234", "Unit cost can have at most 2 decimal places."),
        ("1e40", "Unit cost is too large."),
    ],
)
def test_receive_with_a_bad_unit_cost_is_refused(staff_user, item, store, cost, message):
    before = snapshot()

    with pytest.raises(InventoryError) as excinfo:
        stock_receive(actor=staff_user, item=item, store=store, quantity=1, unit_cost=cost)

    assert excinfo.value.message == message
    assert excinfo.value.field == "unit_cost"
    assert snapshot() == before


def test_receive_with_a_too_long_lot_code_is_refused(staff_user, item, store):
    before = snapshot()

    with pytest.raises(InventoryError, match="Lot code is too long"):
        stock_receive(actor=staff_user, item=item, store=store, quantity=1, lot_code="X" * 61)

    assert snapshot() == before


def test_receive_records_an_audit_event(staff_user, item, store):
    stock_receive(actor=staff_user, item=item, store=store, quantity=3, lot_code="A")

    event = AuditEvent.objects.get(action="stock.receive")
    assert event.actor == staff_user
    assert event.object_id == str(item.pk)
    assert event.details["quantity"] == "3.000"
    assert event.details["lot"] == "A"
    assert event.details["qc_status"] == "APPROVED"
