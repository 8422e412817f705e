"""Enter in the lines of a direct purchase, a purchase order's receipt and a shipment, in a
real browser.
Found by a QA pass: the picker sends a scan on to the line's quantity, and the Enter after
the quantity (the till's habit, where it goes to the next line) received the purchase at
once with its first line only, before its other lines, lot codes and expiry dates were
typed; on a receipt, Enter in the first line's quantity received that line alone, into a
generated lot (purchasing.js, data-line-keys); on a ship page, whose boxes start at all
that is reserved, Enter after mending the first line shipped every other line in full
(app.js, data-enter-next)."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from inventory.models import LedgerEntry, PurchaseOrder, SalesOrder
from inventory.services.purchasing import purchase_order_create, purchase_order_place
from inventory.services.sales import sales_order_confirm, sales_order_create
from inventory.services.stock import stock_receive
from inventory.tests.factories import ItemFactory, StoreFactory, SupplierFactory

from .conftest import login
from .test_picker import VIEWPORTS

D = Decimal


def fits(page) -> bool:
    """No sideways scrolling at the page's width (390 px on a phone)."""
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def _scan(box, code):
    """A scanner: the code and Enter at once, typed into `box`."""
    box.press_sequentially(code)
    box.press("Enter")


def purchase_form(page, user, url):
    """`url`'s purchase form open for `user`, its supplier and store chosen and LAMP-1
    scanned on line 1 (the focus then on its quantity); return (lamp, tape)."""
    SupplierFactory(name="Bright Co")
    StoreFactory(code="MAIN", name="Main Store")
    lamp = ItemFactory(sku="LAMP-1", name="Desk lamp", unit_cost=D("2.00"))
    tape = ItemFactory(sku="TAPE-1", name="Duct tape", unit_cost=D("1.50"))
    login(page, *user)
    page.goto(url)
    page.get_by_label("Supplier").fill("Bright Co")
    page.get_by_label("Store").select_option(label="Main Store")
    _scan(page.locator("#id_lines-0-item"), "LAMP-1")
    expect(page.locator("#id_lines-0-quantity")).to_be_focused()
    assert fits(page)
    return lamp, tape


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_enter_in_a_line_goes_on_and_only_ctrl_enter_receives(new_page, demo_users, viewport):
    # given a direct purchase with its supplier and store chosen, and a scan on line 1
    page = new_page(viewport=VIEWPORTS[viewport])
    lamp, tape = purchase_form(page, demo_users["Staff"], "/purchases/new/")

    # when the quantity is typed and Enter pressed: on through the line, nothing received
    page.keyboard.type("5")
    page.keyboard.press("Enter")
    expect(page.locator("#id_lines-0-unit_cost")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#id_lines-0-lot_code")).to_be_focused()
    page.keyboard.type("LX-1")
    page.keyboard.press("Enter")
    expect(page.locator("#id_lines-0-expires_on")).to_be_focused()
    page.keyboard.press("Enter")  # the line's last box: a new line, its item box
    expect(page.locator("#id_lines-1-item")).to_be_focused()
    assert PurchaseOrder.objects.count() == 0

    # then the second scan and its quantity, and Ctrl+Enter receives both lines
    _scan(page.locator("#id_lines-1-item"), "TAPE-1")
    expect(page.locator("#id_lines-1-quantity")).to_be_focused()
    page.keyboard.type("2")
    page.keyboard.press("Enter")
    expect(page.locator("#id_lines-1-unit_cost")).to_be_focused()
    assert PurchaseOrder.objects.count() == 0
    page.keyboard.press("Control+Enter")
    page.wait_for_url("**/purchases/*/")

    order = PurchaseOrder.objects.get()
    assert order.status == PurchaseOrder.Status.RECEIVED
    lines = order.lines.order_by("pk")
    assert [(ln.item_id, ln.quantity_ordered, ln.quantity_received) for ln in lines] == [
        (lamp.pk, D("5"), D("5")),
        (tape.pk, D("2"), D("2")),
    ]
    receipts = LedgerEntry.objects.filter(kind=LedgerEntry.Kind.RECEIVE).order_by("pk")
    assert [(e.item_id, e.quantity, e.lot.code) for e in receipts][0] == (lamp.pk, D("5"), "LX-1")
    assert receipts.count() == 2
    assert page.js_errors == []
    assert fits(page)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_enter_on_a_receipt_goes_through_the_lines_and_records_from_the_last_box(
    new_page, demo_users, viewport
):
    # given a placed order of two lines, its receipt page open
    manager = get_user_model().objects.get(username=demo_users["Manager"][0])
    store = StoreFactory(code="MAIN", name="Main Store")
    lamp, tape = ItemFactory(sku="LAMP-1"), ItemFactory(sku="TAPE-1")
    order = purchase_order_create(
        actor=manager,
        supplier=SupplierFactory(name="Bright Co"),
        store=store,
        lines=[(lamp, "10", "2.00"), (tape, "6", "1.50")],
    )
    purchase_order_place(actor=manager, order=order)
    page = new_page(viewport=VIEWPORTS[viewport])
    login(page, *demo_users["Staff"])
    page.goto(f"/purchases/{order.pk}/receive/")
    assert fits(page)

    # when the first quantity is typed and Enter pressed: on through the lines, nothing yet
    page.locator("#id_receipts-0-quantity").fill("4")
    page.locator("#id_receipts-0-quantity").press("Enter")
    expect(page.locator("#id_receipts-0-lot_code")).to_be_focused()
    page.keyboard.type("LOT-A")
    page.keyboard.press("Enter")
    expect(page.locator("#id_receipts-0-expires_on")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#id_receipts-1-quantity")).to_be_focused()
    page.keyboard.type("3")
    page.keyboard.press("Enter")
    expect(page.locator("#id_receipts-1-lot_code")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#id_receipts-1-expires_on")).to_be_focused()
    assert not LedgerEntry.objects.filter(kind=LedgerEntry.Kind.RECEIVE).exists()

    # then Enter in the last box records both lines
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/purchases/{order.pk}/")
    order.refresh_from_db()
    assert order.status == PurchaseOrder.Status.PARTIALLY_RECEIVED
    lines = order.lines.order_by("pk")
    assert [(ln.item_id, ln.quantity_received) for ln in lines] == [
        (lamp.pk, D("4")),
        (tape.pk, D("3")),
    ]
    receipts = LedgerEntry.objects.filter(kind=LedgerEntry.Kind.RECEIVE).order_by("pk")
    assert [(e.item_id, e.quantity) for e in receipts] == [(lamp.pk, D("4")), (tape.pk, D("3"))]
    assert receipts[0].lot.code == "LOT-A"
    assert page.js_errors == []
    assert fits(page)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_enter_on_a_ship_page_goes_to_the_next_line_and_ships_from_the_last(
    new_page, demo_users, viewport
):
    # given a confirmed order of two lines, its ship page open: each box holds all reserved
    manager = get_user_model().objects.get(username=demo_users["Manager"][0])
    store = StoreFactory(code="MAIN", name="Main Store")
    lamp, tape = ItemFactory(sku="LAMP-1"), ItemFactory(sku="TAPE-1")
    for item in (lamp, tape):
        stock_receive(actor=manager, item=item, store=store, quantity="10", unit_cost="1.00")
    order = sales_order_create(
        actor=manager, store=store, customer=None, lines=[(lamp, 3, None), (tape, 4, None)]
    )
    sales_order_confirm(actor=manager, order=order, idempotency_key="e2e-ship-keys")
    page = new_page(viewport=VIEWPORTS[viewport])
    login(page, *demo_users["Staff"])
    page.goto(f"/sales/{order.pk}/ship/")
    first, second = page.get_by_label("Ship LAMP-1"), page.get_by_label("Ship TAPE-1")
    expect(second).to_have_value("4")
    assert fits(page)

    # when the first line is mended and Enter pressed: on to the second, nothing shipped
    first.fill("1")
    first.press("Enter")
    expect(second).to_be_focused()
    assert not LedgerEntry.objects.filter(kind=LedgerEntry.Kind.ISSUE).exists()

    # then the second is mended too, and Enter in the last box ships what was typed
    page.keyboard.type("2")  # its text was selected: the figure is replaced
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/sales/{order.pk}/")
    order.refresh_from_db()
    assert order.status == SalesOrder.Status.PARTIALLY_SHIPPED
    lines = order.lines.order_by("pk")
    assert [(ln.item_id, ln.quantity_shipped, ln.quantity_reserved) for ln in lines] == [
        (lamp.pk, D("1"), D("2")),
        (tape.pk, D("2"), D("2")),
    ]
    assert page.js_errors == []
    assert fits(page)
