"""The item import page refuses a bad file or bad rows in words, and creates nothing."""

import pytest
from django.urls import reverse

from inventory.forms.catalog_import import MAX_BYTES, MAX_ROWS, NOT_UTF8
from inventory.models import AuditEvent, Item
from inventory.tests.factories import CategoryFactory, ItemFactory
from inventory.tests.views.item_import_helpers import csv_file, refusals, upload

pytestmark = pytest.mark.django_db

OK = "OK-1,Fine item,Tools"  # a good row under "sku,name,category"


@pytest.fixture
def catalogue(db):
    CategoryFactory(name="Tools")
    CategoryFactory(name="Retired", is_active=False)
    return ItemFactory(sku="OLD-1")


def _nothing_created(old_item):
    assert list(Item.objects.values_list("pk", flat=True)) == [old_item.pk]
    assert not AuditEvent.objects.exclude(action="auth.login").exists()


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param(
            'sku,name,category,unit_cost\nA-1,Widget,Tools,"1,5"',
            [(2, "unit_cost", "Type the number without a comma: 1.5 with a point, or 1500.")],
            id="decimal-comma",
        ),
        pytest.param(
            "sku,name,category,reorder_level\nA-1,Widget,Tools,-2",
            [(2, "reorder_level", "Reorder level cannot be negative.")],
            id="negative-reorder-level",
        ),
        pytest.param(
            "sku,name,category\nA-1,Widget,Nails",
            [(2, "category", "No category is named “Nails”.")],
            id="unknown-category",
        ),
        pytest.param(
            "sku,name,category\nA-1,Widget,retired",
            [(2, "category", "Category Retired is deactivated.")],
            id="inactive-category",
        ),
        pytest.param(
            "sku,name,category\nA-1,Widget,Tools\na-1,Other widget,Tools",
            [(3, "sku", "SKU a-1 is also on row 4.")],
            id="sku-twice-in-file",
        ),
        pytest.param(
            "sku,name,category,barcode\nA-1,Widget,Tools,123\nA-2,Other,Tools,123",
            [(3, "barcode", "Barcode 123 is also on row 4.")],
            id="barcode-twice-in-file",
        ),
        pytest.param(
            "sku,name,category\nold-1,Widget,Tools",
            [(2, "sku", "SKU old-1 is already used by another item (SKUs ignore case).")],
            id="sku-exists-in-other-case",
        ),
        pytest.param(
            "sku,name,category,unit\nA-1,Widget,Tools,dozen",
            [(2, "unit", "Select a valid choice. dozen is not one of the available choices.")],
            id="bad-unit",
        ),
        pytest.param(
            "sku,name,category\nA-1,Wid\x00get,Tools",
            [(2, "name", "Null characters are not allowed.")],
            id="nul-byte",
        ),
        pytest.param(
            "sku,name,category,qc_required\nA-1,Widget,Tools,maybe",
            [(2, "qc_required", "Write yes or no (true or false, 1 or 0).")],
            id="bad-yes-no",
        ),
        pytest.param(
            "sku,name,category\nA-1,,Tools",
            [(2, "name", "This field is required.")],
            id="missing-name",
        ),
        pytest.param(
            "sku,name,category\nA-1,Widget,Tools,stray",
            [(2, "", "A value in column 4, which has no heading.")],
            id="cell-without-heading",
        ),
    ],
)
def test_a_bad_row_is_listed_with_its_row_and_column(manager_client, catalogue, rows, expected):
    # given: a good row (2) and a blank line (3), then the rows above from row 4 on
    header, *bad = rows.split("\n")
    text = "\n".join([header, OK + "," * header.count(","), "", *bad])
    expected = [(row + 2, column, message) for row, column, message in expected]
    # when
    response = upload(manager_client, text)
    # then
    assert response.status_code == 200
    assert refusals(response) == expected
    assert "Nothing was imported." in response.content.decode()
    _nothing_created(catalogue)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(
            b"sku,name,category,reorder\nA-1,Widget,Tools,3",
            "Unknown columns: “reorder”. The columns are: sku, name, category, unit, "
            "unit_cost, unit_price, reorder_level, barcode, description, supplier, qc_required.",
            id="unknown-column",
        ),
        pytest.param(
            b"sku,name\nA-1,Widget",
            "Required columns are missing: category.",
            id="missing-required-column",
        ),
        pytest.param(b"sku,SKU,name,category\n", "These columns appear twice: sku.", id="twice"),
        pytest.param(b"", "The submitted file is empty.", id="empty-file"),
        pytest.param(b"\xef\xbb\xbf\r\n \r\n", "The file is empty.", id="only-blank-lines"),
        pytest.param(b"sku,name,category\n\n", "The file has a header but no rows.", id="no-rows"),
        pytest.param(
            "sku,name,category\nA-1,Caf\u00e9,Tools".encode("cp1252"),
            "The file is not UTF-8 text. In your spreadsheet, save it as “CSV UTF-8” and "
            "upload it again.",
            id="not-utf8",
        ),
    ],
)
def test_a_bad_file_is_refused_above_the_rows(manager_client, catalogue, data, message):
    # when
    response = upload(manager_client, data)
    # then
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [message]
    assert "errors" not in response.context
    _nothing_created(catalogue)


def test_a_file_over_the_size_cap_is_refused(manager_client, catalogue):
    # given: a valid file, one byte too big
    head = b"sku,name,category,description\nA-1,Widget,Tools,"
    data = head + b"x" * (MAX_BYTES + 1 - len(head))
    # when
    response = upload(manager_client, data)
    # then
    assert response.context["form"].errors["file"] == [
        "The file is larger than 2.0\xa0MB; split it into several files."
    ]
    _nothing_created(catalogue)


def test_a_file_over_the_row_cap_is_refused(manager_client, catalogue):
    # given
    rows = [f"R-{n},Item {n},Tools" for n in range(MAX_ROWS + 1)]
    # when
    response = upload(manager_client, "\n".join(["sku,name,category", *rows]))
    # then
    assert response.context["form"].errors["file"] == [
        "The file has more than 1,000 rows; split it into several files."
    ]
    _nothing_created(catalogue)


def test_many_refusals_list_fifty_and_count_the_rest(manager_client, catalogue):
    # given: 60 rows naming a category that does not exist
    rows = [f"R-{n},Item {n},Nails" for n in range(60)]
    # when
    response = upload(manager_client, "\n".join(["sku,name,category", *rows]))
    # then
    assert len(refusals(response)) == 50
    assert refusals(response)[-1] == (51, "category", "No category is named “Nails”.")
    assert response.context["more_errors"] == 10
    assert "and 10 more." in response.content.decode()
    _nothing_created(catalogue)


def test_a_file_without_a_file_is_refused(manager_client, catalogue):
    # when
    response = manager_client.post(reverse("inventory:item_import"), {})
    # then
    assert response.context["form"].errors["file"] == ["This field is required."]
    _nothing_created(catalogue)


def test_a_non_csv_binary_is_refused(manager_client, catalogue):
    # when
    response = manager_client.post(
        reverse("inventory:item_import"), {"file": csv_file(b"\x89PNG\r\n\x1a\n\x00\x00")}
    )
    # then
    assert response.context["form"].errors["file"] == [NOT_UTF8]
    _nothing_created(catalogue)
