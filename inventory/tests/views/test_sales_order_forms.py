"""Sales screens: a new order saved as a draft, a draft edited, bad input refused cleanly."""

import pytest
from django.urls import reverse

from inventory.models import LedgerEntry, SalesOrder
from inventory.tests.factories import CustomerFactory, ItemFactory
from inventory.tests.views.sales_view_helpers import D, Status, lines_data, make_order, msgs, state

pytestmark = pytest.mark.django_db


# --- new and edit ------------------------------------------------------------------------


def test_new_order_is_saved_as_a_draft(staff_client, store, item):
    customer = CustomerFactory()
    other = ItemFactory(sku="OTHER")
    data = {
        "store": store.pk,
        "customer": customer.pk,
        "note": "Deliver Monday",
        **lines_data(
            {"item": item.pk, "quantity": "3", "unit_price": ""},
            {"item": other.pk, "quantity": "1", "unit_price": "9.99", "DELETE": "on"},
            {"item": "", "quantity": "", "unit_price": ""},
        ),
    }

    response = staff_client.post(reverse("inventory:sales_new"), data)

    order = SalesOrder.objects.get()
    assert response.status_code == 302 and response.url == order.get_absolute_url()
    assert (order.status, order.customer, order.note) == (Status.DRAFT, customer, "Deliver Monday")
    assert list(order.lines.values_list("item__sku", "quantity", "unit_price")) == [
        (item.sku, D("3.000"), D("4.00"))
    ]
    assert LedgerEntry.objects.count() == 0


@pytest.mark.parametrize("store_value", ["STORE", "99999999999999999999999", "abc"])
def test_a_store_closed_since_the_page_opened_is_named(staff_client, store, item, store_value):
    # found by QA: "Select a valid choice. That choice is not one of the available choices."
    store.is_active = False
    store.save(update_fields=["is_active"])
    value = str(store.pk) if store_value == "STORE" else store_value
    data = {
        "store": value,
        "customer": "",
        "note": "",
        **lines_data({"item": item.pk, "quantity": "1"}),
    }

    response = staff_client.post(reverse("inventory:sales_new"), data)

    assert response.status_code == 200
    errors = response.context["form"].errors["store"]
    if store_value == "STORE":
        assert errors == [f"{store} is deactivated; choose another."]
    else:
        assert errors == ["Select a valid choice. That choice is not one of the available choices."]
    assert SalesOrder.objects.count() == 0


@pytest.mark.parametrize(
    "row",
    [
        {"item": "", "quantity": "", "unit_price": ""},
        {"item": "999999", "quantity": "1", "unit_price": ""},
        {"item": "ITEM", "quantity": "0", "unit_price": ""},
        {"item": "ITEM", "quantity": "-2", "unit_price": ""},
        {"item": "ITEM", "quantity": "abc", "unit_price": ""},
        {"item": "ITEM", "quantity": "1.0001", "unit_price": ""},
        {"item": "ITEM", "quantity": "1", "unit_price": "-1"},
        {"item": "ITEM", "quantity": "1e30", "unit_price": ""},
    ],
)
def test_new_order_refuses_bad_lines_without_a_500(staff_client, store, item, row):
    row = {k: (str(item.pk) if v == "ITEM" else v) for k, v in row.items()}
    data = {"store": store.pk, "customer": "", "note": "", **lines_data(row)}

    response = staff_client.post(reverse("inventory:sales_new"), data)

    assert response.status_code == 200
    assert SalesOrder.objects.count() == 0


def test_new_order_refuses_a_missing_management_form(staff_client, store):
    response = staff_client.post(reverse("inventory:sales_new"), {"store": store.pk})
    assert response.status_code == 200
    assert SalesOrder.objects.count() == 0


def test_edit_changes_a_draft(staff_client, staff_user, store, item):
    order = make_order(staff_user, store, item, stock=None)
    page = staff_client.get(reverse("inventory:sales_edit", args=[order.pk]))
    assert page.status_code == 200
    data = {
        "store": store.pk,
        "customer": "",
        "note": "more",
        **lines_data({"item": item.pk, "quantity": "7", "unit_price": "4.00"}, initial=1),
    }

    response = staff_client.post(reverse("inventory:sales_edit", args=[order.pk]), data)

    assert response.status_code == 302
    assert list(order.lines.values_list("quantity", flat=True)) == [D("7.000")]


def test_edit_of_a_confirmed_order_is_refused(staff_client, staff_user, store, item):
    order = make_order(staff_user, store, item, status=Status.CONFIRMED)
    before = state()
    data = {"store": store.pk, **lines_data({"item": item.pk, "quantity": "9"})}

    response = staff_client.post(reverse("inventory:sales_edit", args=[order.pk]), data)

    assert response.status_code == 302
    assert "only drafts can be edited" in msgs(response)[0]
    assert state() == before
