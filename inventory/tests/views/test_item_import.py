"""The item import page: a good file becomes exact items; the page's guard, link,
template and a form sent twice."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from inventory.models import AuditEvent, Item
from inventory.tests.factories import CategoryFactory, SupplierFactory
from inventory.tests.views.item_import_helpers import HEADER, refusals, upload

pytestmark = pytest.mark.django_db

GOOD = (
    f"{HEADER}\n"
    "IMP-1,Blue widget,Tools,pcs,1.20,2.50,10,4006381333931,Small and blue,Acme,yes\n"
    'IMP-2,"Flour, fine",food,KG,0.80,1.10,2.5,,,,no\n'
)


@pytest.fixture
def tools(db):
    CategoryFactory(name="Food")
    return CategoryFactory(name="Tools")


def _assert_good_items(actor):
    first, second = Item.objects.order_by("sku")
    assert (first.sku, first.name, first.category.name, first.unit) == (
        "IMP-1",
        "Blue widget",
        "Tools",
        "pcs",
    )
    assert (first.unit_cost, first.unit_price, first.reorder_level) == (
        Decimal("1.20"),
        Decimal("2.50"),
        Decimal("10"),
    )
    assert (first.barcode, first.description, first.supplier.name, first.qc_required) == (
        "4006381333931",
        "Small and blue",
        "Acme",
        True,
    )
    assert (second.sku, second.name, second.category.name, second.unit) == (
        "IMP-2",
        "Flour, fine",
        "Food",
        "kg",
    )
    assert (second.unit_cost, second.unit_price, second.reorder_level) == (
        Decimal("0.80"),
        Decimal("1.10"),
        Decimal("2.5"),
    )
    assert (second.barcode, second.supplier, second.qc_required) == ("", None, False)
    events = AuditEvent.objects.filter(action="item.create")
    assert sorted(events.values_list("object_id", flat=True)) == sorted(
        [str(first.pk), str(second.pk)]
    )
    assert {event.actor for event in events} == {actor}
    assert AuditEvent.objects.exclude(action="auth.login").count() == 2


def test_a_good_file_imports_exact_items(manager_client, manager_user, tools):
    # given
    SupplierFactory(name="Acme")
    # when
    response = upload(manager_client, GOOD)
    # then
    assert response.status_code == 302
    assert response.url == reverse("inventory:item_list")
    _assert_good_items(manager_user)
    page = manager_client.get(response.url)
    assert "Imported 2 items." in page.content.decode()


@pytest.mark.parametrize(
    "encode",
    [
        pytest.param(lambda text: "\ufeff".encode() + text.encode(), id="utf8-bom"),
        pytest.param(
            lambda text: "\r\n".join(
                ";".join(cells) for cells in csv.reader(io.StringIO(text))
            ).encode("utf-8-sig"),
            id="semicolons-bom-crlf",
        ),
    ],
)
def test_bom_and_semicolon_files_import_the_same(manager_client, manager_user, tools, encode):
    # given
    SupplierFactory(name="Acme")
    # when
    response = upload(manager_client, encode(GOOD))
    # then
    assert response.status_code == 302
    _assert_good_items(manager_user)


def test_columns_in_any_order_and_case_and_optional_ones_left_out(admin_role_client, tools):
    # when
    response = upload(admin_role_client, "Name;CATEGORY;Sku\nHammer;TOOLS;HAM-1\n")
    # then
    assert response.status_code == 302
    item = Item.objects.get()
    assert (item.sku, item.name, item.category, item.unit, item.unit_price) == (
        "HAM-1",
        "Hammer",
        tools,
        "pcs",
        Decimal("0"),
    )


def test_staff_cannot_open_or_post_the_import(staff_client, tools):
    # when
    page = staff_client.get(reverse("inventory:item_import"))
    sent = upload(staff_client, GOOD)
    template = staff_client.get(reverse("inventory:item_import_template"))
    # then
    assert (page.status_code, sent.status_code, template.status_code) == (403, 403, 403)
    assert not Item.objects.exists()


def test_the_item_list_links_the_import_for_managers_only(manager_client, staff_client):
    # when
    for_manager = manager_client.get(reverse("inventory:item_list")).content.decode()
    for_staff = staff_client.get(reverse("inventory:item_list")).content.decode()
    # then
    assert 'href="/items/import/"' in for_manager
    assert 'href="/items/import/"' not in for_staff


def test_the_page_says_existing_skus_are_refused(manager_client):
    # when
    page = manager_client.get(reverse("inventory:item_import")).content.decode()
    # then
    assert 'enctype="multipart/form-data"' in page
    assert "a SKU already in the catalogue is refused" in page
    assert 'href="/items/import/template.csv"' in page


def test_the_template_is_the_header_and_one_example_row_that_imports(manager_client, tools):
    # given
    CategoryFactory(name="Widgets")
    # when
    response = manager_client.get(reverse("inventory:item_import_template"))
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="items-template.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == HEADER.split(",")
    assert len(rows) == 2
    assert not Item.objects.exists()
    # and the example itself imports as it stands
    assert upload(manager_client, response.content).status_code == 302
    assert Item.objects.get().sku == "SKU-0001"


def test_the_same_file_sent_again_is_refused_and_changes_nothing(manager_client, tools):
    # given: the first send went through (a double click, or Back and send)
    SupplierFactory(name="Acme")
    assert upload(manager_client, GOOD).status_code == 302
    items = list(Item.objects.order_by("pk").values())
    events = AuditEvent.objects.count()
    # when
    response = upload(manager_client, GOOD)
    # then
    assert response.status_code == 200
    assert refusals(response) == [
        (2, "sku", "SKU IMP-1 is already used by another item (SKUs ignore case)."),
        (3, "sku", "SKU IMP-2 is already used by another item (SKUs ignore case)."),
    ]
    assert "the first import went through" in response.content.decode()
    assert list(Item.objects.order_by("pk").values()) == items
    assert AuditEvent.objects.count() == events
