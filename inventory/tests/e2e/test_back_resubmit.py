"""Back and submit again records nothing, on every page that records a document.

A person submits a form, lands on the result, presses Back and submits the same form
again. The browser fetches the form page again (a post to a URL drops the browser's
cached copy of it), so the page keeps its one-time token in its address; the second
submission is then a replay: nothing more is recorded and the page says so, naming and
linking what the first one recorded. Run at a desktop and a phone viewport, and once
with the browser's back/forward cache on (Playwright turns it off by default), where
Back shows the page as it was left.
"""

from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from inventory.models import LedgerEntry, PurchaseOrder, SalesOrder
from inventory.services.purchasing import purchase_order_create, purchase_order_place
from inventory.services.sales import sales_order_confirm, sales_order_create
from inventory.services.stock import stock_receive
from inventory.tests.factories import ItemFactory, StoreFactory, SupplierFactory

from .conftest import CHROMIUM, CHROMIUM_ARGS, login, open_page

VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def shop(demo_users):
    """Two stores, a supplier and a lamp with 20 in the main store (lot A1, approved)."""
    manager = get_user_model().objects.get(username=demo_users["Manager"][0])
    supplier = SupplierFactory(name="Bright Co")
    main = StoreFactory(code="MAIN", name="Main Store")
    StoreFactory(code="WH", name="Warehouse")
    lamp = ItemFactory(sku="LAMP-1", name="Desk lamp", supplier=supplier, reorder_level=0)
    stock_receive(actor=manager, item=lamp, store=main, quantity="20", lot_code="A1")
    return SimpleNamespace(manager=manager, main=main, lamp=lamp, supplier=supplier)


def entries(kind):
    return lambda: LedgerEntry.objects.filter(kind=kind).count()


def sale_lines(page, shop):
    page.get_by_label("Store").select_option(label="Main Store")
    page.get_by_label("Item").first.fill(shop.lamp.sku)
    page.get_by_label("Quantity").first.fill("2")


def purchase_lines(page, shop):
    page.get_by_label("Supplier").fill("Bright Co")
    page.get_by_label("Store").select_option(label="Main Store")
    page.get_by_label("Item").first.fill(shop.lamp.sku)
    page.get_by_label("Quantity").first.fill("5")


def quick_sale(shop):
    return SimpleNamespace(
        url="/sales/quick/",
        fill=sale_lines,
        button="Record sale",
        # one order, and the ledger rows that issued it
        recorded=lambda: (SalesOrder.objects.count(), entries("ISSUE")()),
        replay=lambda: f"This sale was already recorded as {SalesOrder.objects.get().number}",
        link=lambda: SalesOrder.objects.get().number,
    )


def shipment(shop):
    order = sales_order_create(
        actor=shop.manager, store=shop.main, customer=None, lines=[(shop.lamp, 6, None)]
    )
    sales_order_confirm(actor=shop.manager, order=order, idempotency_key="e2e-confirm")

    def fill(page, shop):
        # Part of the order, so the ship page is still there after Back.
        page.get_by_label("Ship LAMP-1").fill("2")

    return SimpleNamespace(
        url=f"/sales/{order.pk}/ship/",
        fill=fill,
        button="Ship",
        recorded=entries("ISSUE"),
        replay=lambda: f"This shipment was already recorded on {order.number}",
        link=lambda: order.number,
    )


def direct_purchase(shop):
    return SimpleNamespace(
        url="/purchases/new/",
        fill=purchase_lines,
        button="Receive purchase",
        recorded=lambda: (PurchaseOrder.objects.count(), entries("RECEIVE")()),
        replay=lambda: (
            f"This purchase was already recorded as {PurchaseOrder.objects.get().number}"
        ),
        link=lambda: PurchaseOrder.objects.get().number,
    )


def receipt(shop):
    order = purchase_order_create(
        actor=shop.manager, supplier=shop.supplier, store=shop.main, lines=[(shop.lamp, 10, None)]
    )
    purchase_order_place(actor=shop.manager, order=order)

    def fill(page, shop):
        # Part of the order, so the receive page is still there after Back.
        page.get_by_label("Quantity now of LAMP-1").fill("4")

    return SimpleNamespace(
        url=f"/purchases/{order.pk}/receive/",
        fill=fill,
        button="Record receipt",
        recorded=entries("RECEIVE"),
        replay=lambda: f"This receipt was already recorded on {order.number}",
        link=lambda: order.number,
    )


def transfer(shop):
    def fill(page, shop):
        page.get_by_label("Item").fill("LAMP-1")
        page.get_by_label("From store").select_option(label=str(shop.main))
        page.get_by_label("To store").select_option(label="Warehouse")
        page.get_by_label("Quantity").fill("3")

    return SimpleNamespace(
        url="/transfers/new/",
        fill=fill,
        button="Transfer",
        recorded=entries("TRANSFER_OUT"),
        replay=lambda: "This transfer was already recorded",
        link=lambda: "its movements",
    )


def adjustment(shop):
    def fill(page, shop):
        page.get_by_label("Item").fill("LAMP-1")
        page.get_by_label("Lot").fill("A1")
        page.get_by_label("Store").select_option(label=str(shop.main))
        page.get_by_label("Quantity").fill("-1")
        page.get_by_label("Reason").select_option(label="Damage")

    return SimpleNamespace(
        url="/adjustments/new/",
        fill=fill,
        button="Record adjustment",
        recorded=entries("ADJUST"),
        replay=lambda: "This adjustment was already recorded",
        link=lambda: "its movements",
    )


