from decimal import Decimal

import pytest
from django.urls import reverse

from inventory.models import AuditEvent, Category, Customer, Item, Store, Supplier
from inventory.tests.factories import (
    CategoryFactory,
    CustomerFactory,
    ItemFactory,
    StoreFactory,
    SupplierFactory,
)

pytestmark = pytest.mark.django_db

FACTORIES = {
    "category": CategoryFactory,
    "store": StoreFactory,
    "supplier": SupplierFactory,
    "customer": CustomerFactory,
    "item": ItemFactory,
}


def _catalogue_events():
    return AuditEvent.objects.exclude(action__startswith="auth.")


LISTS = ["category_list", "store_list", "supplier_list", "customer_list"]


def _screens():
    """Every GET screen of the catalogue, as (url name, kind of row it needs or None)."""
    screens = [(name, None) for name in LISTS]
    for key in FACTORIES:
        screens += [(f"{key}_create", None), (f"{key}_edit", key)]
    screens += [("supplier_detail", "supplier"), ("customer_detail", "customer")]
    return screens


def _url(name, key):
    if key is None:
        return reverse(f"inventory:{name}")
    return reverse(f"inventory:{name}", args=[FACTORIES[key]().pk])


@pytest.mark.parametrize(("name", "key"), _screens())
def test_staff_is_refused_every_catalogue_screen(staff_client, name, key):
    # when
    response = staff_client.get(_url(name, key))
    # then
    assert response.status_code == 403


@pytest.mark.parametrize(("name", "key"), _screens())
def test_manager_and_admin_open_every_catalogue_screen(manager_client, admin_role_user, name, key):
    # given
    url = _url(name, key)
    # when
    as_manager = manager_client.get(url)
    manager_client.force_login(admin_role_user)
    as_admin = manager_client.get(url)
    # then
    assert as_manager.status_code == 200
    assert as_admin.status_code == 200


@pytest.mark.parametrize("name", LISTS)
def test_anonymous_users_are_sent_to_login(client, name):
    # when
    response = client.get(reverse(f"inventory:{name}"))
    # then
    assert response.status_code == 302
    assert response.url.startswith("/login/")


@pytest.mark.parametrize("key", list(FACTORIES))
def test_staff_cannot_deactivate_and_nothing_changes(staff_client, key):
    # given
    obj = FACTORIES[key]()
    # when
    response = staff_client.post(reverse(f"inventory:{key}_deactivate", args=[obj.pk]))
    # then
    assert response.status_code == 403
    obj.refresh_from_db()
    assert obj.is_active
    assert not _catalogue_events()


@pytest.mark.parametrize("key", list(FACTORIES))
def test_deactivate_and_activate_accept_post_only(manager_client, key):
    # given
    obj = FACTORIES[key]()
    # when
    response = manager_client.get(reverse(f"inventory:{key}_deactivate", args=[obj.pk]))
    # then
    assert response.status_code == 405
    obj.refresh_from_db()
    assert obj.is_active


def test_no_delete_urls_exist():
    # then
    from inventory.views.catalog import urlpatterns

    assert not [p for p in urlpatterns if "delete" in str(p.pattern)]


# Items


def _item_post(in_category, **overrides):
    data = {
        "sku": "NEW-1",
        "name": "Fresh item",
        "description": "",
        "category": in_category.pk,
        "supplier": "",
        "unit": "pcs",
        "unit_cost": "1.50",
        "unit_price": "3.00",
        "reorder_level": "4",
    }
    data.update(overrides)
    return data


def test_manager_creates_an_item_and_lands_on_its_page(manager_client, manager_user):
    # given
    category = CategoryFactory()
    # when
    response = manager_client.post(reverse("inventory:item_create"), _item_post(category))
    # then
    item = Item.objects.get(sku="NEW-1")
    assert response.status_code == 302
    assert response.url == f"/items/{item.pk}/"
    assert (item.unit_price, item.reorder_level, item.qc_required) == (
        Decimal("3.00"),
        Decimal("4"),
        False,
    )
    event = AuditEvent.objects.get(action="item.create")
    assert event.actor == manager_user


