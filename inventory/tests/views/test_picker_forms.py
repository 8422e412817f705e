"""The pickers in the forms: fields that resolve what is typed (or an id), and form
pages that render only the chosen options, whatever the size of the catalogue."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inventory.forms.purchasing import OrderLineForm
from inventory.forms.stock import AdjustmentForm
from inventory.forms.widgets import ItemPickerField
from inventory.models import SalesOrder
from inventory.services.purchasing import purchase_order_create
from inventory.services.sales import sales_order_create
from inventory.services.stock import stock_receive
from inventory.tests.factories import CustomerFactory, ItemFactory, SupplierFactory
from inventory.tests.services.stock_helpers import snapshot

pytestmark = pytest.mark.django_db
D = Decimal


def receive(user, item, store, quantity, code, **extra):
    stock_receive(actor=user, item=item, store=store, quantity=quantity, lot_code=code, **extra)
    return item.lots.get(code=code)


# --- the fields ------------------------------------------------------------------


def line_form(**data):
    return OrderLineForm({"quantity": "1", **data})


def test_the_item_field_takes_an_id_or_a_typed_sku_in_any_case(item):
    assert line_form(item=str(item.pk)).is_valid()
    by_id = line_form(item=str(item.pk))
    by_id.is_valid()
    by_sku = line_form(item_q="  sku-0042 ")
    by_sku.is_valid()

    assert by_id.cleaned_data["item"] == item
    assert by_sku.cleaned_data["item"] == item


def test_typed_text_wins_over_an_id(item):
    # The browser posts the text box; an id under the field's name is a client's.
    other = ItemFactory(sku="OTHER-1")
    form = line_form(item=str(other.pk), item_q="SKU-0042")

    assert form.is_valid()
    assert form.cleaned_data["item"] == item


@pytest.mark.parametrize(
    "data, error",
    [
        ({"item_q": "NOPE-1"}, "No item has the SKU or barcode “NOPE-1”."),
        ({"item_q": ""}, "This field is required."),
        ({"item_q": "   "}, "This field is required."),
        ({}, "This field is required."),
        ({"item": "999999"}, "Select a valid choice. No item has the id 999999."),
        ({"item": "9" * 30}, f"Select a valid choice. No item has the id {'9' * 30}."),
        ({"item": "-1"}, "Select a valid choice. No item has the id -1."),
        ({"item": "1e3"}, "Select a valid choice. No item has the id 1e3."),
        ({"item": "abc"}, "Select a valid choice. No item has the id abc."),
        ({"item_q": "SKU\x00-0042"}, "Null characters are not allowed."),
        ({"item_q": "x" * 101}, "Ensure this value has at most 100 characters."),
    ],
)
def test_the_item_field_refuses_what_names_no_item(item, data, error):
    form = line_form(**data)

    assert not form.is_valid()
    assert form.errors["item"] == [error]


def test_a_deactivated_item_is_refused_unless_the_field_allows_it(item):
    item.is_active = False
    item.save()

    assert line_form(item_q="SKU-0042").errors["item"] == [
        "SKU-0042 Blue widget is deactivated; choose another item."
    ]
    assert line_form(item=str(item.pk)).errors["item"] == [
        "SKU-0042 Blue widget is deactivated; choose another item."
    ]
    assert ItemPickerField(include_inactive=True).clean(str(item.pk)) == item


def adjustment(item, store, **data):
    return AdjustmentForm(
        {
            "item_q": item.sku,
            "store": store.pk,
            "quantity": "-1",
            "reason": "COUNT",
            "idempotency_key": "k",
            **data,
        }
    )


def test_a_typed_lot_code_is_resolved_within_the_chosen_item(manager_user, store, item):
    lot = receive(manager_user, item, store, 3, "A-1")
    receive(manager_user, ItemFactory(sku="OTHER-1"), store, 3, "B-1")

    exact, any_case = adjustment(item, store, lot_q="A-1"), adjustment(item, store, lot_q="a-1")

    assert exact.is_valid() and any_case.is_valid()
    assert exact.cleaned_data["lot"] == lot == any_case.cleaned_data["lot"]
    # another item's lot says whose it is; a code of no lot says so, and, for stock to
    # add, how stock never received is recorded
    assert adjustment(item, store, lot_q="B-1").errors["lot"] == [
        "Lot B-1 is a lot of OTHER-1, not of SKU-0042."
    ]
    assert adjustment(item, store, lot_q="C-1").errors["lot"] == ["SKU-0042 has no lot “C-1”."]
    (missing,) = adjustment(item, store, lot_q="C-1", quantity="2", reason="FOUND").errors["lot"]
    assert missing.startswith("SKU-0042 has no lot “C-1”. An adjustment corrects a lot on record")
    assert adjustment(item, store, lot_q="").errors["lot"] == ["This field is required."]
    assert adjustment(item, store, lot_q="Z", item_q="").errors == {
        "item": ["This field is required."]
    }


# --- the pages -------------------------------------------------------------------

PAGES = [
    ("staff_client", "inventory:sales_quick"),
    ("staff_client", "inventory:sales_new"),
    ("staff_client", "inventory:purchase_new"),
    ("manager_client", "inventory:purchase_order_new"),
    ("manager_client", "inventory:transfer_new"),
    ("manager_client", "inventory:adjustment_new"),
]


def _page_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries.captured_queries)


@pytest.mark.parametrize("who, name", PAGES)
def test_form_pages_do_not_list_the_catalogue(request, manager_user, store, who, name):
    # given 5 items, customers and suppliers, then 200 more of each
    client, url = request.getfixturevalue(who), reverse(name)
    items = [ItemFactory(sku=f"CAT-{n:04d}") for n in range(5)]
    for it in items:
        receive(manager_user, it, store, 1, "LOT-X")
    for n in range(5):
        CustomerFactory(name=f"PARTY-C{n:04d}")
        SupplierFactory(name=f"PARTY-S{n:04d}")
    html_few, queries_few = _page_queries(client, url)
    for n in range(5, 205):
        ItemFactory(sku=f"CAT-{n:04d}")
        CustomerFactory(name=f"PARTY-C{n:04d}")
        SupplierFactory(name=f"PARTY-S{n:04d}")

    # when
    html_many, queries_many = _page_queries(client, url)

    # then neither page names an item, a lot, a customer or a supplier, and both cost
    # the same queries
    assert "CAT-0" not in html_few and "CAT-0" not in html_many
    assert "PARTY-" not in html_few and "PARTY-" not in html_many
    assert "LOT-X" not in html_many
    assert 'data-picker="item"' in html_many
    assert queries_many == queries_few


def test_an_edit_page_shows_only_the_items_of_its_lines(staff_client, staff_user, store, item):
    others = [ItemFactory(sku=f"CAT-{n:04d}") for n in range(20)]
    order = sales_order_create(
        actor=staff_user,
        store=store,
        customer=None,
        lines=[(item, D("1"), None), (others[3], D("2"), None)],
    )

    html = staff_client.get(reverse("inventory:sales_edit", args=[order.pk])).content.decode()

    assert 'name="lines-0-item_q" value="SKU-0042"' in html
    assert 'name="lines-1-item_q" value="CAT-0003"' in html
    assert [f"CAT-{n:04d}" in html for n in range(20)].count(True) == 1


def test_a_quick_sale_by_typed_sku(staff_client, manager_user, store, item):
    receive(manager_user, item, store, 5, "A")

    response = staff_client.post(
        reverse("inventory:sales_quick"),
        {
            "idempotency_key": "quick-1",
            "store": store.pk,
            "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "0",
            "lines-0-item_q": "sku-0042",
            "lines-0-quantity": "2",
        },
    )

    order = SalesOrder.objects.get()
    assert response.status_code == 302
    assert [(line.item_id, line.quantity) for line in order.lines.all()] == [(item.pk, D("2"))]


def test_a_refused_quick_sale_shows_what_was_typed_and_changes_nothing(
    staff_client, manager_user, store, item
):
    receive(manager_user, item, store, 5, "A")
    before = snapshot()

    response = staff_client.post(
        reverse("inventory:sales_quick"),
        {
            "idempotency_key": "quick-1",
            "store": store.pk,
            "lines-TOTAL_FORMS": "2",
            "lines-INITIAL_FORMS": "0",
            "lines-0-item_q": "sku-0042",
            "lines-0-quantity": "2",
            "lines-1-item_q": "NOPE<b>",
            "lines-1-quantity": "1",
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="lines-1-item_q" value="NOPE&lt;b&gt;"' in html
    assert "No item has the SKU or barcode “NOPE&lt;b&gt;”." in html
    # the line that resolved shows its item's SKU, and its name under the box
    assert 'name="lines-0-item_q" value="SKU-0042"' in html and "Blue widget" in html
    assert snapshot() == before
    assert SalesOrder.objects.count() == 0


def test_a_direct_purchase_by_typed_sku(staff_client, store, item):
    supplier = SupplierFactory()

    response = staff_client.post(
        reverse("inventory:purchase_new"),
        {
            "idempotency_key": "direct-1",
            "supplier": supplier.pk,
            "store": store.pk,
            "lines-TOTAL_FORMS": "2",
            "lines-INITIAL_FORMS": "0",
            "lines-0-item_q": "SKU-0042",
            "lines-0-quantity": "4",
            "lines-1-item_q": "",  # the blank extra row is no line
            "lines-1-quantity": "",
        },
    )

    assert response.status_code == 302
    assert item.lots.get().balances.get(store=store).on_hand == D("4")


@pytest.mark.parametrize("kind", ["sales", "purchase"])
def test_edit_pages_cost_the_same_queries_for_one_line_and_ten(
    manager_client, manager_user, store, kind
):
    # given a draft of 1 line and one of 10
    supplier = SupplierFactory()
    items = [ItemFactory(sku=f"ED-{n:03d}") for n in range(10)]

    def draft(count):
        if kind == "sales":
            lines = [(it, D("1"), None) for it in items[:count]]
            order = sales_order_create(actor=manager_user, store=store, customer=None, lines=lines)
            return reverse("inventory:sales_edit", args=[order.pk])
        lines = [(it, D("1"), None) for it in items[:count]]
        order = purchase_order_create(
            actor=manager_user, supplier=supplier, store=store, lines=lines
        )
        return reverse("inventory:purchase_edit", args=[order.pk])

    # when each is opened
    html_one, queries_one = _page_queries(manager_client, draft(1))
    html_ten, queries_ten = _page_queries(manager_client, draft(10))

    # then each shows its lines' SKUs, at the same number of queries
    assert html_one.count('value="ED-') == 1
    assert html_ten.count('value="ED-') == 10
    assert queries_ten == queries_one


@pytest.mark.parametrize("by", ["sku", "id"])
def test_a_quick_sale_post_costs_the_same_statements_for_one_line_and_ten(
    staff_client, manager_user, store, by
):
    items = [ItemFactory(sku=f"QS-{n:03d}") for n in range(11)]
    for n, it in enumerate(items):
        receive(manager_user, it, store, 5, f"L{n}")

    def post(chosen, key):
        data = {
            "idempotency_key": key,
            "store": store.pk,
            "lines-TOTAL_FORMS": str(len(chosen)),
            "lines-INITIAL_FORMS": "0",
        }
        for n, it in enumerate(chosen):
            field = "item_q" if by == "sku" else "item"
            data[f"lines-{n}-{field}"] = it.sku.lower() if by == "sku" else str(it.pk)
            data[f"lines-{n}-quantity"] = "2"
        with CaptureQueriesContext(connection) as queries:
            response = staff_client.post(reverse("inventory:sales_quick"), data)
        assert response.status_code == 302
        return len(queries.captured_queries)

    post(items[:1], "k-first")  # the first sale remembers the store in the session
    one, ten = post(items[:1], "k-one"), post(items[1:], "k-ten")

    assert ten == one
    sold = {
        line.item_id: line.quantity
        for line in SalesOrder.objects.get(lines__item=items[5]).lines.all()
    }
    assert sold == {it.pk: D("2") for it in items[1:]}
