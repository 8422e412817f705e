"""Purchase screens: a direct purchase bought and received at once, once only, or refused."""

from decimal import Decimal

import pytest
from django.urls import reverse

from inventory.models import AuditEvent, LedgerEntry, Lot, PurchaseOrder
from inventory.selectors.stock import stock_totals_for_item
from inventory.tests.factories import StoreFactory
from inventory.tests.views.purchasing_view_helpers import (
    Status,
    line_management,
    messages_of,
    replayed,
)

pytestmark = pytest.mark.django_db


# --- direct purchase --------------------------------------------------------------------------


def direct_data(supplier, store, item, token="direct-1", quantity="6"):
    return {
        "idempotency_key": token,
        "supplier": supplier.pk,
        "store": store.pk,
        "note": "",
        **line_management("lines", 1),
        "lines-0-item": item.pk,
        "lines-0-quantity": quantity,
        "lines-0-unit_cost": "1.25",
        "lines-0-lot_code": "SHOP-1",
        "lines-0-expires_on": "",
    }


def test_staff_records_a_direct_purchase(staff_client, supplier, store, item):
    page = staff_client.get(reverse("inventory:purchase_new"))
    assert page.status_code == 200
    assert 'id="lines-empty-form"' in page.content.decode()

    response = staff_client.post(
        reverse("inventory:purchase_new"), direct_data(supplier, store, item), follow=True
    )

    order = PurchaseOrder.objects.get()
    assert response.redirect_chain[-1][0] == order.get_absolute_url()
    assert order.status == Status.RECEIVED
    assert Lot.objects.get(item=item).code == "SHOP-1"
    assert stock_totals_for_item(item=item, store=store)["available"] == Decimal("6.000")


def test_a_direct_purchase_submitted_twice_is_recorded_once(staff_client, supplier, store, item):
    data = direct_data(supplier, store, item, token="twice")

    staff_client.post(reverse("inventory:purchase_new"), data)
    second = staff_client.post(reverse("inventory:purchase_new"), data, follow=True)

    assert messages_of(second)[-1] == replayed("This purchase", "as", PurchaseOrder.objects.get())
    assert PurchaseOrder.objects.count() == 1
    assert LedgerEntry.objects.count() == 1


def test_a_direct_purchase_without_lines_is_refused(staff_client, supplier, store, item):
    data = direct_data(supplier, store, item)
    data |= {
        "lines-0-item": "",
        "lines-0-quantity": "",
        "lines-0-unit_cost": "",
        "lines-0-lot_code": "",
    }

    response = staff_client.post(reverse("inventory:purchase_new"), data)

    assert response.status_code == 200
    assert "Add at least one line." in response.content.decode()
    assert (PurchaseOrder.objects.count(), LedgerEntry.objects.count()) == (0, 0)


def test_a_direct_purchase_into_a_deactivated_store_is_refused(staff_client, supplier, item):
    closed = StoreFactory(code="OLD", is_active=False)
    audit_before = AuditEvent.objects.count()

    response = staff_client.post(
        reverse("inventory:purchase_new"), direct_data(supplier, closed, item)
    )

    assert response.status_code == 200
    assert response.context["form"].errors["store"]
    assert (PurchaseOrder.objects.count(), LedgerEntry.objects.count()) == (0, 0)
    assert AuditEvent.objects.count() == audit_before


def test_two_rows_naming_one_new_lot_code_make_one_lot(staff_client, supplier, store, item):
    # given two rows of the same item, both into the new lot WEBDUP1 (once a 500)
    data = direct_data(supplier, store, item, quantity="2")
    data.update(line_management("lines", 2))
    data.update(
        {
            "lines-0-lot_code": "WEBDUP1",
            "lines-1-item": item.pk,
            "lines-1-quantity": "3",
            "lines-1-unit_cost": "1.25",
            "lines-1-lot_code": "WEBDUP1",
            "lines-1-expires_on": "",
        }
    )

    response = staff_client.post(reverse("inventory:purchase_new"), data)

    assert response.status_code == 302
    lot = Lot.objects.get(item=item)
    assert lot.code == "WEBDUP1"
    assert stock_totals_for_item(item=item, store=store)["on_hand"] == Decimal("5")
