from decimal import Decimal

import pytest

from inventory.exceptions import InactiveRecord, InventoryError
from inventory.models import AuditEvent, Category, Item, Store
from inventory.services import catalog
from inventory.services.stock import stock_receive
from inventory.tests.factories import (
    CategoryFactory,
    CustomerFactory,
    ItemFactory,
    StoreFactory,
    SupplierFactory,
)

pytestmark = pytest.mark.django_db


def _item_data(category, **overrides):
    data = {
        "sku": "NEW-001",
        "name": "New thing",
        "category": category,
        "unit": "pcs",
        "unit_cost": Decimal("1.20"),
        "unit_price": Decimal("2.50"),
        "reorder_level": Decimal("5"),
    }
    data.update(overrides)
    return data


def test_item_create_saves_the_item_and_audits_every_field(manager_user):
    # given
    category = CategoryFactory(name="Tools")
    # when
    item = catalog.item_create(actor=manager_user, data=_item_data(category, sku="  NEW-001 "))
    # then
    item.refresh_from_db()
    assert (item.sku, item.name, item.category, item.unit_price) == (
        "NEW-001",
        "New thing",
        category,
        Decimal("2.50"),
    )
    event = AuditEvent.objects.get(action="item.create")
    assert event.actor == manager_user
    assert event.object_id == str(item.pk)
    assert event.details["sku"] == [None, "NEW-001"]
    assert event.details["unit_price"] == [None, "2.50"]
    # A reference is named as the audit log shows it (found by a QA pass: "category — → 1")
    assert event.details["category"] == [None, f"Tools (#{category.pk})"]


def test_item_create_refuses_a_sku_used_in_another_case(manager_user):
    # given
    category = CategoryFactory()
    ItemFactory(sku="ABC-1", category=category)
    # when
    with pytest.raises(InventoryError) as refused:
        catalog.item_create(actor=manager_user, data=_item_data(category, sku="abc-1"))
    # then
    assert refused.value.field == "sku"
    assert "already used" in refused.value.message
    assert Item.objects.count() == 1
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("field", ["unit_cost", "unit_price", "reorder_level"])
def test_item_create_refuses_negative_figures(manager_user, field):
    # given
    category = CategoryFactory()
    # when
    with pytest.raises(InventoryError) as refused:
        catalog.item_create(actor=manager_user, data=_item_data(category, **{field: Decimal("-1")}))
    # then
    assert refused.value.field == field
    assert "cannot be negative" in refused.value.message
    assert not Item.objects.exists()
    assert not AuditEvent.objects.exists()


def test_item_create_refuses_an_inactive_category(manager_user):
    # given
    category = CategoryFactory(is_active=False)
    # when
    with pytest.raises(InventoryError) as refused:
        catalog.item_create(actor=manager_user, data=_item_data(category))
    # then
    assert refused.value.field == "category"
    assert not Item.objects.exists()


def test_item_create_refuses_an_unknown_unit(manager_user):
    # given
    category = CategoryFactory()
    # when
    with pytest.raises(InventoryError) as refused:
        catalog.item_create(actor=manager_user, data=_item_data(category, unit="barrel"))
    # then
    assert refused.value.field == "unit"
    assert not Item.objects.exists()


def test_item_update_records_before_and_after_of_changed_fields_only(manager_user, item):
    # given
    old_price = item.unit_price
    # when
    catalog.item_update(
        actor=manager_user,
        item=item,
        data={"name": "Bluer widget", "unit_price": Decimal("9.99"), "sku": item.sku},
    )
    # then
    item.refresh_from_db()
    assert (item.name, item.unit_price) == ("Bluer widget", Decimal("9.99"))
    event = AuditEvent.objects.get(action="item.update")
    assert event.details == {
        "name": ["Blue widget", "Bluer widget"],
        "unit_price": [str(old_price), "9.99"],
    }


def test_item_update_names_the_category_and_supplier_it_changes(manager_user, item):
    old, was = item.category, item.supplier
    paint = CategoryFactory(name="Paint")
    acme = SupplierFactory(name="Acme")

    catalog.item_update(actor=manager_user, item=item, data={"category": paint, "supplier": acme})

    event = AuditEvent.objects.get(action="item.update")
    assert event.details == {
        "category": [f"{old.name} (#{old.pk})", f"Paint (#{paint.pk})"],
        "supplier": [f"{was.name} (#{was.pk})", f"Acme (#{acme.pk})"],
    }


