"""Purchase order drafts: creating and editing them, and the lines they refuse."""

from datetime import date
from decimal import Decimal

import pytest

from inventory.exceptions import InactiveRecord, InvalidQuantity, InventoryError
from inventory.models import AuditEvent, PurchaseOrder
from inventory.services.purchasing import purchase_order_create, purchase_order_update
from inventory.tests.factories import ItemFactory, SupplierFactory

from .purchasing_helpers import (
    make_order,
    snapshot,
)

pytestmark = pytest.mark.django_db
Status = PurchaseOrder.Status


# --- drafts -----------------------------------------------------------------------------


def test_create_draft_with_lines_and_item_cost_default(manager_user, supplier, store, item):
    item.unit = "kg"  # a fractional quantity below
    item.save(update_fields=["unit"])
    order = purchase_order_create(
        actor=manager_user,
        supplier=supplier,
        store=store,
        expected_on=date(2030, 1, 15),
        note="Spring stock",
        lines=[(item, "12", "1.75"), (item, "3.5", None)],
    )

    assert order.status == Status.DRAFT
    assert order.number == f"PO-{order.pk:06d}"
    assert [(ln.quantity_ordered, ln.unit_cost) for ln in order.lines.all()] == [
        (Decimal("12.000"), Decimal("1.75")),
        (Decimal("3.500"), Decimal("2.50")),
    ]
    event = AuditEvent.objects.get(action="purchase_order.create")
    assert event.object_type == "PurchaseOrder" and event.object_id == str(order.pk)
    assert [ln["quantity"] for ln in event.details["lines"]] == ["12.000", "3.500"]


@pytest.mark.parametrize(
    ("quantity", "cost", "error"),
    [
        ("0", "1.00", InvalidQuantity),
        ("-2", "1.00", InvalidQuantity),
        ("abc", "1.00", InvalidQuantity),
        ("1", "-1", InventoryError),
        ("1", "0.001", InventoryError),
    ],
)
def test_create_refuses_bad_lines_and_creates_nothing(
    manager_user, supplier, store, item, quantity, cost, error
):
    with pytest.raises(error):
        purchase_order_create(
            actor=manager_user, supplier=supplier, store=store, lines=[(item, quantity, cost)]
        )

    assert PurchaseOrder.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_create_refuses_deactivated_item_or_supplier(manager_user, supplier, store, item):
    item.is_active = False
    item.save()
    with pytest.raises(InactiveRecord, match="SKU-0042"):
        purchase_order_create(
            actor=manager_user, supplier=supplier, store=store, lines=[(item, "1", None)]
        )
    retired = SupplierFactory(name="Gone Ltd", is_active=False)
    with pytest.raises(InactiveRecord, match="Gone Ltd"):
        purchase_order_create(actor=manager_user, supplier=retired, store=store, lines=[])

    assert PurchaseOrder.objects.count() == 0


def test_update_replaces_header_and_lines_of_a_draft(
    manager_user, supplier, store, other_store, item
):
    order = make_order(manager_user, supplier, store, (item, "5", "1.00"), place=False)
    other_item = ItemFactory(sku="SKU-0099")

    purchase_order_update(
        actor=manager_user,
        order=order,
        supplier=supplier,
        store=other_store,
        expected_on=None,
        note="changed",
        lines=[(other_item, "7", "3.00")],
    )

    order.refresh_from_db()
    assert (order.store, order.note, order.expected_on) == (other_store, "changed", None)
    assert [(ln.item, ln.quantity_ordered) for ln in order.lines.all()] == [
        (other_item, Decimal("7.000"))
    ]
    event = AuditEvent.objects.get(action="purchase_order.update")
    assert event.details["changes"]["store"] == ["MAIN", "WH"]
    assert event.details["lines_before"][0]["item"] == "SKU-0042"


def test_update_of_a_placed_order_is_refused(manager_user, supplier, store, other_store, item):
    order = make_order(manager_user, supplier, store, (item, "5", "1.00"))
    before = snapshot(order)

    with pytest.raises(InventoryError, match="is ordered, so it cannot be edited"):
        purchase_order_update(
            actor=manager_user, order=order, supplier=supplier, store=other_store, lines=[]
        )

    assert snapshot(order) == before
    order.refresh_from_db()
    assert order.store == store