def new_sales_order(shop):
    return SimpleNamespace(
        url="/sales/new/",
        fill=sale_lines,
        button="Save draft",
        recorded=SalesOrder.objects.count,
        replay=lambda: f"This draft was already recorded as {SalesOrder.objects.get().number}",
        link=lambda: SalesOrder.objects.get().number,
    )


def new_purchase_order(shop):
    return SimpleNamespace(
        url="/purchases/order/new/",
        fill=purchase_lines,
        button="Save draft",
        recorded=PurchaseOrder.objects.count,
        replay=lambda: f"This draft was already recorded as {PurchaseOrder.objects.get().number}",
        link=lambda: PurchaseOrder.objects.get().number,
    )


PAGES = [
    quick_sale,
    shipment,
    direct_purchase,
    receipt,
    transfer,
    adjustment,
    new_sales_order,
    new_purchase_order,
]


@pytest.mark.parametrize("viewport", VIEWPORTS.values(), ids=VIEWPORTS.keys())
@pytest.mark.parametrize("case", PAGES, ids=lambda f: f.__name__)
def test_back_and_submit_again_records_once_and_says_so(page, demo_users, shop, case, viewport):
    # given a manager on a form page, at this viewport
    page.set_viewport_size(viewport)
    form = case(shop)
    before = form.recorded()
    login(page, *demo_users["Manager"])
    page.goto(form.url)
    token = page.locator("input[name=idempotency_key]").input_value()

    # when the form is submitted once
    form.fill(page, shop)
    page.get_by_role("button", name=form.button, exact=True).click()
    page.wait_for_load_state()

    # then it is recorded, with a success message
    once = form.recorded()
    assert once != before
    expect(page.locator(".alert-success")).to_have_count(1)

    # when the person goes Back and submits the form again
    page.go_back()
    back_url = page.url
    back_token = page.locator("input[name=idempotency_key]").input_value()
    warned = page.get_by_role("alert").filter(has_text="already sent").all_inner_texts()
    form.fill(page, shop)
    page.get_by_role("button", name=form.button, exact=True).click()
    page.wait_for_load_state()

    # then nothing more is recorded, and the page says it was already recorded and links it
    assert form.recorded() == once
    notice = page.get_by_role("alert").filter(has_text="already recorded")
    expect(notice).to_contain_text(form.replay())
    expect(notice).to_contain_text("nothing was changed the second time.")
    expect(notice.get_by_role("link", name=form.link())).to_have_count(1)
    expect(page.locator(".alert-success")).to_have_count(0)
    # because the page came back with the same token, kept in its address
    assert f"token={token}" in back_url
    assert back_token == token
    # and the page said so before it was sent again
    assert len(warned) == 1 and form.link() in warned[0]
    assert "Sending it again records nothing" in warned[0]
    assert page.js_errors == []


@pytest.fixture
def cached_page(browser, live_server, transactional_db):
    """A page in a browser that keeps left pages in its back/forward cache, as Chrome does."""
    with_cache = browser.browser_type.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=CHROMIUM_ARGS,
        ignore_default_args=["--disable-back-forward-cache"],
    )
    yield open_page(with_cache, live_server.url)
    with_cache.close()


def test_back_from_the_back_forward_cache_lets_the_same_form_be_sent_again(
    cached_page, demo_users, shop
):
    # given a quick sale recorded from a page that the browser keeps when it is left
    page = cached_page
    login(page, *demo_users["Manager"])
    page.goto("/sales/quick/")
    page.evaluate("window.leftAsItWas = true")
    sale_lines(page, shop)
    page.get_by_role("button", name="Record sale").click()
    page.wait_for_load_state()
    order = SalesOrder.objects.get()

    # when the person goes Back: the page is the one they left (no load event fires)
    page.go_back(wait_until="commit")
    page.wait_for_function("window.leftAsItWas === true")

    # then its button, disabled by the first submit, works again, and sending the same
    # form records nothing more
    page.get_by_role("button", name="Record sale").click()
    page.wait_for_load_state()
    assert (SalesOrder.objects.count(), entries("ISSUE")()) == (1, 1)
    expect(page.get_by_role("alert").filter(has_text="already recorded")).to_contain_text(
        f"This sale was already recorded as {order.number}"
    )
    assert page.js_errors == []


@pytest.mark.parametrize("viewport", VIEWPORTS.values(), ids=VIEWPORTS.keys())
def test_back_then_the_next_sale_typed_in_is_kept_and_recorded_on_the_second_send(
    page, demo_users, shop, viewport
):
    # Found by a shop-floor QA pass: after Back, the next customer's sale typed into the
    # old form was thrown away as "already recorded".
    page.set_viewport_size(viewport)
    login(page, *demo_users["Manager"])
    page.goto("/sales/quick/")
    sale_lines(page, shop)
    page.get_by_role("button", name="Record sale", exact=True).click()
    page.wait_for_load_state()
    page.go_back()

    # the next customer: 5 lamps, not 2
    page.get_by_label("Store").select_option(label="Main Store")
    page.get_by_label("Item").first.fill(shop.lamp.sku)
    page.get_by_label("Quantity").first.fill("5")
    page.get_by_role("button", name="Record sale", exact=True).click()
    page.wait_for_load_state()

    # nothing recorded yet, and the page says so with the 5 still in the form
    assert SalesOrder.objects.count() == 1
    expect(page.get_by_text("what it holds now is different").first).to_be_visible()
    expect(page.get_by_label("Quantity").first).to_have_value("5")

    page.get_by_role("button", name="Record sale", exact=True).click()
    page.wait_for_url("**/sales/*/")

    assert [o.lines.get().quantity for o in SalesOrder.objects.order_by("pk")] == [2, 5]
    assert page.js_errors == []
