"""More pages on a phone (390x844): the staff's receipt form, the catalogue lists, the
users list, the staff home's movements and the audit log read as cards, so nothing
needs a sideways scroll and every button is on the screen. A desktop (1280x800) keeps
the tables' header rows."""

import pytest
from django.contrib.auth import get_user_model

from inventory.services.audit import audit_record
from inventory.services.purchasing import purchase_order_create, purchase_order_place
from inventory.services.stock import stock_receive
from inventory.tests.factories import (
    CategoryFactory,
    CustomerFactory,
    ItemFactory,
    StoreFactory,
    SupplierFactory,
)

from .conftest import login
from .test_phone_lists import DESKTOP, PHONE

# The page's width, and the buttons, inputs and captions that reach past the screen.
OFF_SCREEN = """width => ({
  scrollWidth: document.documentElement.scrollWidth,
  outside: [...document.querySelectorAll(
      'main button, main input:not([type=hidden]), main select, main .btn, main td')]
    .filter(el => el.getClientRects().length)
    .filter(el => {
      const box = el.getBoundingClientRect();
      return box.left < 0 || box.right > width;
    })
    .map(el => el.outerHTML.slice(0, 80)),
})"""


@pytest.fixture
def reference_data(demo_users):
    """One of each catalogue record, a long-winded audit event, and a movement by staff."""
    staff = get_user_model().objects.get(username=demo_users["Staff"][0])
    store = StoreFactory(code="MAIN-WAREHOUSE", name="Main warehouse and showroom")
    CategoryFactory(name="Fasteners and fixings", description="Bolts, nuts, washers " * 4)
    supplier = SupplierFactory(name="Acme Fasteners Ltd", email="orders@acme-fasteners.example")
    CustomerFactory(name="Bob's Hardware", email="purchasing@bobs-hardware.example")
    audit_record(
        actor=staff,
        action="catalog.item.update",
        obj=store,
        details={"changed": {"address": ["Unit 4, Harbour Road", "Unit 12, Industrial Estate"]}},
    )
    item = ItemFactory(sku="WASHER-M8-ZINC", name="Washer M8, zinc")
    stock_receive(actor=staff, item=item, store=store, quantity="250", lot_code="LOT-2026-0001")
    return {"staff": staff, "store": store, "supplier": supplier}


LISTS = [
    pytest.param("Manager", "/stores/", "catalog-list", id="stores"),
    pytest.param("Manager", "/suppliers/", "catalog-list", id="suppliers"),
    pytest.param("Manager", "/customers/", "catalog-list", id="customers"),
    pytest.param("Manager", "/categories/", "catalog-list", id="categories"),
    pytest.param("Admin", "/users/", "user-list", id="users"),
    pytest.param("Staff", "/", "my-movements", id="staff-home"),
    pytest.param("Manager", "/audit/", "audit-events", id="audit"),
]


@pytest.mark.parametrize(("role", "path", "testid"), LISTS)
def test_phone_list_is_cards_with_every_button_on_screen(
    new_page, demo_users, reference_data, role, path, testid
):
    # given a phone
    page = new_page(viewport=PHONE)
    login(page, *demo_users[role])

    # when the list is shown
    page.goto(path)
    table = page.get_by_test_id(testid)

    # then its rows are cards: no header row, nothing off the screen, no sideways scroll
    assert table.locator("tbody tr").count() >= 1
    assert table.locator("thead").is_hidden()
    geometry = page.evaluate(OFF_SCREEN, PHONE["width"])
    assert geometry["outside"] == [], geometry
    assert geometry["scrollWidth"] <= PHONE["width"], geometry
    assert page.js_errors == []


@pytest.mark.parametrize(("role", "path", "testid"), LISTS)
def test_desktop_list_keeps_its_header_row(
    new_page, demo_users, reference_data, role, path, testid
):
    page = new_page(viewport=DESKTOP)
    login(page, *demo_users[role])

    page.goto(path)

    assert page.get_by_test_id(testid).locator("thead").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    assert page.js_errors == []


def test_staff_home_empty_state_is_not_clipped_on_a_phone(new_page, demo_users):
    # given a staff member with no movement yet, on a phone
    page = new_page(viewport=PHONE)
    login(page, *demo_users["Staff"])

    # then the whole sentence is on the screen
    message = page.get_by_text("You have not recorded any movement yet.")
    box = message.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.fixture
def ordered_po(demo_users, reference_data):
    """An ORDERED purchase order of two lines, waiting to be received."""
    manager = get_user_model().objects.get(username=demo_users["Manager"][0])
    order = purchase_order_create(
        actor=manager,
        supplier=reference_data["supplier"],
        store=reference_data["store"],
        lines=[
            (ItemFactory(sku="BOLT-M8", name="Hex bolt M8 x 40, zinc plated"), "10", "2.00"),
            (ItemFactory(sku="TAPE-50", name="Duct tape 50 m"), "4", "3.00"),
        ],
    )
    return purchase_order_place(actor=manager, order=order)


def test_phone_receipt_form_lines_are_cards_with_full_width_inputs(
    new_page, demo_users, ordered_po
):
    # given a staff member on a phone
    page = new_page(viewport=PHONE)
    login(page, *demo_users["Staff"])

    # when they open the receipt form
    page.goto(f"/purchases/{ordered_po.pk}/receive/")

    # then each input is on the screen, captioned, and nearly as wide as the card
    table = page.get_by_test_id("receive-lines")
    assert table.locator("thead").is_hidden()
    for sku in ("BOLT-M8", "TAPE-50"):
        for label in ("Quantity now", "Lot code", "Expires on"):
            box = page.get_by_label(f"{label} of {sku}").bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (label, box)
            assert box["width"] >= PHONE["width"] - 80, (label, box)
    captions = table.locator("tbody tr").first.locator(".line-caption")
    assert [c.strip() for c in captions.all_inner_texts()] == [
        "Ordered",
        "Received",
        "Outstanding",
        "Quantity now",
        "Lot code",
        "Expires on",
    ]
    geometry = page.evaluate(OFF_SCREEN, PHONE["width"])
    assert geometry["outside"] == [], geometry
    assert geometry["scrollWidth"] <= PHONE["width"], geometry

    # and the form still records a receipt
    page.get_by_label("Quantity now of BOLT-M8").fill("4")
    page.get_by_label("Lot code of BOLT-M8").fill("L-PHONE")
    page.get_by_role("button", name="Record receipt").click()
    page.wait_for_load_state("networkidle")
    ordered_po.refresh_from_db()
    assert ordered_po.status == "PARTIALLY_RECEIVED"
    assert page.js_errors == []


def test_desktop_receipt_form_keeps_its_header_row(new_page, demo_users, ordered_po):
    page = new_page(viewport=DESKTOP)
    login(page, *demo_users["Staff"])

    page.goto(f"/purchases/{ordered_po.pk}/receive/")

    table = page.get_by_test_id("receive-lines")
    assert table.locator("thead").is_visible()
    assert table.locator(".line-caption").first.is_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
