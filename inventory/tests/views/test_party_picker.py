"""Customers and suppliers chosen in a picker: the JSON options, the field that resolves
a typed name or a chosen id, and the documents posted with them."""

from decimal import Decimal

import pytest
from django.urls import reverse

from inventory.forms.purchasing import DirectPurchaseForm
from inventory.forms.sales import SalesOrderForm
from inventory.models import Customer, SalesOrder, Supplier
from inventory.services.stock import stock_receive
from inventory.tests.factories import CustomerFactory, SupplierFactory

from .test_picker_forms import snapshot

pytestmark = pytest.mark.django_db
D = Decimal
CUSTOMERS = reverse("inventory:picker_customers")
SUPPLIERS = reverse("inventory:picker_suppliers")


def names(response):
    return [r["value"] for r in response.json()["results"]]


# --- options ------------------------------------------------------------------------


def test_customers_matching_by_name_start_first_active_only(staff_client):
    CustomerFactory(name="Bakery Ann", email="b@example.com")
    CustomerFactory(name="Ann Lee", phone="555 0101")
    CustomerFactory(name="Annex Ltd", is_active=False)
    SupplierFactory(name="Ann Supplies")

    response = staff_client.get(CUSTOMERS, {"q": "ann"})

    assert response.status_code == 200
    assert names(response) == ["Ann Lee", "Bakery Ann"]
    assert [r["detail"] for r in response.json()["results"]] == ["555 0101", "b@example.com"]


def test_suppliers_are_bounded_and_hostile_text_never_fails(staff_client):
    for n in range(30):
        SupplierFactory(name=f"Supplier {n:02d}")

    assert len(names(staff_client.get(SUPPLIERS))) == 20
    for q in ["x" * 10_000, "%", "_", "' OR 1=1 --", "ß漢字😀"]:
        response = staff_client.get(SUPPLIERS, {"q": q})
        assert response.status_code == 200
    # NUL is refused for every view by the middleware, with a clear 400
    assert staff_client.get(SUPPLIERS, {"q": "a\x00"}).status_code == 400
    assert names(staff_client.get(SUPPLIERS, {"q": "%"})) == []


def test_the_options_need_a_signed_in_staff_member(client):
    assert client.get(CUSTOMERS).status_code in (302, 403)
    assert client.get(SUPPLIERS).status_code in (302, 403)


# --- the field ----------------------------------------------------------------------


def sales_form(**data):
    form = SalesOrderForm(data=data)
    form.is_valid()
    return form


def test_a_typed_name_in_any_case_names_the_customer(store):
    ann = CustomerFactory(name="Ann Lee")

    form = sales_form(store=store.pk, customer_q="  ann LEE ")

    assert form.errors == {}
    assert form.cleaned_data["customer"] == ann


def test_a_blank_customer_is_a_walk_in(store):
    form = sales_form(store=store.pk, customer_q="", customer_id="")

    assert form.errors == {} and form.cleaned_data["customer"] is None


@pytest.mark.parametrize(
    "typed, error",
    [
        ("Nobody", "No customer is named “Nobody”."),
        ("Ann Lee", "Several customers are named “Ann Lee”"),
        ("Old Co", "Old Co is deactivated"),
        ("x" * 151, "at most 150 characters"),
    ],
)
def test_the_field_refuses_what_names_no_single_active_customer(store, typed, error):
    CustomerFactory(name="Ann Lee")
    CustomerFactory(name="Ann Lee")
    old = CustomerFactory(name="Old Co", is_active=False)

    chosen = str(old.pk) if typed == "Old Co" else ""
    form = sales_form(store=store.pk, customer_q=typed, customer_id=chosen)

    assert error in " ".join(form.errors["customer"])


def test_the_chosen_id_tells_namesakes_apart_while_the_box_shows_its_name(store):
    CustomerFactory(name="Ann Lee")
    second = CustomerFactory(name="Ann Lee")
    other = CustomerFactory(name="Bob Ray")

    chosen = sales_form(store=store.pk, customer_q="Ann Lee", customer_id=str(second.pk))
    # the name was typed over after choosing: the text counts, not the stale id
    retyped = sales_form(store=store.pk, customer_q="Bob Ray", customer_id=str(second.pk))

    assert chosen.cleaned_data["customer"] == second
    assert retyped.cleaned_data["customer"] == other


def test_a_client_may_post_the_supplier_id(store):
    supplier = SupplierFactory()

    form = DirectPurchaseForm(
        data={"supplier": supplier.pk, "store": store.pk, "idempotency_key": "k"}
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data["supplier"] == supplier


def test_a_supplier_is_required_on_a_purchase(store):
    form = DirectPurchaseForm(data={"supplier_q": "", "store": store.pk, "idempotency_key": "k"})

    assert not form.is_valid()
    assert form.errors["supplier"] == ["This field is required."]


# --- documents ----------------------------------------------------------------------


def quick_sale(client, store, item, **customer):
    return client.post(
        reverse("inventory:sales_quick"),
        {
            "idempotency_key": "party-1",
            "store": store.pk,
            "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "0",
            "lines-0-item_q": item.sku,
            "lines-0-quantity": "2",
            **customer,
        },
    )


def test_a_quick_sale_for_a_namesake_chosen_from_the_list(staff_client, manager_user, store, item):
    stock_receive(actor=manager_user, item=item, store=store, quantity=5)
    CustomerFactory(name="Ann Lee")
    second = CustomerFactory(name="Ann Lee")

    response = quick_sale(staff_client, store, item, customer_q="Ann Lee", customer_id=second.pk)

    assert response.status_code == 302
    assert SalesOrder.objects.get().customer == second


def test_an_ambiguous_name_is_refused_next_to_the_field_and_changes_nothing(
    staff_client, manager_user, store, item
):
    stock_receive(actor=manager_user, item=item, store=store, quantity=5)
    CustomerFactory(name="Ann Lee")
    CustomerFactory(name="Ann Lee")
    before = snapshot()

    response = quick_sale(staff_client, store, item, customer_q="Ann Lee", customer_id="")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="customer_q" value="Ann Lee"' in html
    assert "Several customers are named “Ann Lee”" in html
    assert snapshot() == before
    assert SalesOrder.objects.count() == 0


def test_an_edit_page_shows_its_customer_in_the_box(staff_client, store):
    ann = CustomerFactory(name="Ann Lee", email="ann@example.com")
    form = SalesOrderForm(initial={"store": store.pk, "customer": ann.pk})

    html = str(form["customer"])

    assert 'name="customer_q"' in html and 'value="Ann Lee"' in html
    assert f'name="customer_id" value="{ann.pk}"' in html
    assert "ann@example.com" in html
    assert Customer.objects.count() == 1 and Supplier.objects.count() == 0
