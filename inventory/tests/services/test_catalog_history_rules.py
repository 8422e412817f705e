"""Catalogue rules that protect what is already recorded: an item's unit is fixed once
anything counts in it, and two stores cannot share a name (menus show the name alone).

Both were found by the browser QA pass: BOLT-M8's 208 boxes became "208 kg" with one edit,
and a second "Main Store" made the store menus ambiguous."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from inventory.exceptions import InventoryError
from inventory.models import AuditEvent, Item, Store
from inventory.services import catalog
from inventory.services.purchasing import purchase_order_create
from inventory.services.stock import stock_receive
from inventory.tests.factories import ItemFactory

pytestmark = pytest.mark.django_db
D = Decimal


def _unit_of(item) -> str:
    return Item.objects.values_list("unit", flat=True).get(pk=item.pk)


def test_a_new_items_unit_may_still_change(manager_user):
    fresh = ItemFactory(unit="pcs")

    catalog.item_update(actor=manager_user, item=fresh, data={"unit": "box"})

    assert _unit_of(fresh) == "box"


def test_the_unit_is_fixed_once_stock_has_moved(manager_user, item, store):
    stock_receive(actor=manager_user, item=item, store=store, quantity="208")
    events = AuditEvent.objects.count()

    with pytest.raises(InventoryError) as refused:
        catalog.item_update(actor=manager_user, item=item, data={"unit": "kg", "name": "New"})

    assert refused.value.field == "unit"
    assert "cannot change from pcs to kg" in str(refused.value)
    item.refresh_from_db()
    assert (item.unit, item.name) == ("pcs", "Blue widget")
    assert AuditEvent.objects.count() == events


def test_the_unit_is_fixed_once_an_order_names_the_item(manager_user, item, supplier, store):
    purchase_order_create(
        actor=manager_user, supplier=supplier, store=store, lines=[(item, "3", "1.00")]
    )

    with pytest.raises(InventoryError):
        catalog.item_update(actor=manager_user, item=item, data={"unit": "m"})

    assert _unit_of(item) == "pcs"


def test_other_fields_of_a_stocked_item_still_change(manager_user, item, store):
    stock_receive(actor=manager_user, item=item, store=store, quantity="2")

    catalog.item_update(actor=manager_user, item=item, data={"unit": "pcs", "name": "Renamed"})

    item.refresh_from_db()
    assert (item.unit, item.name) == ("pcs", "Renamed")


def test_the_edit_screen_shows_the_refusal_next_to_the_unit(
    manager_client, manager_user, item, store
):
    stock_receive(actor=manager_user, item=item, store=store, quantity="208")
    data = {
        "sku": item.sku,
        "name": item.name,
        "description": "",
        "category": item.category_id,
        "supplier": "",
        "unit": "kg",
        "unit_cost": "1.00",
        "unit_price": "4.00",
        "reorder_level": "0",
    }

    response = manager_client.post(reverse("inventory:item_edit", args=[item.pk]), data)

    assert response.status_code == 200
    assert "cannot change from pcs to kg" in response.context["form"].errors["unit"][0]
    assert _unit_of(item) == "pcs"


def test_a_unit_change_says_so_first_not_the_level_in_the_new_unit(
    manager_client, manager_user, store
):
    # Found by a new-owner QA pass: kg to box with a level of 1.5 first said "Reorder
    # level must be a whole number of boxes"; mended, the unit could not change anyway.
    from inventory.tests.factories import ItemFactory

    meal = ItemFactory(sku="BONEMEAL", unit="kg", reorder_level=Decimal("1.5"))
    stock_receive(actor=manager_user, item=meal, store=store, quantity="2.5")
    data = {
        "sku": meal.sku, "name": meal.name, "description": "", "category": meal.category_id,
        "supplier": "", "unit": "box", "unit_cost": "1.00", "unit_price": "4.00",
        "reorder_level": "1.5",
    }  # fmt: skip

    response = manager_client.post(reverse("inventory:item_edit", args=[meal.pk]), data)

    errors = response.context["form"].errors
    assert list(errors) == ["unit"] and "cannot change from kg to box" in errors["unit"][0]
    assert _unit_of(meal) == "kg"


def test_a_store_name_is_unique_ignoring_case(manager_user, store):
    with pytest.raises(InventoryError) as refused:
        catalog.store_create(actor=manager_user, data={"code": "QA2", "name": store.name.upper()})

    assert refused.value.field == "name"
    assert Store.objects.count() == 1


def test_renaming_a_store_to_anothers_name_is_refused(manager_user, store):
    other = catalog.store_create(actor=manager_user, data={"code": "NORTH", "name": "North"})

    with pytest.raises(InventoryError):
        catalog.store_update(actor=manager_user, store=other, data={"name": store.name})

    assert Store.objects.get(pk=other.pk).name == "North"


def test_the_database_refuses_a_second_store_of_the_same_name(store):
    with pytest.raises(IntegrityError), transaction.atomic():
        Store.objects.create(code="DUP", name=store.name.lower())
