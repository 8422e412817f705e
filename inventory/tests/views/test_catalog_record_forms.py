"""Catalogue categories, stores, suppliers and customers: created, edited and deactivated
through the screens; duplicates and bad input refused."""

import pytest
from django.urls import reverse

from inventory.models import AuditEvent, Category, Customer, Store, Supplier
from inventory.tests.factories import CategoryFactory, CustomerFactory

pytestmark = pytest.mark.django_db


# Categories, stores, suppliers, customers


def test_create_and_edit_category(manager_client):
    # when
    created = manager_client.post(
        reverse("inventory:category_create"), {"name": "Paint", "description": ""}
    )
    category = Category.objects.get(name="Paint")
    edited = manager_client.post(
        reverse("inventory:category_edit", args=[category.pk]),
        {"name": "Paints", "description": "Walls"},
    )
    # then
    assert created.url == edited.url == "/categories/"
    category.refresh_from_db()
    assert (category.name, category.description) == ("Paints", "Walls")
    assert AuditEvent.objects.filter(object_type="Category").count() == 2


def test_duplicate_category_name_in_another_case_is_a_field_error(manager_client):
    # given
    CategoryFactory(name="Paint")
    # when
    response = manager_client.post(reverse("inventory:category_create"), {"name": "pAINT"})
    # then
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert Category.objects.count() == 1


def test_create_store_and_refuse_a_duplicate_code(manager_client, store):
    # when
    created = manager_client.post(
        reverse("inventory:store_create"), {"code": "N2", "name": "North", "kind": "STORE"}
    )
    duplicate = manager_client.post(
        reverse("inventory:store_create"), {"code": "main", "name": "Copy", "kind": "STORE"}
    )
    # then
    assert created.status_code == 302
    assert duplicate.status_code == 200
    assert duplicate.context["form"].errors["code"]
    assert sorted(Store.objects.values_list("code", flat=True)) == ["MAIN", "N2"]


def test_create_supplier_lands_on_its_page_and_bad_email_is_refused(manager_client):
    # when
    created = manager_client.post(
        reverse("inventory:supplier_create"), {"name": "Acme", "email": "a@acme.example"}
    )
    refused = manager_client.post(
        reverse("inventory:supplier_create"), {"name": "Bad", "email": "not-an-email"}
    )
    # then
    supplier = Supplier.objects.get()
    assert created.url == f"/suppliers/{supplier.pk}/"
    assert refused.status_code == 200
    assert refused.context["form"].errors["email"]


def test_edit_and_deactivate_customer(manager_client):
    # given
    customer = CustomerFactory(name="Ann")
    # when
    manager_client.post(
        reverse("inventory:customer_edit", args=[customer.pk]),
        {"name": "Ann Smith", "phone": "555"},
    )
    response = manager_client.post(reverse("inventory:customer_deactivate", args=[customer.pk]))
    # then
    customer.refresh_from_db()
    assert (customer.name, customer.phone, customer.is_active) == ("Ann Smith", "555", False)
    assert response.url == f"/customers/{customer.pk}/"


def test_missing_row_is_404(manager_client):
    # when
    response = manager_client.get(reverse("inventory:customer_edit", args=[999999]))
    # then
    assert response.status_code == 404
    assert not Customer.objects.exists()
