""" "Add a line" without JavaScript (includes/add_line.html): the form comes back with what
was typed and one more line, validates nothing and records nothing, whatever is posted."""

import pytest
from django.urls import reverse

from inventory.models import LedgerEntry, Operation, PurchaseOrder, SalesOrder

pytestmark = pytest.mark.django_db

HOSTILE = ["", "abc", "sNaN", "-1", "1e400", "x\x00y", "9" * 40, "١٢"]


def _state():
    return (
        LedgerEntry.objects.count(),
        Operation.objects.count(),
        SalesOrder.objects.count(),
        PurchaseOrder.objects.count(),
    )


@pytest.mark.parametrize(
    "url",
    [
        reverse("inventory:sales_quick"),
        reverse("inventory:sales_new"),
        reverse("inventory:purchase_new"),
        reverse("inventory:purchase_order_new"),
    ],
)
@pytest.mark.parametrize("value", HOSTILE)
def test_add_a_line_brings_the_form_back_one_line_longer(manager_client, store, item, url, value):
    data = {
        "add_line": "1",
        "idempotency_key": "k",
        "store": store.pk,
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": value or "0",
        "lines-0-item": item.sku,
        "lines-0-quantity": "2",
        "lines-1-item": value,
        "lines-1-quantity": value,
        "lines-1-unit_price": value,
        "lines-1-unit_cost": value,
        "lines-1-DELETE": "",
    }
    before = _state()

    response = manager_client.post(url, data)

    assert response.status_code == 200
    formset = response.context["formset"]
    assert not formset.is_bound and not response.context["form"].is_bound
    rows = formset.forms
    assert rows[0]["quantity"].value() in ("2", 2)
    assert len(rows) == (3 if value else 2)  # a blank posted row is not carried over
    assert "is-invalid" not in response.content.decode()
    assert _state() == before
