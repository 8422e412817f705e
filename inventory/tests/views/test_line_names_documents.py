"""Every line of a sale or a purchase names its boxes after the line: "Quantity, line 2", not
"Quantity" on every line, so a screen-reader user knows which line a box is in. Rendered by
the server (with or without JavaScript): one line, three lines, and a refused form."""

import pytest
from django.urls import reverse

from inventory.services.purchasing import purchase_order_create
from inventory.services.sales import sales_order_create
from inventory.tests.factories import ItemFactory
from inventory.tests.views.line_names_helpers import (
    DIRECT_FIELDS,
    ORDER_FIELDS,
    SALE_FIELDS,
    control_attrs,
    expected_line_names,
    lines_data,
    named_controls,
)

pytestmark = pytest.mark.django_db

LINE_ID = r"id_lines-(\d+|__prefix__)-\w+"
# The new-document pages: their URL name and the fields of a line.
PAGES = {
    "quick sale": ("inventory:sales_quick", SALE_FIELDS),
    "sales order": ("inventory:sales_new", SALE_FIELDS),
    "purchase order": ("inventory:purchase_order_new", ORDER_FIELDS),
    "direct purchase": ("inventory:purchase_new", DIRECT_FIELDS),
}


@pytest.fixture
def skus(db):
    return [ItemFactory(sku=sku, reorder_level=0) for sku in ("BOLT-M8", "NUT-M8", "WASHER-8")]


def _header(page, store, supplier) -> dict:
    if page in ("quick sale", "sales order"):
        return {"idempotency_key": "tok-names", "store": store.pk}
    return {"idempotency_key": "tok-names", "supplier": supplier.pk, "store": store.pk}


def _row(item, quantity="2", **more) -> dict:
    return {"item_q": item.sku, "quantity": quantity, **more}


def _assert_lines_named(html, numbers, fields):
    assert named_controls(html, LINE_ID) == expected_line_names(numbers, fields)
    for number in numbers:
        item = control_attrs(html, f"id_lines-{number - 1}-item")
        assert item["data-listbox-label"] == f"Matches, line {number}"  # picker.js's list


@pytest.mark.parametrize("page", PAGES)
def test_a_new_documents_one_line_is_line_1_and_the_line_to_add_gets_its_number(
    manager_client, page
):
    url, fields = PAGES[page]

    html = manager_client.get(reverse(url)).content.decode()

    _assert_lines_named(html, [1], fields)
    # The empty line that app.js copies: its number is written where __line__ stands.
    template = named_controls(html, LINE_ID, in_template=True)
    assert template == expected_line_names(["__line__"], fields)
    item = control_attrs(html, "id_lines-__prefix__-item")
    assert item["data-listbox-label"] == "Matches, line __line__"


@pytest.mark.parametrize("page", PAGES)
def test_three_lines_added_without_javascript_are_lines_1_2_and_3(
    manager_client, store, supplier, skus, page
):
    url, fields = PAGES[page]
    data = _header(page, store, supplier) | lines_data(_row(skus[0]), _row(skus[1]))

    response = manager_client.post(reverse(url), data | {"add_line": "1"})

    assert response.status_code == 200
    _assert_lines_named(response.content.decode(), [1, 2, 3], fields)


@pytest.mark.parametrize("page", PAGES)
def test_a_refused_form_keeps_each_lines_name_and_marks_the_box_to_fix(
    manager_client, store, supplier, skus, page
):
    url, fields = PAGES[page]
    rows = (_row(skus[0]), _row(skus[1], quantity="abc"), _row(skus[2]))

    response = manager_client.post(reverse(url), _header(page, store, supplier) | lines_data(*rows))

    html = response.content.decode()
    assert response.status_code == 200 and "Enter a number." in html
    _assert_lines_named(html, [1, 2, 3], fields)
    assert control_attrs(html, "id_lines-1-quantity")["aria-invalid"] == "true"


@pytest.mark.parametrize("page", PAGES)
def test_a_line_removed_before_a_refusal_leaves_no_two_lines_with_one_number(
    manager_client, store, supplier, skus, page
):
    url, fields = PAGES[page]
    rows = (_row(skus[0]), _row(skus[1], DELETE="on"), _row(skus[2], quantity="abc"))

    response = manager_client.post(reverse(url), _header(page, store, supplier) | lines_data(*rows))

    # Lines keep the numbers they were shown with: the removed line 2 is gone, line 3 stays 3.
    assert response.status_code == 200
    _assert_lines_named(response.content.decode(), [1, 3], fields)


def test_a_sale_refused_for_short_stock_names_each_line(manager_client, store, skus):
    rows = (_row(skus[0]), _row(skus[1]), _row(skus[2]))  # none of them in stock
    data = _header("quick sale", store, None) | lines_data(*rows)

    response = manager_client.post(reverse("inventory:sales_quick"), data)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Only 0 pcs of NUT-M8 available in Main Store; 2 requested." in html
    _assert_lines_named(html, [1, 2, 3], SALE_FIELDS)


@pytest.mark.parametrize("count", [1, 3])
def test_a_sales_drafts_lines_are_named_by_line_on_its_edit_page(
    manager_client, manager_user, store, skus, count
):
    order = sales_order_create(
        actor=manager_user,
        store=store,
        customer=None,
        lines=[(item, "2", None) for item in skus[:count]],
    )

    response = manager_client.get(reverse("inventory:sales_edit", args=[order.pk]))

    _assert_lines_named(response.content.decode(), list(range(1, count + 1)), SALE_FIELDS)


@pytest.mark.parametrize("count", [1, 3])
def test_a_purchase_drafts_lines_are_named_by_line_on_its_edit_page(
    manager_client, manager_user, store, supplier, skus, count
):
    order = purchase_order_create(
        actor=manager_user,
        supplier=supplier,
        store=store,
        lines=[(item, "2", "1.00") for item in skus[:count]],
    )

    response = manager_client.get(reverse("inventory:purchase_edit", args=[order.pk]))

    # The draft's lines, then the blank one the page offers for another.
    _assert_lines_named(response.content.decode(), list(range(1, count + 2)), ORDER_FIELDS)


@pytest.mark.parametrize("document", ["sales", "purchase"])
def test_a_refused_edit_keeps_each_lines_name(
    manager_client, manager_user, store, supplier, skus, document
):
    if document == "sales":
        order = sales_order_create(
            actor=manager_user, store=store, customer=None, lines=[(i, "2", None) for i in skus]
        )
        url, fields, header = "inventory:sales_edit", SALE_FIELDS, {"store": store.pk}
    else:
        order = purchase_order_create(
            actor=manager_user,
            supplier=supplier,
            store=store,
            lines=[(i, "2", "1.00") for i in skus],
        )
        url, fields = "inventory:purchase_edit", ORDER_FIELDS
        header = {"supplier": supplier.pk, "store": store.pk}
    rows = (_row(skus[0]), _row(skus[1]), _row(skus[2], quantity="-1"))
    data = header | {"shown": order.version} | lines_data(*rows, initial=3)

    response = manager_client.post(reverse(url, args=[order.pk]), data)

    html = response.content.decode()
    assert response.status_code == 200
    _assert_lines_named(html, [1, 2, 3], fields)
    assert control_attrs(html, "id_lines-2-quantity")["aria-invalid"] == "true"
