"""Document detail pages on a phone (390x844): each line is a card, so its figures are on
the screen with their captions, the order value reads on one line, and a sales line's
Return form fits. On a desktop (1280x800) the tables keep their header rows."""

import pytest
from django.contrib.auth import get_user_model

from inventory.services.purchasing import (
    purchase_order_create,
    purchase_order_place,
    purchase_order_receive,
)
from inventory.services.sales import sales_quick_sale
from inventory.services.stock import stock_receive
from inventory.tests.factories import ItemFactory, StoreFactory, SupplierFactory

from .conftest import login
from .test_phone_lists import DESKTOP, FIRST_ROW_CELL, PHONE


@pytest.fixture
def documents(demo_users):
    """A counter sale of 5 of 12 bolts (shipped, returnable) and an order for 10 bolts
    at 2.00 of which 4 have arrived (6 outstanding): their detail pages."""
    manager = get_user_model().objects.get(username=demo_users["Manager"][0])
    item = ItemFactory(sku="BOLT-M8", name="Hex bolt M8 x 40, zinc plated, box of fifty")
    store = StoreFactory(code="MAIN", name="Main Store")
    stock_receive(actor=manager, item=item, store=store, quantity="12", lot_code="L-1")
    sale = sales_quick_sale(
        actor=manager,
        store=store,
        customer=None,
        lines=[(item, "5", "3.50")],
        idempotency_key="phone-docs-sale",
    ).order
    order = purchase_order_create(
        actor=manager,
        supplier=SupplierFactory(name="Acme Fasteners"),
        store=store,
        lines=[(item, "10", "2.00")],
    )
    order = purchase_order_place(actor=manager, order=order)
    purchase_order_receive(
        actor=manager,
        order=order,
        receipts=[{"line": order.lines.get(), "quantity": "4", "lot_code": "L-2"}],
    )
    return {"sales": sale.get_absolute_url(), "purchase": order.get_absolute_url()}


# (document, the table as a person finds it, heading of a figure, its text)
FIGURES = [
    pytest.param("sales", ("role", "Lines"), "Shipped", "5", id="sales-shipped"),
    pytest.param("sales", ("role", "Lines"), "Value", "17.50", id="sales-value"),
    pytest.param("purchase", ("testid", "po-lines"), "Outstanding", "6", id="po-outstanding"),
    pytest.param("purchase", ("testid", "po-receipts"), "Quantity", "4", id="po-receipt-qty"),
]


def find_table(page, how):
    kind, name = how
    if kind == "role":
        return page.get_by_role("table", name=name, exact=True)
    return page.get_by_test_id(name)


def on_screen(locator):
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]


@pytest.mark.parametrize(("document", "table", "label", "text"), FIGURES)
def test_phone_document_shows_each_figure_with_its_caption(
    new_page, demo_users, documents, document, table, label, text
):
    # given a phone
    page = new_page(viewport=PHONE)
    login(page, *demo_users["Manager"])

    # when the document is shown
    page.goto(documents[document])
    lines = find_table(page, table)
    cell = lines.evaluate(FIRST_ROW_CELL, label)

    # then the figure is on the screen, captioned, and the table does not scroll sideways
    assert cell["text"] == text, cell
    assert cell["left"] >= 0 and cell["right"] <= PHONE["width"], cell
    assert cell["scrollWidth"] <= cell["clientWidth"], cell
    assert label in cell["caption"], cell
    assert lines.locator("thead").is_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.js_errors == []


def test_phone_purchase_order_value_reads_on_one_line(new_page, demo_users, documents):
    # given a phone
    page = new_page(viewport=PHONE)
    login(page, *demo_users["Manager"])

    # when the purchase order is shown
    page.goto(documents["purchase"])
    footer = page.get_by_test_id("po-lines").locator("tfoot tr")

    # then "Order value 20.00" is one line on the screen
    caption = footer.get_by_text("Order value", exact=True)
    value = page.get_by_test_id("order-value")
    assert value.inner_text() == "20.00"
    assert on_screen(caption) and on_screen(value)
    assert caption.bounding_box()["y"] == value.bounding_box()["y"]
    assert footer.bounding_box()["height"] < 2 * value.bounding_box()["height"] + 16


def test_phone_sales_line_can_record_a_return(new_page, demo_users, documents):
    # given a phone
    page = new_page(viewport=PHONE)
    login(page, *demo_users["Manager"])

    # when the shipped sale is shown
    page.goto(documents["sales"])

    # then the order value and the whole Return form are on the screen
    assert page.get_by_test_id("value").inner_text() == "17.50"
    assert on_screen(page.get_by_test_id("value"))
    assert on_screen(page.get_by_label("Return quantity of BOLT-M8"))
    assert on_screen(page.get_by_label("Return note for BOLT-M8"))
    assert on_screen(page.get_by_role("button", name="Record return"))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.parametrize(("document", "table", "label", "text"), FIGURES)
def test_desktop_document_keeps_its_header_rows(
    new_page, demo_users, documents, document, table, label, text
):
    # given a desktop window
    page = new_page(viewport=DESKTOP)
    login(page, *demo_users["Manager"])

    # when the document is shown
    page.goto(documents[document])
    lines = find_table(page, table)
    cell = lines.evaluate(FIRST_ROW_CELL, label)

    # then the header row names the columns and the figure sits at the right, uncaptioned
    assert lines.locator("thead").is_visible()
    assert lines.get_by_role("columnheader", name=label, exact=True).is_visible()
    assert cell["text"] == text
    assert cell["align"] == "right"
    assert cell["caption"] == "none"
    assert page.js_errors == []
