"""Printed documents in a real browser: on paper (print media) only the document shows,
without the menu, buttons or messages; the Print button opens the print dialog; a
10-line purchase order is one page of PDF; on a phone the page is no wider than the
screen; without JavaScript the document still reads and the browser's Print remains."""

import re
from datetime import date

import pytest
from django.contrib.auth import get_user_model

from inventory.services.purchasing import purchase_order_create, purchase_order_place
from inventory.services.sales import sales_quick_sale
from inventory.services.stock import stock_receive
from inventory.tests.factories import CustomerFactory, ItemFactory, StoreFactory, SupplierFactory

from .conftest import login
from .test_phone_lists import DESKTOP, PHONE

# Something a page shows after a redirect ("Draft PO-000001 saved."), put on the print page.
MESSAGE = """() => document.querySelector('main').insertAdjacentHTML('afterbegin',
  '<div class="messages"><div class="alert alert-success" role="alert">Saved.</div></div>')"""


@pytest.fixture
def documents(demo_users):
    """A purchase order of 10 lines placed with its supplier, and a counter sale of 3
    lines shipped to a customer from lot L-1 of each item: their print pages."""
    manager = get_user_model().objects.get(username=demo_users["Manager"][0])
    store = StoreFactory(code="MAIN", name="Main Store", address="1 High St", contact="Ann")
    items = [
        ItemFactory(sku=f"PART-{n:02d}", name=f"Spare part number {n}, boxed") for n in range(10)
    ]
    order = purchase_order_create(
        actor=manager,
        supplier=SupplierFactory(name="Acme Fasteners", address="1 Mill St", phone="0999"),
        store=store,
        note="Deliver before noon.",
        lines=[(item, "12", "3.40") for item in items],
    )
    purchase_order_place(actor=manager, order=order)
    for item in items[:3]:
        stock_receive(
            actor=manager,
            item=item,
            store=store,
            quantity="20",
            lot_code="L-1",
            expires_on=date(2031, 1, 31),
        )
    sale = sales_quick_sale(
        actor=manager,
        store=store,
        customer=CustomerFactory(name="Bay Builders", address="4 Dock Lane"),
        lines=[(item, "5", None) for item in items[:3]],
        idempotency_key="print-sale",
    ).order
    return {
        "purchase": (f"/purchases/{order.pk}/print/", f"Purchase order {order.number}"),
        "sales": (f"/sales/{sale.pk}/print/", f"Delivery note {sale.number}"),
    }


@pytest.mark.parametrize("document", ["purchase", "sales"])
def test_on_paper_only_the_document_shows(new_page, demo_users, documents, document):
    # given a member of staff on a document's print page, a message showing
    page = new_page(viewport=DESKTOP)
    login(page, *demo_users["Staff"])
    path, title = documents[document]
    page.goto(path)
    page.evaluate(MESSAGE)
    nav = page.get_by_role("navigation", name="Main navigation")
    button = page.get_by_role("button", name="Print")
    assert nav.is_visible() and button.is_visible() and page.get_by_text("Saved.").is_visible()

    # when it is printed
    page.emulate_media(media="print")

    # then the menu, the buttons and the message are gone, the document is there
    assert nav.is_hidden()
    assert button.is_hidden()
    assert page.get_by_role("link", name=re.compile("^Back to")).is_hidden()
    assert page.get_by_text("Saved.").is_hidden()
    assert page.get_by_role("heading", name=title).is_visible()
    assert page.get_by_role("table", name="Lines").is_visible()
    assert page.get_by_text("Main Store").first.is_visible()
    assert page.js_errors == []


def test_the_print_button_opens_the_print_dialog(new_page, demo_users, documents):
    page = new_page(viewport=DESKTOP)
    page.add_init_script("window.print = () => { window.printed = (window.printed || 0) + 1; };")
    login(page, *demo_users["Staff"])
    page.goto(documents["purchase"][0])

    page.get_by_role("button", name="Print").click()

    assert page.evaluate("window.printed") == 1


def test_a_ten_line_purchase_order_is_one_page_of_pdf(new_page, demo_users, documents):
    # given the print page of a 10-line order
    page = new_page(viewport=DESKTOP)
    login(page, *demo_users["Staff"])
    page.goto(documents["purchase"][0])

    # when it is saved as PDF (headless chromium, print media)
    pdf = page.pdf(format="A4")

    # then it is one page
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 1


@pytest.mark.parametrize("document", ["purchase", "sales"])
def test_the_print_page_fits_a_phone(new_page, demo_users, documents, document):
    page = new_page(viewport=PHONE)
    login(page, *demo_users["Staff"])

    page.goto(documents[document][0])

    assert page.get_by_role("heading", name=documents[document][1]).is_visible()
    assert page.get_by_role("button", name="Print").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.js_errors == []


def test_without_javascript_the_document_reads_and_no_dead_button_shows(
    new_page, demo_users, documents
):
    page = new_page(viewport=DESKTOP, java_script_enabled=False)
    login(page, *demo_users["Staff"])

    page.goto(documents["sales"][0])

    assert page.get_by_role("heading", name=documents["sales"][1]).is_visible()
    assert page.get_by_role("button", name="Print").is_hidden()
    assert page.get_by_text("Or your browser's Print (Ctrl+P").is_visible()
    lots = page.get_by_role("table", name="Lines").get_by_text("L-1: 5 pcs (expires 2031-01-31)")
    assert lots.count() == 3
