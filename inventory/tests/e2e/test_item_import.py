"""A manager imports items from a CSV file, on a desktop and on a phone: a refused row
is listed with its row number, the mended file imports."""

import pytest
from playwright.sync_api import expect

from inventory.models import Item
from inventory.tests.factories import CategoryFactory

from .conftest import login
from .test_picker import VIEWPORTS

BAD = b"sku;name;category;unit_price\nIMP-1;Hammer;Tools;9.50\nIMP-2;Saw;Nails;12\n"
GOOD = b"sku;name;category;unit_price\nIMP-1;Hammer;Tools;9.50\nIMP-2;Saw;tools;12\n"


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_a_manager_imports_items_from_a_csv_file(new_page, demo_users, viewport):
    # given
    CategoryFactory(name="Tools")
    page = new_page(viewport=VIEWPORTS[viewport])
    login(page, *demo_users["Manager"])
    width = VIEWPORTS[viewport]["width"]

    # when the manager opens the import from the item list and sends a file with a bad row
    page.goto("/items/")
    page.get_by_role("link", name="Import CSV").click()
    page.get_by_label("CSV file").set_input_files(
        files=[{"name": "items.csv", "mimeType": "text/csv", "buffer": BAD}]
    )
    page.get_by_role("button", name="Import").click()

    # then nothing is imported and row 3 is named
    expect(page.get_by_text("Nothing was imported.")).to_be_visible()
    expect(page.get_by_test_id("import-errors")).to_contain_text("No category is named “Nails”.")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert not Item.objects.exists()

    # when the mended file is sent
    page.get_by_label("CSV file").set_input_files(
        files=[{"name": "items.csv", "mimeType": "text/csv", "buffer": GOOD}]
    )
    page.get_by_role("button", name="Import").click()

    # then both items are in the list
    expect(page.get_by_text("Imported 2 items.")).to_be_visible()
    assert sorted(Item.objects.values_list("sku", "name")) == [
        ("IMP-1", "Hammer"),
        ("IMP-2", "Saw"),
    ]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.js_errors == []
