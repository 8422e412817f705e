"""A document refused on several lines shows every bad line at once, each on its own row,
so the person at the screen mends them in one go, not one per submission; nothing is
recorded. (Left by stop 28: a receipt refused on two lines showed only the first.)"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from inventory.exceptions import InventoryError, LineChecks, RefusedLines
from inventory.models import LedgerEntry, Lot, PurchaseOrder
from inventory.services.stock import stock_receive
from inventory.tests.factories import ItemFactory
from inventory.tests.views.purchasing_view_helpers import (
    line_management,
    placed_order,
    receive_post,
    state,
)
from inventory.tests.views.test_line_errors_on_rows import _row_error

pytestmark = pytest.mark.django_db


def test_one_refusal_is_raised_as_it_is_and_several_together():
    checks = LineChecks()
    with checks.on_line(0):
        pass
    with checks.on_line(1):
        raise InventoryError("bad quantity", field="quantity")
    with pytest.raises(InventoryError) as one:
        checks.refuse()
    assert type(one.value) is InventoryError and one.value.index == 1

    with checks.on_line(3):
        raise InventoryError("bad lot", field="lot_code")
    with pytest.raises(RefusedLines) as several:
        checks.refuse()
    assert [(r.index, r.field) for r in several.value.refusals] == [
        (1, "quantity"),
        (3, "lot_code"),
    ]
    assert several.value.message == "bad quantity bad lot"
    LineChecks().refuse()  # nothing kept: nothing raised


def test_a_receipt_refused_on_two_lines_shows_both(
    staff_client, manager_user, supplier, store, item
):
    other = ItemFactory(sku="SKU-0099")
    order = placed_order(manager_user, supplier, store, (item, "10", "2.00"), (other, "4", "1.00"))
    first, second = order.lines.order_by("pk")
    data = receive_post(order, (first, "11", ""), (second, "5", ""))
    past = timezone.localdate() - timedelta(days=1)
    data["receipts-1-quantity"], data["receipts-1-expires_on"] = "4", past.isoformat()
    before = state(order)

    response = staff_client.post(reverse("inventory:purchase_receive", args=[order.pk]), data)

    assert response.status_code == 200
    assert "Only 10 pcs of SKU-0042 are outstanding on" in _row_error(
        response, "receipts", 0, "quantity"
    )
    assert _row_error(response, "receipts", 1, "expires_on") == (
        f"Expiry date {past} is in the past: expired stock cannot be received."
    )
    assert response.context["form"].non_field_errors() == [
        "Nothing was recorded: mend the 2 lines marked."
    ]
    assert state(order) == before


def test_a_direct_purchase_into_two_lots_already_inspected_shows_both_rows(
    staff_client, manager_user, supplier, store
):
    # Checked under the lots' lock, after the lines' own checks passed.
    first, second = (ItemFactory(sku=sku, qc_required=True) for sku in ("QC-A", "QC-B"))
    for item in (first, second):
        stock_receive(actor=manager_user, item=item, store=store, quantity="1", lot_code="L-1")
    data = {"idempotency_key": "direct-2", "supplier": supplier.pk, "store": store.pk}
    data |= {"note": "", **line_management("lines", 2)}
    for index, item in enumerate((first, second)):
        row = {"item": item.pk, "quantity": "2", "unit_cost": "1.25", "lot_code": "L-1"}
        data |= {f"lines-{index}-{name}": value for name, value in row.items()}
        data[f"lines-{index}-expires_on"] = ""
    lots, entries = Lot.objects.count(), LedgerEntry.objects.count()

    response = staff_client.post(reverse("inventory:purchase_new"), data)

    assert response.status_code == 200
    for index, sku in enumerate(("QC-A", "QC-B")):
        message = _row_error(response, "lines", index, "lot_code")
        assert message.startswith(f"Lot L-1 of {sku} is already on record.")
    assert (Lot.objects.count(), LedgerEntry.objects.count()) == (lots, entries)
    assert not PurchaseOrder.objects.filter(status="RECEIVED").exists()


def test_a_purchase_order_with_two_deactivated_items_marks_both(
    manager_client, supplier, store, item
):
    gone = [ItemFactory(sku=f"GONE-{n}", name="Old bolt", is_active=False) for n in (1, 2)]
    data = {"supplier": supplier.pk, "store": store.pk, "expected_on": "", "note": ""}
    data |= line_management("lines", 3)
    for index, line_item in enumerate((gone[0], item, gone[1])):
        data |= {f"lines-{index}-item": line_item.pk, f"lines-{index}-quantity": "1"}
        data[f"lines-{index}-unit_cost"] = "1.00"

    response = manager_client.post(reverse("inventory:purchase_order_new"), data)

    assert response.status_code == 200
    rows = response.context["formset"].forms
    assert [row.errors.get("item") for row in rows] == [
        ["GONE-1 Old bolt is deactivated; choose another item."],
        None,
        ["GONE-2 Old bolt is deactivated; choose another item."],
    ]
    assert not PurchaseOrder.objects.exists()
