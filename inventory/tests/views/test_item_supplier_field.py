"""The item's default supplier, picked by name in the item form and searched in the admin:
deactivated suppliers are kept but not newly chosen, and no value makes it fail."""

import pytest
from django.urls import reverse

from inventory.models import AuditEvent, Item, Supplier
from inventory.tests.factories import CategoryFactory, SupplierFactory
from inventory.tests.views.party_filter_helpers import HOSTILE_ID, NAMED, deactivate, field_group

pytestmark = pytest.mark.django_db


# --- the item's default supplier --------------------------------------------------------


def item_post(category, **supplier):
    return {
        "sku": "NEW-1",
        "name": "Fresh item",
        "description": "",
        "category": category.pk,
        "unit": "pcs",
        "unit_cost": "1.50",
        "unit_price": "3.00",
        "reorder_level": "4",
        **supplier,
    }


@pytest.mark.parametrize("how", ["chosen", "typed", "posted id"])
def test_a_new_item_with_its_supplier_picked(manager_client, how):
    category = CategoryFactory()
    SupplierFactory(name="Brite Co")
    chosen = SupplierFactory(name="Brite Co")
    unique = SupplierFactory(name="Acme Ltd")
    supplier, data = {
        "chosen": (chosen, {"supplier_q": "Brite Co", "supplier_id": chosen.pk}),
        "typed": (unique, {"supplier_q": " acme ltd", "supplier_id": ""}),
        "posted id": (unique, {"supplier": unique.pk}),
    }[how]

    response = manager_client.post(reverse("inventory:item_create"), item_post(category, **data))

    assert response.status_code == 302
    assert Item.objects.get(sku="NEW-1").supplier == supplier


def test_an_item_is_saved_without_a_supplier(manager_client):
    category = CategoryFactory()

    response = manager_client.post(
        reverse("inventory:item_create"), item_post(category, supplier_q="", supplier_id="")
    )

    assert response.status_code == 302
    assert Item.objects.get(sku="NEW-1").supplier is None


def test_an_item_whose_supplier_was_deactivated_keeps_it_when_saved(manager_client, item):
    old = deactivate(item.supplier)
    url = reverse("inventory:item_edit", args=[item.pk])
    page = manager_client.get(url).content.decode()

    # when the page is saved as shown (the box and its hidden id), with a new price
    data = item_post(item.category, supplier_q=old.name, supplier_id=old.pk)
    data.update(sku=item.sku, name=item.name, unit_price="9.00")
    response = manager_client.post(url, data)

    # then the item keeps its supplier and takes the price
    group = field_group(page, "supplier")
    assert f'value="{old.name}"' in group and "deactivated" in group
    assert "data-picker-scope" not in group  # its picker offers active suppliers only
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.supplier, str(item.unit_price)) == (old, "9.00")


@pytest.mark.parametrize("how", ["chosen", "typed", "posted id"])
def test_a_deactivated_supplier_is_refused_for_a_new_item_and_nothing_is_saved(manager_client, how):
    category = CategoryFactory()
    old = SupplierFactory(name="Old Co", is_active=False)
    data = {
        "chosen": {"supplier_q": "Old Co", "supplier_id": old.pk},
        "typed": {"supplier_q": "old co"},
        "posted id": {"supplier": old.pk},
    }[how]

    response = manager_client.post(reverse("inventory:item_create"), item_post(category, **data))

    assert response.status_code == 200
    assert "Old Co is deactivated; choose another supplier." in field_group(
        response.content.decode(), "supplier"
    )
    assert not Item.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="item.").exists()


def test_an_item_cannot_move_to_another_deactivated_supplier(manager_client, item):
    kept = item.supplier
    old = SupplierFactory(name="Old Co", is_active=False)
    data = item_post(item.category, supplier_q="Old Co", supplier_id=old.pk)
    data.update(sku=item.sku, name=item.name)

    response = manager_client.post(reverse("inventory:item_edit", args=[item.pk]), data)

    assert response.status_code == 200
    assert "Old Co is deactivated" in response.context["form"].errors["supplier"][0]
    item.refresh_from_db()
    assert item.supplier == kept


def test_the_item_admin_searches_suppliers_instead_of_listing_them(admin_client, item):
    for n in range(30):
        SupplierFactory(name=f"PARTY-S{n:04d}")

    html = admin_client.get(reverse("admin:inventory_item_change", args=[item.pk])).content
    html = html.decode()

    assert "admin-autocomplete" in html
    assert NAMED.findall(html) == []
    assert Supplier.objects.count() == 31


@pytest.mark.parametrize("value", ["abc", HOSTILE_ID, "-1", "1e3"])
def test_the_item_admin_refuses_a_supplier_that_is_no_id_and_changes_nothing(
    admin_client, item, value
):
    kept = (item.name, item.supplier)
    data = {
        "sku": item.sku,
        "name": "Renamed",
        "description": "",
        "category": item.category_id,
        "supplier": value,
        "unit": item.unit,
        "unit_cost": str(item.unit_cost),
        "unit_price": str(item.unit_price),
        "reorder_level": str(item.reorder_level),
        "_save": "Save",
    }

    response = admin_client.post(reverse("admin:inventory_item_change", args=[item.pk]), data)

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    item.refresh_from_db()
    assert (item.name, item.supplier) == kept
