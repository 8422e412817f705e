"""Found by a QA pass: a stock form posted with its hidden token cleared (or damaged)
showed "(Hidden field idempotency_key) This field is required." above the form. It now
says, in words, that the form is out of date and nothing was recorded; and nothing is."""

import pytest
from django.urls import reverse

from inventory.models import Lot, PurchaseOrder, SalesOrder
from inventory.services.stock import stock_receive
from inventory.tests.services.stock_helpers import snapshot
from inventory.tests.views.purchasing_view_helpers import line_management
from inventory.tests.views.sales_view_helpers import lines_data
from inventory.tests.views.transfer_view_helpers import one_line

pytestmark = pytest.mark.django_db
MESSAGE = "This form is out of date; nothing was recorded. Open it again."


def forms_posted(item, lot, store, other_store):
    """Each stock form's page and a post that would record something with its token."""
    return {
        "transfer": (
            reverse("inventory:transfer_new"),
            one_line(item, store, other_store, "4"),
        ),
        "adjustment": (
            reverse("inventory:adjustment_new"),
            {
                "item": item.pk,
                "lot": lot.pk,
                "store": store.pk,
                "quantity": "-2",
                "reason": "COUNT",
            },
        ),
        "quick sale": (
            reverse("inventory:sales_quick"),
            {
                "store": store.pk,
                "customer": "",
                "note": "",
                **lines_data({"item": item.pk, "quantity": "1"}),
            },
        ),
        "direct purchase": (
            reverse("inventory:purchase_new"),
            {
                "supplier": item.supplier_id,
                "store": store.pk,
                "note": "",
                **line_management("lines", 1),
                "lines-0-item": item.pk,
                "lines-0-quantity": "6",
                "lines-0-unit_cost": "1.25",
                "lines-0-lot_code": "NEW-1",
                "lines-0-expires_on": "",
            },
        ),
    }


@pytest.mark.parametrize("name", ["transfer", "adjustment", "quick sale", "direct purchase"])
@pytest.mark.parametrize("token", ["", "x" * 65])
def test_a_form_posted_without_its_token_says_it_is_out_of_date_and_records_nothing(
    manager_client, manager_user, store, other_store, item, name, token
):
    # given 10 in stock and a form whose hidden token was cleared or damaged
    stock_receive(actor=manager_user, item=item, store=store, quantity=10, lot_code="A")
    lot = Lot.objects.get(item=item, code="A")
    url, data = forms_posted(item, lot, store, other_store)[name]
    before = snapshot()
    orders = (SalesOrder.objects.count(), PurchaseOrder.objects.count())

    # when it is sent
    response = manager_client.post(url, {**data, "idempotency_key": token})

    # then the page says so in words, above the form, and nothing is recorded
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [MESSAGE]
    assert MESSAGE in html
    assert "Hidden field" not in html and "idempotency_key" not in response.context["form"].errors
    assert snapshot() == before
    assert (SalesOrder.objects.count(), PurchaseOrder.objects.count()) == orders
