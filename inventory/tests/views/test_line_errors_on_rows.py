"""A refusal that concerns one line of a document is shown on that line's row, next to
the field to mend, as well as above the form; nothing is recorded."""

import re

import pytest
from django.urls import reverse

from inventory.models import LedgerEntry, Lot, PurchaseOrder
from inventory.services.stock import stock_receive
from inventory.tests.factories import ItemFactory
from inventory.tests.views.purchasing_view_helpers import (
    line_management,
    placed_order,
    receive_post,
    state,
)
from inventory.tests.views.test_direct_purchase import direct_data

pytestmark = pytest.mark.django_db


def _row_error(response, prefix, index, field):
    """The error shown under row `index`'s `field`, tied to its box by aria-describedby."""
    html = response.content.decode()
    box = re.search(rf'<input[^>]*name="{prefix}-{index}-{field}"[^>]*>', html).group()
    assert 'aria-invalid="true"' in box
    error_id = f"id_{prefix}-{index}-{field}_error"
    described_by = re.search(r'aria-describedby="([^"]*)"', box).group(1).split()
    assert error_id in described_by
    found = re.search(rf'id="{error_id}"[^>]*>(.*?)</div>', html, re.S)
    return re.sub(r"<[^>]+>", "", found.group(1)).strip()


def test_an_over_receipt_on_the_second_line_is_shown_on_that_row(
    staff_client, manager_user, supplier, store, item
):
    other = ItemFactory(sku="SKU-0099")
    order = placed_order(manager_user, supplier, store, (item, "10", "2.00"), (other, "4", "1.00"))
    first, second = order.lines.order_by("pk")
    before = state(order)

    response = staff_client.post(
        reverse("inventory:purchase_receive", args=[order.pk]),
        receive_post(order, (first, "3", ""), (second, "5", "")),
    )

    assert response.status_code == 200
    refusal = "Only 4 pcs of SKU-0099 are outstanding on"
    assert refusal in _row_error(response, "receipts", 1, "quantity")
    assert 'id="id_receipts-0-quantity_error"' not in response.text
    # Above the form, what happened and where to look; the refusal itself once, on its row.
    assert response.context["form"].non_field_errors() == [
        "Nothing was recorded: mend the line marked."
    ]
    assert response.text.count(refusal) == 1
    assert state(order) == before


def test_a_lot_code_at_two_costs_is_shown_on_the_second_row(staff_client, supplier, store, item):
    data = direct_data(supplier, store, item, quantity="2")
    data.update(line_management("lines", 2))
    data |= {
        "lines-0-lot_code": "TWICE",
        "lines-1-item": item.pk,
        "lines-1-quantity": "3",
        "lines-1-unit_cost": "9.99",
        "lines-1-lot_code": "TWICE",
        "lines-1-expires_on": "",
    }
    entries = LedgerEntry.objects.count()

    response = staff_client.post(reverse("inventory:purchase_new"), data)

    assert response.status_code == 200
    message = _row_error(response, "lines", 1, "lot_code")
    assert message.startswith("Lot TWICE appears twice at different costs")
    assert (LedgerEntry.objects.count(), Lot.objects.count()) == (entries, 0)
    assert not PurchaseOrder.objects.exists()


def test_a_deactivated_item_on_a_draft_is_shown_on_its_row(manager_client, supplier, store, item):
    gone = ItemFactory(sku="GONE-1", name="Old bolt", is_active=False)
    data = {
        "supplier": supplier.pk,
        "store": store.pk,
        "expected_on": "",
        "note": "",
        **line_management("lines", 2),
        "lines-0-item": item.pk,
        "lines-0-quantity": "1",
        "lines-0-unit_cost": "1.00",
        "lines-1-item": gone.pk,
        "lines-1-quantity": "2",
        "lines-1-unit_cost": "1.00",
    }

    response = manager_client.post(reverse("inventory:purchase_order_new"), data)

    assert response.status_code == 200
    rows = response.context["formset"].forms
    assert rows[1].errors and not rows[0].errors
    assert rows[1].errors["item"] == ["GONE-1 Old bolt is deactivated; choose another item."]
    assert not PurchaseOrder.objects.exists()


def test_a_line_removed_before_a_refusal_stays_removed_without_errors(
    staff_client, manager_user, supplier, store, item
):
    # Found by a QA pass: the removed row came back, marked "This field is required.",
    # and took the focus from the lot code that was really refused.
    stock_receive(actor=manager_user, item=item, store=store, quantity="1", lot_code="G-1")
    data = direct_data(supplier, store, item, quantity="3")
    data.update(line_management("lines", 2))
    data |= {"lines-0-lot_code": "G-1", "lines-0-unit_cost": "7.00", "lines-1-DELETE": "on"}
    entries = LedgerEntry.objects.count()

    response = staff_client.post(reverse("inventory:purchase_new"), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "This field is required." not in html
    assert 'name="lines-1-item"' not in html  # no row shown for it...
    assert '<input type="hidden" name="lines-1-DELETE" value="on">' in html  # ...still removed
    assert "a receipt at another cost needs a new lot code" in _row_error(
        response, "lines", 0, "lot_code"
    )
    assert LedgerEntry.objects.count() == entries


def test_a_sales_line_removed_before_a_refusal_stays_removed_without_errors(
    staff_client, manager_user, store, item
):
    # Left by stop 24: a ticked-Remove sales line still showed "Enter a number." when
    # another line was refused.
    from inventory.tests.views.test_sales_quick import quick_data

    stock_receive(actor=manager_user, item=item, store=store, quantity="2", lot_code="S-1")
    data = quick_data(
        store,
        {"item": item.pk, "quantity": "5"},
        {"item": item.pk, "quantity": "abc", "DELETE": "on"},
    )
    entries = LedgerEntry.objects.count()

    response = staff_client.post(reverse("inventory:sales_quick"), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a number." not in html
    assert 'name="lines-1-quantity"' not in html  # no row shown for it...
    assert '<input type="hidden" name="lines-1-DELETE" value="on">' in html  # ...still removed
    assert "Only 2 pcs" in _row_error(response, "lines", 0, "quantity")
    assert LedgerEntry.objects.count() == entries
