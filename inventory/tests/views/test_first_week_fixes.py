"""Found by a first-week QA pass on an empty install: a comma typed as the decimal point
multiplied figures (the browser read "1,5" as 15), a new item's price box started at "0",
a reorder level of 2.5 pcs was taken, and an unknown store listed every store's stock."""

from decimal import Decimal

import pytest

from inventory.models import Item, SalesOrder
from inventory.services.stock import stock_receive
from inventory.tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db


def test_number_boxes_are_text_with_a_decimal_keypad(staff_client, store):
    html = staff_client.get("/sales/quick/").content.decode()

    assert 'name="lines-0-quantity"' in html
    assert 'type="number"' not in html
    assert 'inputmode="decimal"' in html


def test_a_comma_decimal_is_refused_in_words_and_records_nothing(
    staff_client, manager_user, item, store
):
    stock_receive(actor=manager_user, item=item, store=store, quantity=20)
    form = {
        "idempotency_key": "comma-1",
        "store": store.pk,
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-0-item_q": item.sku,
        "lines-0-quantity": "1,5",
        "lines-0-unit_price": "1,99",
    }

    response = staff_client.post("/sales/quick/", form)

    assert response.status_code == 200
    errors = response.context["formset"].forms[0].errors
    assert errors["quantity"] == ["Use a point for decimals: 1.5, not 1,5."]
    assert errors["unit_price"] == ["Use a point for decimals: 1.5, not 1,5."]
    assert SalesOrder.objects.count() == 0


def test_a_new_items_money_boxes_start_blank_and_blank_is_zero(manager_client):
    category = CategoryFactory()
    html = manager_client.get("/items/new/").content.decode()
    assert 'name="unit_cost" value=' not in html

    response = manager_client.post(
        "/items/new/",
        {"sku": "NEW-1", "name": "New", "category": category.pk, "unit": "pcs"},
    )

    assert response.status_code == 302
    item = Item.objects.get(sku="NEW-1")
    assert (item.unit_cost, item.unit_price, item.reorder_level) == (0, 0, 0)


def test_a_currency_sign_is_refused_in_words(manager_client):
    category = CategoryFactory()

    response = manager_client.post(
        "/items/new/",
        {
            "sku": "NEW-2",
            "name": "New",
            "category": category.pk,
            "unit": "pcs",
            "unit_price": "€2.50",
        },
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
        {
            "sku": "NEW-3",
            "name": "New",
            "category": category.pk,
            "unit": unit,
            "reorder_level": "2.5",
        },
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
