"""Found by a first-week QA pass on an empty install: a comma typed as the decimal point
multiplied figures (the browser read "1,5" as 15), a new item's price box started at "0",
a reorder level of 2.5 pcs was taken, and an unknown store listed every store's stock."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from inventory.models import Item, SalesOrder
from inventory.services.stock import stock_receive
from inventory.tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db


def _quick_sale(item, store, key, **line):
    """A one-line quick sale form of `item` in `store`; `line` gives its boxes."""
    return {
        "idempotency_key": key,
        "store": store.pk,
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-0-item_q": item.sku,
        **{f"lines-0-{name}": value for name, value in line.items()},
    }


def _new_item(sku, category, **fields):
    """The new item form: `sku` in pcs in `category`, with `fields` on top."""
    return {"sku": sku, "name": "New", "category": category.pk, "unit": "pcs", **fields}


def test_number_boxes_are_text_with_a_decimal_keypad(staff_client, store):
    html = staff_client.get("/sales/quick/").content.decode()

    assert 'name="lines-0-quantity"' in html
    assert 'type="number"' not in html
    assert 'inputmode="decimal"' in html


def test_a_comma_decimal_is_refused_in_words_and_records_nothing(
    staff_client, manager_user, item, store
):
    stock_receive(actor=manager_user, item=item, store=store, quantity=20)
    form = _quick_sale(item, store, "comma-1", quantity="1,5", unit_price="1,99")

    response = staff_client.post("/sales/quick/", form)

    assert response.status_code == 200
    errors = response.context["formset"].forms[0].errors
    assert errors["quantity"] == ["Type the number without a comma: 1.5 with a point, or 1500."]
    assert errors["unit_price"] == ["Type the number without a comma: 1.5 with a point, or 1500."]
    assert SalesOrder.objects.count() == 0


def test_a_new_items_money_boxes_start_blank_and_blank_is_zero(manager_client):
    category = CategoryFactory()
    html = manager_client.get("/items/new/").content.decode()
    assert 'name="unit_cost" value=' not in html

    response = manager_client.post(
        "/items/new/",
        _new_item("NEW-1", category),
    )

    assert response.status_code == 302
    item = Item.objects.get(sku="NEW-1")
    assert (item.unit_cost, item.unit_price, item.reorder_level) == (0, 0, 0)


def test_a_currency_sign_is_refused_in_words(manager_client):
    category = CategoryFactory()

    response = manager_client.post(
        "/items/new/",
        _new_item("NEW-2", category, unit_price="€2.50"),
    )

    assert response.context["form"].errors["unit_price"] == [
        "Enter an amount such as 2.50, without a currency sign."
    ]
    assert not Item.objects.filter(sku="NEW-2").exists()


@pytest.mark.parametrize(("unit", "word"), [("pcs", "pcs"), ("box", "boxes")])
def test_a_reorder_level_is_whole_for_counted_units(manager_client, unit, word):
    category = CategoryFactory()

    response = manager_client.post(
        "/items/new/",
        _new_item("NEW-3", category, unit=unit, reorder_level="2.5"),
    )

    assert response.context["form"].errors["reorder_level"] == [
        f"Reorder level must be a whole number of {word}."
    ]
    assert not Item.objects.filter(sku="NEW-3").exists()


@pytest.mark.parametrize(
    ("url", "params", "label"),
    [
        ("/stock/", {"store": "999"}, "Store"),
        ("/stock/", {"store": "abc"}, "Store"),
        ("/items/", {"store": "999"}, "Store"),
        ("/items/", {"category": "999"}, "Category"),
    ],
)
def test_an_unknown_store_or_category_lists_nothing_and_says_why(
    staff_client, manager_user, item, store, url, params, label
):
    stock_receive(actor=manager_user, item=item, store=store, quantity=Decimal(3))

    response = staff_client.get(url, params)

    assert response.status_code == 200
    assert list(response.context["page"]) == []
    assert response.context["refusal"] == (
        f"Nothing is shown until the filters are corrected: {label}: choose one from the list."
    )
    assert "filter-refusal" in response.content.decode()


@pytest.mark.parametrize(
    ("url", "words", "create"),
    [
        ("/stores/", "No stores yet.", "/stores/new/"),
        ("/categories/", "No categories yet.", "/categories/new/"),
        ("/suppliers/", "No suppliers yet.", "/suppliers/new/"),
        ("/customers/", "No customers yet.", "/customers/new/"),
    ],
)
def test_an_empty_catalogue_list_says_where_to_add_the_first(manager_client, url, words, create):
    html = manager_client.get(url).content.decode()
    filtered = manager_client.get(url, {"q": "zzz"}).content.decode()

    assert words in html and f'href="{create}"' in html
    assert "match these filters." in filtered and words not in filtered


def test_a_comma_gets_advice_that_cannot_turn_1500_into_1_5(
    staff_client, manager_user, item, store
):
    # found by a regression pass: "use a point: 1.5" led a user meaning 1500 to type 1.500
    stock_receive(actor=manager_user, item=item, store=store, quantity=20)
    form = _quick_sale(item, store, "comma-2", quantity="1,500")

    response = staff_client.post("/sales/quick/", form)

    assert response.context["formset"].forms[0].errors["quantity"] == [
        "Type the number without a comma: 1.5 with a point, or 1500."
    ]
    assert SalesOrder.objects.count() == 0


def test_a_box_of_spaces_is_blank(manager_client):
    category = CategoryFactory()

    response = manager_client.post(
        "/items/new/",
        _new_item("NEW-4", category, reorder_level="  "),
    )

    assert response.status_code == 302
    assert Item.objects.get(sku="NEW-4").reorder_level == 0


def test_an_item_with_a_fractional_level_from_before_can_still_be_edited(manager_client, item):
    # found by a regression pass: a level of 12.5 pcs set before the rule blocked a rename
    Item.objects.filter(pk=item.pk).update(reorder_level=Decimal("12.5"))
    data = {
        "sku": item.sku,
        "name": "Renamed",
        "category": item.category_id,
        "unit": "pcs",
        "reorder_level": "12.5",
        "unit_cost": "1",
        "unit_price": "2",
    }

    response = manager_client.post(f"/items/{item.pk}/edit/", data)

    assert response.status_code == 302
    assert Item.objects.get(pk=item.pk).name == "Renamed"
    changed = manager_client.post(f"/items/{item.pk}/edit/", {**data, "reorder_level": "7.5"})
    assert changed.context["form"].errors["reorder_level"] == [
        "Reorder level must be a whole number of pcs."
    ]


def test_an_empty_item_list_and_stock_page_say_there_is_none_yet(manager_client, staff_client):
    items = manager_client.get("/items/").content.decode()
    staff_items = staff_client.get("/items/").content.decode()
    stock = staff_client.get("/stock/").content.decode()

    assert "No items yet." in items and 'href="/items/new/"' in items
    assert "No items yet." in staff_items and "Add the first item" not in staff_items
    assert "No stock yet" in stock
    assert (
        "No items match these filters."
        in manager_client.get("/items/", {"q": "z"}).content.decode()
    )


def test_a_signed_quantity_box_offers_a_keyboard_with_a_minus(manager_client):
    # Found by a QA pass on a phone: the adjustment's quantity ("negative takes it out")
    # asked for the decimal keypad, which on iOS has no minus key, so a write-off could
    # not be typed. Unsigned quantities keep the keypad.
    html = manager_client.get("/adjustments/new/").content.decode()
    transfer = manager_client.get("/transfers/new/").content.decode()

    box = re.search(r'<input[^>]*name="quantity"[^>]*>', html)[0]
    assert 'inputmode="text"' in box
    line = re.search(r'<input[^>]*name="lines-0-quantity"[^>]*>', transfer)[0]
    assert 'inputmode="decimal"' in line


def test_a_first_item_before_any_category_says_where_to_add_one(manager_client, db):
    # given an empty catalogue: no category yet
    # when the first item is opened, and sent without the category it cannot have
    opened = manager_client.get("/items/new/").content.decode()
    sent = manager_client.post("/items/new/", {"sku": "A1", "name": "Rake", "unit": "pcs"})
    # then both say where categories are added
    hint = "No categories yet: add one first (Manage → Categories), then come back."
    assert hint in opened
    assert hint in sent.content.decode()


def test_the_category_hint_is_gone_once_there_is_one(manager_client, item):
    assert "No categories yet" not in manager_client.get("/items/new/").content.decode()


def test_an_empty_business_is_shown_its_first_steps_on_the_dashboard(admin_role_client, store):
    # Found by a new-owner QA pass: the first page was a dashboard of zeros, no next step.
    from inventory.tests.factories import ItemFactory

    html = admin_role_client.get(reverse("inventory:dashboard")).content.decode()
    steps = html[html.index('data-testid="getting-started"') :].split("</section>")[0]
    ticked = [
        f'✓ <a href="{reverse("inventory:" + n)}"' in steps for n in ("store_create", "item_create")
    ]
    assert ticked == [True, False]  # a store exists, no item yet
    assert reverse("inventory:purchase_new") in steps and reverse("user_list") in steps

    ItemFactory()
    html = admin_role_client.get(reverse("inventory:dashboard")).content.decode()
    assert 'data-testid="getting-started"' not in html