@pytest.mark.parametrize("sku", ["SKU-0042", "sku-0042", " Sku-0042 "])
def test_duplicate_sku_in_any_case_is_a_field_error(manager_client, item, sku):
    # when
    response = manager_client.post(
        reverse("inventory:item_create"), _item_post(item.category, sku=sku)
    )
    # then
    assert response.status_code == 200
    assert "already used" in response.context["form"].errors["sku"][0]
    assert Item.objects.count() == 1
    assert not _catalogue_events()


@pytest.mark.parametrize("field", ["unit_cost", "unit_price", "reorder_level"])
def test_negative_figures_are_field_errors(manager_client, field):
    # given
    category = CategoryFactory()
    # when
    response = manager_client.post(
        reverse("inventory:item_create"), _item_post(category, **{field: "-1"})
    )
    # then
    assert response.status_code == 200
    assert "cannot be negative" in response.context["form"].errors[field][0]
    assert not Item.objects.exists()


def test_unknown_category_id_is_a_field_error(manager_client):
    # given
    category = CategoryFactory()
    # when
    response = manager_client.post(
        reverse("inventory:item_create"), _item_post(category, category=category.pk + 999)
    )
    # then
    assert response.status_code == 200
    assert "category" in response.context["form"].errors
    assert not Item.objects.exists()


def test_inactive_category_is_not_offered_for_a_new_item(manager_client):
    # given
    category = CategoryFactory(is_active=False)
    # when
    response = manager_client.post(reverse("inventory:item_create"), _item_post(category))
    # then
    assert response.status_code == 200
    assert "category" in response.context["form"].errors
    assert not Item.objects.exists()


def test_edit_item_saves_through_the_service(manager_client, item):
    # when
    response = manager_client.post(
        reverse("inventory:item_edit", args=[item.pk]),
        _item_post(item.category, sku=item.sku, name="Renamed", unit_price="7.25"),
    )
    # then
    assert response.status_code == 302
    assert response.url == f"/items/{item.pk}/"
    item.refresh_from_db()
    assert (item.name, item.unit_price) == ("Renamed", Decimal("7.25"))
    details = AuditEvent.objects.get(action="item.update").details
    assert details["name"] == ["Blue widget", "Renamed"]
    assert details["unit_price"] == ["4.00", "7.25"]


def test_edit_item_keeps_its_now_inactive_category(manager_client, item):
    # given
    Category.objects.filter(pk=item.category_id).update(is_active=False)
    # when
    response = manager_client.post(
        reverse("inventory:item_edit", args=[item.pk]),
        _item_post(item.category, sku=item.sku, name="Still here"),
    )
    # then
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.name == "Still here"


def test_edit_with_another_items_sku_changes_nothing(manager_client, item):
    # given
    other = ItemFactory(sku="OTHER-9", name="Other")
    # when
    response = manager_client.post(
        reverse("inventory:item_edit", args=[other.pk]),
        _item_post(other.category, sku="SKU-0042", name="Changed"),
    )
    # then
    assert response.status_code == 200
    assert response.context["form"].errors["sku"]
    assert "Edit item OTHER-9" in response.content.decode()
    other.refresh_from_db()
    assert (other.sku, other.name) == ("OTHER-9", "Other")


def test_deactivate_then_activate_item(manager_client, item):
    # when
    first = manager_client.post(reverse("inventory:item_deactivate", args=[item.pk]))
    item.refresh_from_db()
    was_active = item.is_active
    second = manager_client.post(reverse("inventory:item_activate", args=[item.pk]))
    # then
    item.refresh_from_db()
    assert (first.status_code, first.url) == (302, f"/items/{item.pk}/")
    assert second.status_code == 302
    assert (was_active, item.is_active) == (False, True)


