"""Catalogue items: created, edited, deactivated and activated through the screens; bad input
refused as field errors."""

from decimal import Decimal

import pytest
from django.urls import reverse

from inventory.models import AuditEvent, Category, Item
from inventory.tests.factories import CategoryFactory, ItemFactory
from inventory.tests.views.catalog_view_helpers import _catalogue_events

pytestmark = pytest.mark.django_db


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


def test_the_item_page_offers_deactivate_then_activate_to_a_manager(
    manager_client, staff_client, item
):
    page = item.get_absolute_url()
    deactivate = reverse("inventory:item_deactivate", args=[item.pk])
    activate = reverse("inventory:item_activate", args=[item.pk])
    # the buttons are for managers only
    assert deactivate not in staff_client.get(page).content.decode()
    html = manager_client.get(page).content.decode()
    assert f'action="{deactivate}"' in html and activate not in html

    # when the manager presses Deactivate, they come back to the item page, now offering Activate
    response = manager_client.post(deactivate, {"next": page}, follow=True)

    assert response.redirect_chain[-1][0] == page
    html = response.content.decode()
    assert f'action="{activate}"' in html and deactivate not in html
    item.refresh_from_db()
    assert item.is_active is False


def test_the_category_menu_sorts_names_whatever_their_case(manager_client):
    # found by a first-week QA pass: "abc" came after "ZZcat"
    for name in ("ZZcat", "abc", "Bolts"):
        CategoryFactory(name=name)

    html = manager_client.get(reverse("inventory:item_create")).content.decode()

    shown = [html.index(f">{name}</option>") for name in ("abc", "Bolts", "ZZcat")]
    assert shown == sorted(shown)
