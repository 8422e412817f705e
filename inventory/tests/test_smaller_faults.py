"""Smaller faults of issue 15: a Decimal minimum, neutralised CSV cells, constraint
messages for people."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from inventory.forms.catalog import CategoryForm, ItemForm
from inventory.forms.common import QuantityField
from inventory.models import AuditEvent, Item
from inventory.services.stock import stock_receive
from inventory.tests.factories import CategoryFactory, ItemFactory, StoreFactory
from inventory.views.csv_export import FORMULA_PREFIXES, csv_cell


def test_the_smallest_quantity_is_accepted_and_anything_smaller_refused():
    # Found: 0.001 was refused ("must be >= 0.001"): the minimum was the float 0.001.
    field = QuantityField()

    assert field.clean("0.001") == Decimal("0.001")
    with pytest.raises(Exception, match="Use at most 3 decimal places."):
        field.clean("0.0009")
    with pytest.raises(Exception, match="Enter a quantity greater than zero."):
        field.clean("0.000")


@pytest.mark.parametrize("value", ["NaN", "sNaN", "-sNaN", "Infinity", "-Infinity", "1e400"])
def test_a_quantity_that_is_not_a_finite_number_is_a_form_error(value):
    with pytest.raises(Exception) as refused:
        QuantityField().clean(value)

    assert type(refused.value).__name__ == "ValidationError"


@given(st.text(max_size=30))
@example('=HYPERLINK("http://evil.example","x")')
@example("+1+1")
@example("-2+3")
@example("@SUM(A1:A2)")
@example("\t=1+1")
@example("\r=1+1")
def test_a_csv_text_cell_never_starts_a_formula(text):
    cell = csv_cell(text)

    assert not cell.startswith(FORMULA_PREFIXES)
    assert cell == ("'" + text if text.startswith(FORMULA_PREFIXES) else text)


def test_csv_cells_keep_numbers_and_empty_values():
    assert csv_cell(Decimal("-5.000")) == Decimal("-5.000")
    assert csv_cell(None) == ""


def _rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


@pytest.mark.django_db
def test_every_text_cell_of_the_movements_export_is_neutralised(manager_client, manager_user):
    # Found: store codes were exported raw. Every text column starts with a formula here.
    store = StoreFactory(code="=CODE", name="@Store")
    item = ItemFactory(sku="+SKU", name="-Name")
    stock_receive(
        actor=manager_user, item=item, store=store, quantity=3, lot_code="=LOT", note="@note"
    )
    manager_user.username = "=user"
    manager_user.save()

    rows = _rows(manager_client.get(reverse("inventory:ledger_export")))

    header, row = rows[0], rows[1]
    cells = dict(zip(header, row, strict=True))
    assert cells["sku"] == "'+SKU"
    assert cells["item"] == "'-Name"
    assert cells["store"] == "'=CODE"
    assert cells["lot"] == "'=LOT"
    assert cells["note"] == "'@note"
    assert [c for c in row if c.startswith(FORMULA_PREFIXES)] == []


@pytest.mark.django_db
def test_every_text_cell_of_the_audit_export_is_neutralised(manager_client):
    AuditEvent.objects.create(
        actor_username="=user",
        action="+action",
        object_type="-type",
        object_id="@1",
        object_repr="=repr",
        user_agent="\tagent",
        details={"note": "=x"},
    )

    rows = _rows(manager_client.get(reverse("inventory:audit_export")))

    row = rows[1]
    assert row[1:6] == ["'=user", "'+action", "'-type", "'@1", "'=repr"]
    assert [c for c in row if c.startswith(FORMULA_PREFIXES)] == []


@pytest.mark.django_db
def test_catalogue_forms_show_messages_written_for_people_not_constraint_names():
    # Found: "Constraint item_sku_ci_unique is violated" above the item form.
    category = CategoryFactory(name="Tools")
    ItemFactory(sku="ABC-1", category=category)
    data = {
        "sku": "abc-1",
        "name": "Copy",
        "category": category.pk,
        "unit": "pcs",
        "unit_cost": "1",
        "unit_price": "-1",
        "reorder_level": "0",
    }

    item_form = ItemForm(data)
    category_form = CategoryForm({"name": "TOOLS", "description": ""})

    assert not item_form.is_valid() and not category_form.is_valid()
    assert item_form.errors == {
        "sku": ["SKU abc-1 is already used by another item (SKUs ignore case)."],
        "unit_price": ["Unit price cannot be negative."],
    }
    assert category_form.errors == {"name": ["A category named TOOLS already exists."]}
    assert Item.objects.count() == 1


@pytest.mark.django_db
def test_the_item_admin_shows_the_same_messages(admin_role_client):
    category = CategoryFactory(name="Tools")
    ItemFactory(sku="ABC-1", category=category)

    response = admin_role_client.post(
        "/admin/inventory/item/add/",
        {
            "sku": "abc-1",
            "name": "Copy",
            "category": category.pk,
            "unit": "pcs",
            "unit_cost": "1",
            "unit_price": "sNaN",
            "reorder_level": "-1",
        },
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "Constraint" not in body
    assert "SKU abc-1 is already used by another item" in body
    assert "Reorder level cannot be negative." in body
    assert Item.objects.count() == 1