def test_deactivating_twice_shows_a_message_and_no_500(manager_client, item):
    # given
    manager_client.post(reverse("inventory:item_deactivate", args=[item.pk]))
    # when
    response = manager_client.post(
        reverse("inventory:item_deactivate", args=[item.pk]), follow=False
    )
    # then
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="item.deactivate").count() == 1


def test_deactivate_returns_to_a_safe_next_url_only(manager_client):
    # given
    category = CategoryFactory()
    other = CategoryFactory()
    # when
    local = manager_client.post(
        reverse("inventory:category_deactivate", args=[category.pk]),
        {"next": "/categories/?status=active"},
    )
    foreign = manager_client.post(
        reverse("inventory:category_deactivate", args=[other.pk]),
        {"next": "https://evil.example/"},
    )
    # then
    assert local.url == "/categories/?status=active"
    assert foreign.url == "/categories/"


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


# Lists: search, filters, sorting, pagination


def _names(response):
    return [obj.name for obj in response.context["object_list"]]


def test_search_matches_name_or_email(manager_client):
    # given
    SupplierFactory(name="Acme Fasteners", email="x@one.example")
    SupplierFactory(name="Brite", email="sales@acme.example")
    SupplierFactory(name="Coat", email="c@coat.example")
    # when
    response = manager_client.get(reverse("inventory:supplier_list"), {"q": "acme"})
    # then
    assert _names(response) == ["Acme Fasteners", "Brite"]


def test_status_filter_shows_active_or_inactive(manager_client):
    # given
    CategoryFactory(name="Old", is_active=False)
    CategoryFactory(name="New")
    # when
    active = manager_client.get(reverse("inventory:category_list"), {"status": "active"})
    inactive = manager_client.get(reverse("inventory:category_list"), {"status": "inactive"})
    every = manager_client.get(reverse("inventory:category_list"))
    # then
    assert _names(active) == ["New"]
    assert _names(inactive) == ["Old"]
    assert _names(every) == ["New", "Old"]


def test_store_kind_filter(manager_client, store, other_store):
    # when
    response = manager_client.get(reverse("inventory:store_list"), {"kind": "WAREHOUSE"})
    # then
    assert _names(response) == ["Warehouse"]


def test_sort_by_whitelisted_columns_both_ways(manager_client):
    # given
    for name in ["Beta", "Alpha", "Gamma"]:
        CategoryFactory(name=name)
    ItemFactory.create_batch(2, category=Category.objects.get(name="Gamma"))
    # when
    by_name_desc = manager_client.get(reverse("inventory:category_list"), {"sort": "-name"})
    by_items_desc = manager_client.get(reverse("inventory:category_list"), {"sort": "-items"})
    # then
    assert _names(by_name_desc) == ["Gamma", "Beta", "Alpha"]
    assert _names(by_items_desc)[0] == "Gamma"


def test_unknown_sort_is_ignored_not_an_error(manager_client):
    # given
    CustomerFactory(name="Zed")
    CustomerFactory(name="Amy")
    # when
    response = manager_client.get(
        reverse("inventory:customer_list"), {"sort": "password;drop", "status": "bogus"}
    )
    # then
    assert response.status_code == 200
    assert _names(response) == ["Amy", "Zed"]


def test_sort_header_links_toggle_direction(manager_client):
    # given
    CategoryFactory(name="One")
    # when
    response = manager_client.get(reverse("inventory:category_list"), {"sort": "name"})
    # then
    assert 'href="?sort=-name"' in response.content.decode()


def test_lists_paginate_by_25(manager_client):
    # given
    CustomerFactory.create_batch(30)
    # when
    first = manager_client.get(reverse("inventory:customer_list"))
    second = manager_client.get(reverse("inventory:customer_list"), {"page": 2})
    # then
    assert len(first.context["object_list"]) == 25
    assert len(second.context["object_list"]) == 5
    assert not set(_names(first)) & set(_names(second))