def test_item_update_may_change_the_case_of_its_own_sku(manager_user, item):
    # when
    catalog.item_update(actor=manager_user, item=item, data={"sku": "sku-0042"})
    # then
    item.refresh_from_db()
    assert item.sku == "sku-0042"


def test_item_update_refuses_another_items_sku_and_changes_nothing(manager_user, item):
    # given
    other = ItemFactory(sku="OTHER-1")
    # when
    with pytest.raises(InventoryError) as refused:
        catalog.item_update(actor=manager_user, item=other, data={"sku": "sku-0042", "name": "X"})
    # then
    assert refused.value.field == "sku"
    other.refresh_from_db()
    assert (other.sku, other.name) == ("OTHER-1", other.name)
    assert not AuditEvent.objects.exists()


def test_item_update_without_changes_writes_nothing(manager_user, item):
    # when
    catalog.item_update(actor=manager_user, item=item, data={"name": item.name})
    # then
    assert not AuditEvent.objects.exists()


def test_item_update_refuses_fields_outside_the_catalogue(manager_user, item):
    # when
    with pytest.raises(InventoryError):
        catalog.item_update(actor=manager_user, item=item, data={"is_active": False})
    # then
    item.refresh_from_db()
    assert item.is_active


def test_deactivated_item_cannot_be_received_and_activate_restores_it(manager_user, item, store):
    # given
    item = catalog.item_deactivate(actor=manager_user, item=item)
    # when
    with pytest.raises(InactiveRecord):
        stock_receive(actor=manager_user, item=item, store=store, quantity=1)
    item = catalog.item_activate(actor=manager_user, item=item)
    result = stock_receive(actor=manager_user, item=item, store=store, quantity=1)
    # then
    assert len(result.entries) == 1
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", "details"))
    assert actions[0] == ("item.deactivate", {"is_active": [True, False]})
    assert actions[1] == ("item.activate", {"is_active": [False, True]})


def test_deactivate_twice_is_refused_with_a_message(manager_user, item):
    # given
    catalog.item_deactivate(actor=manager_user, item=item)
    # when
    with pytest.raises(InventoryError) as refused:
        catalog.item_deactivate(actor=manager_user, item=item)
    # then
    assert "already deactivated" in refused.value.message
    assert AuditEvent.objects.filter(action="item.deactivate").count() == 1


def test_category_names_are_unique_ignoring_case(manager_user):
    # given
    catalog.category_create(actor=manager_user, data={"name": "Paint"})
    # when
    with pytest.raises(InventoryError) as refused:
        catalog.category_create(actor=manager_user, data={"name": "PAINT"})
    # then
    assert refused.value.field == "name"
    assert Category.objects.count() == 1


def test_store_create_update_deactivate_are_audited(manager_user):
    # when
    store = catalog.store_create(
        actor=manager_user, data={"code": "N1", "name": "North", "kind": "STORE"}
    )
    catalog.store_update(actor=manager_user, store=store, data={"name": "North Store"})
    catalog.store_deactivate(actor=manager_user, store=store)
    # then
    store.refresh_from_db()
    assert (store.name, store.is_active) == ("North Store", False)
    assert list(
        AuditEvent.objects.filter(object_type="Store").order_by("pk").values_list("action")
    ) == [("store.create",), ("store.update",), ("store.deactivate",)]


def test_store_code_is_unique_ignoring_case(manager_user, store):
    # when
    with pytest.raises(InventoryError) as refused:
        catalog.store_create(actor=manager_user, data={"code": "main", "name": "Another"})
    # then
    assert refused.value.field == "code"
    assert Store.objects.count() == 1


def test_supplier_and_customer_services_validate_email(manager_user):
    # given
    supplier = SupplierFactory(email="a@example.com")
    customer = CustomerFactory()
    # when
    with pytest.raises(InventoryError) as refused:
        catalog.supplier_update(actor=manager_user, supplier=supplier, data={"email": "nope"})
    catalog.customer_update(actor=manager_user, customer=customer, data={"phone": "555-1234"})
    catalog.customer_deactivate(actor=manager_user, customer=customer)
    # then
    assert refused.value.field == "email"
    supplier.refresh_from_db()
    customer.refresh_from_db()
    assert supplier.email == "a@example.com"
    assert (customer.phone, customer.is_active) == ("555-1234", False)


def test_inactive_store_refuses_receipts(manager_user, item):
    # given
    store = StoreFactory(code="OLD")
    store = catalog.store_deactivate(actor=manager_user, store=store)
    # when / then
    with pytest.raises(InactiveRecord):
        stock_receive(actor=manager_user, item=item, store=store, quantity=1)
