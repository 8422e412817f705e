"""Direct purchases: a received order with its lots at once, and what they refuse."""

from datetime import date
from decimal import Decimal

import pytest

from inventory.exceptions import InactiveRecord, InventoryError
from inventory.models import AuditEvent, LedgerEntry, Operation, PurchaseOrder
from inventory.selectors.stock import stock_totals_for_item
from inventory.services.purchasing import purchase_direct

pytestmark = pytest.mark.django_db
Status = PurchaseOrder.Status


# --- direct purchases -----------------------------------------------------------------------


def test_direct_purchase_creates_a_received_order_with_its_lots(
    staff_user, supplier, store, item, qc_item
):
    result = purchase_direct(
        actor=staff_user,
        supplier=supplier,
        store=store,
        note="Cash and carry",
        lines=[
            {"item": item, "quantity": "5", "unit_cost": "1.20", "lot_code": "D-1"},
            {
                "item": qc_item,
                "quantity": "2",
                "unit_cost": None,
                "lot_code": "",
                "expires_on": date(2031, 1, 1),
            },
        ],
        idempotency_key="direct-1",
    )

    order = result.order
    order.refresh_from_db()
    assert order.status == Status.RECEIVED and order.created_by == staff_user
    assert [
        (ln.quantity_ordered, ln.quantity_received, ln.unit_cost) for ln in order.lines.all()
    ] == [
        (Decimal("5.000"), Decimal("5.000"), Decimal("1.20")),
        (Decimal("2.000"), Decimal("2.000"), Decimal("2.50")),
    ]
    lots = [e.lot for e in result.stock.entries]
    assert [(lot.code, lot.qc_status) for lot in lots][0] == ("D-1", "APPROVED")
    assert lots[1].qc_status == "QUARANTINE" and lots[1].expires_on == date(2031, 1, 1)
    assert stock_totals_for_item(item=item, store=store)["on_hand"] == Decimal("5.000")
    assert Operation.objects.get(idempotency_key="direct-1").kind == "PO_DIRECT"
    assert AuditEvent.objects.filter(
        action="purchase_order.direct", object_id=str(order.pk)
    ).exists()


def test_direct_purchase_replay_records_one_purchase(staff_user, supplier, store, item):
    lines = [{"item": item, "quantity": "5", "unit_cost": "1.20"}]

    first = purchase_direct(
        actor=staff_user, supplier=supplier, store=store, lines=lines, idempotency_key="dup"
    )
    second = purchase_direct(
        actor=staff_user, supplier=supplier, store=store, lines=lines, idempotency_key="dup"
    )

    assert second.replayed and second.order == first.order
    assert PurchaseOrder.objects.count() == 1
    assert LedgerEntry.objects.count() == 1


@pytest.mark.parametrize(
    "lines",
    [
        [],
        [{"item": "ITEM", "quantity": "", "unit_cost": None}],
        [{"item": "ITEM", "quantity": "0", "unit_cost": None}],
        [{"item": "ITEM", "quantity": "2", "unit_cost": "-1"}],
    ],
)
def test_direct_purchase_refuses_bad_lines_and_records_nothing(
    staff_user, supplier, store, item, lines
):
    lines = [{**ln, "item": item} for ln in lines]

    with pytest.raises(InventoryError):
        purchase_direct(actor=staff_user, supplier=supplier, store=store, lines=lines)

    assert PurchaseOrder.objects.count() == 0
    assert LedgerEntry.objects.count() == 0
    assert Operation.objects.count() == 0


def test_direct_purchase_of_a_deactivated_item_is_refused(staff_user, supplier, store, item):
    item.is_active = False
    item.save()

    with pytest.raises(InactiveRecord):
        purchase_direct(
            actor=staff_user,
            supplier=supplier,
            store=store,
            lines=[{"item": item, "quantity": "1", "unit_cost": None}],
        )

    assert PurchaseOrder.objects.count() == 0
    assert LedgerEntry.objects.count() == 0
