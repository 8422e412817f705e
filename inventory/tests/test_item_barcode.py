"""An item's barcode (DESIGN.md: optional, unique): what a scanner reads off the pack.
A scanned barcode finds the item in the picker, in a form posted without JavaScript and
in the item list's search; two items cannot share one."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from inventory.exceptions import InventoryError
from inventory.models import Item, SalesOrder
from inventory.selectors.stock import stock_totals_for_item
from inventory.services import catalog
from inventory.services.stock import stock_receive
from inventory.tests.factories import ItemFactory
from inventory.tests.views.test_sales_quick import quick_data

pytestmark = pytest.mark.django_db
D = Decimal
EAN = "4006381333931"


def test_a_barcode_is_saved_trimmed_and_audited(manager_user, item):
    catalog.item_update(actor=manager_user, item=item, data={"barcode": f"  {EAN} "})

    item.refresh_from_db()
    assert item.barcode == EAN


def test_two_items_cannot_share_a_barcode(manager_user, item):
    catalog.item_update(actor=manager_user, item=item, data={"barcode": EAN})
    other = ItemFactory(sku="OTHER-1")

    with pytest.raises(InventoryError) as refused:
        catalog.item_update(actor=manager_user, item=other, data={"barcode": EAN})

    assert refused.value.field == "barcode"
    assert str(refused.value) == f"Barcode {EAN} is already on {item.sku}."
    assert Item.objects.get(pk=other.pk).barcode == ""


@pytest.mark.parametrize("code", ["400 638", "x" * 65, "ÄÖÜ123"])
def test_a_barcode_with_spaces_or_other_characters_is_refused(manager_user, item, code):
    with pytest.raises(InventoryError) as refused:
        catalog.item_update(actor=manager_user, item=item, data={"barcode": code})

    assert refused.value.field == "barcode"
    assert Item.objects.get(pk=item.pk).barcode == ""


def test_the_item_form_says_a_shared_barcode_once_next_to_the_field(
    manager_client, manager_user, item
):
    catalog.item_update(actor=manager_user, item=item, data={"barcode": EAN})
    data = {"sku": "NEW-1", "name": "New", "category": item.category_id, "unit": "pcs"}

    page = manager_client.post(reverse("inventory:item_create"), {**data, "barcode": EAN})

    form = page.context["form"]
    assert form.errors == {"barcode": [f"Barcode {EAN} is already on {item.sku}."]}
    assert not Item.objects.filter(sku="NEW-1").exists()


def test_many_items_have_no_barcode_and_the_database_refuses_a_shared_one(item):
    ItemFactory(sku="A-1")
    ItemFactory(sku="A-2")  # blank barcodes never collide
    Item.objects.filter(pk=item.pk).update(barcode=EAN)

    with pytest.raises(IntegrityError), transaction.atomic():
        ItemFactory(sku="A-3", barcode=EAN)


def test_the_picker_offers_the_scanned_item_first(staff_client, item):
    ItemFactory(sku=f"{EAN}-LOOKALIKE")  # its SKU starts with the code
    Item.objects.filter(pk=item.pk).update(barcode=EAN)

    response = staff_client.get(reverse("inventory:picker_items"), {"q": EAN})

    results = response.json()["results"]
    assert [r["value"] for r in results] == [item.sku, f"{EAN}-LOOKALIKE"]


def test_a_scanned_barcode_posted_without_javascript_sells_its_item(
    staff_client, staff_user, store, item
):
    Item.objects.filter(pk=item.pk).update(barcode=EAN)
    stock_receive(actor=staff_user, item=item, store=store, quantity="10")

    response = staff_client.post(
        reverse("inventory:sales_quick"), quick_data(store, {"item_q": EAN, "quantity": "3"})
    )

    order = SalesOrder.objects.get()
    assert response.status_code == 302
    assert [(ln.item_id, ln.quantity) for ln in order.lines.all()] == [(item.pk, D("3"))]
    assert stock_totals_for_item(item=item, store=store)["on_hand"] == D("7")


def test_the_item_list_finds_an_item_by_its_barcode(staff_client, item):
    ItemFactory(sku="OTHER-1")
    Item.objects.filter(pk=item.pk).update(barcode=EAN)

    response = staff_client.get(reverse("inventory:item_list"), {"q": EAN})

    assert [i.sku for i in response.context["page"]] == [item.sku]


def test_the_api_sets_a_barcode_and_finds_the_item_by_it(manager_user, item):
    from api.tests.conftest import client_for

    api = client_for(manager_user)
    set_it = api.patch(f"/api/v1/items/{item.pk}/", {"barcode": EAN})
    other = ItemFactory(sku="OTHER-1")
    taken = api.patch(f"/api/v1/items/{other.pk}/", {"barcode": EAN})
    found = api.get("/api/v1/items/", {"barcode": EAN})
    none = api.get("/api/v1/items/", {"barcode": ""})

    assert set_it.status_code == 200 and set_it.json()["barcode"] == EAN
    assert taken.status_code == 422, taken.json()["errors"]
    assert taken.json()["errors"] == {"barcode": [f"Barcode {EAN} is already on {item.sku}."]}
    assert [row["sku"] for row in found.json()["results"]] == [item.sku]
    assert none.status_code == 200
