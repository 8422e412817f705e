"""items_import: every row through item_create in one transaction, all or nothing."""

from decimal import Decimal

import pytest

from inventory.models import AuditEvent, Item
from inventory.services.catalog_import import ImportRefused, RowError, items_import
from inventory.tests.factories import CategoryFactory, ItemFactory, SupplierFactory

pytestmark = pytest.mark.django_db


def _data(category, sku, **overrides):
    data = {
        "sku": sku,
        "name": f"Item {sku}",
        "category": category,
        "unit": "pcs",
        "unit_cost": Decimal("1.00"),
        "unit_price": Decimal("2.00"),
        "reorder_level": Decimal("0"),
    }
    data.update(overrides)
    return data


def test_rows_become_items_with_one_audit_event_each(manager_user):
    # given
    category = CategoryFactory(name="Tools")
    supplier = SupplierFactory(name="Acme")
    rows = [
        (2, _data(category, "IMP-1", supplier=supplier, barcode="111", qc_required=True)),
        (3, _data(category, "IMP-2", unit="kg", reorder_level=Decimal("2.5"))),
    ]
    # when
    created = items_import(actor=manager_user, rows=rows)
    # then
    assert [item.sku for item in created] == ["IMP-1", "IMP-2"]
    first, second = Item.objects.order_by("sku")
    assert (first.supplier, first.barcode, first.qc_required) == (supplier, "111", True)
    assert (second.unit, second.reorder_level, second.supplier) == ("kg", Decimal("2.5"), None)
    events = AuditEvent.objects.filter(action="item.create").order_by("object_id")
    assert [event.object_id for event in events] == [str(first.pk), str(second.pk)]
    assert {event.actor for event in events} == {manager_user}


@pytest.mark.parametrize(
    ("second", "column", "message"),
    [
        ({"sku": "imp-1"}, "sku", "SKU imp-1 is also on row 2."),
        ({"sku": "IMP-2", "barcode": "111"}, "barcode", "Barcode 111 is also on row 2."),
    ],
)
def test_two_rows_with_one_sku_or_barcode_create_nothing(manager_user, second, column, message):
    # given
    category = CategoryFactory()
    rows = [(2, _data(category, "IMP-1", barcode="111")), (5, _data(category, **second))]
    # when
    with pytest.raises(ImportRefused) as refused:
        items_import(actor=manager_user, rows=rows)
    # then
    assert refused.value.errors == [RowError(5, column, message)]
    assert not Item.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_row_item_create_refuses_rolls_back_the_rows_before_it(manager_user):
    # given: row 3's SKU is taken, in another case
    category = CategoryFactory()
    ItemFactory(sku="OLD-1")
    before = set(Item.objects.values_list("pk", flat=True))
    rows = [(2, _data(category, "IMP-1")), (3, _data(category, "old-1"))]
    # when
    with pytest.raises(ImportRefused) as refused:
        items_import(actor=manager_user, rows=rows)
    # then
    assert refused.value.errors == [
        RowError(3, "sku", "SKU old-1 is already used by another item (SKUs ignore case).")
    ]
    assert set(Item.objects.values_list("pk", flat=True)) == before
    assert not AuditEvent.objects.filter(action="item.create").exists()


def test_a_deactivated_category_is_refused_by_the_item_rules(manager_user):
    # given
    category = CategoryFactory(name="Old", is_active=False)
    # when
    with pytest.raises(ImportRefused) as refused:
        items_import(actor=manager_user, rows=[(2, _data(category, "IMP-1"))])
    # then
    assert refused.value.errors == [RowError(2, "category", "Category Old is deactivated.")]
    assert not Item.objects.exists()


def test_rows_the_form_refused_keep_nothing_and_every_other_row_is_still_checked(manager_user):
    # given: row 2 could not be read; row 3 is good; row 4 names a taken SKU
    category = CategoryFactory()
    ItemFactory(sku="OLD-1")
    before = set(Item.objects.values_list("pk", flat=True))
    read_refusal = RowError(2, "unit_cost", "Enter a number.")
    rows = [(3, _data(category, "IMP-1")), (4, _data(category, "OLD-1"))]
    # when
    with pytest.raises(ImportRefused) as refused:
        items_import(actor=manager_user, rows=rows, refused=[read_refusal])
    # then
    assert refused.value.errors == [
        read_refusal,
        RowError(4, "sku", "SKU OLD-1 is already used by another item (SKUs ignore case)."),
    ]
    assert set(Item.objects.values_list("pk", flat=True)) == before
    assert not AuditEvent.objects.filter(action="item.create").exists()
