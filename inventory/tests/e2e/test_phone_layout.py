"""Document forms and the QC queue laid out for a phone (390x844) and a desktop
(1280x800): what a person must see and reach is on the screen, not clipped or off to
the side."""

from decimal import Decimal

import pytest

from inventory.models import Lot, QCStatus, SalesOrder
from inventory.services.stock import stock_receive
from inventory.tests.factories import ItemFactory, StoreFactory, SupplierFactory

from .conftest import login

D = Decimal
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}

# The geometry of an element, read in the page (CSS pixels).
BOX = """el => {
  const r = el.getBoundingClientRect();
  return {left: r.left, right: r.right, top: r.top, width: r.width,
          clientWidth: el.clientWidth, scrollWidth: el.scrollWidth};
}"""


def _user(demo_users, role):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=demo_users[role][0])


def _bolts_and_nuts(demo_users):
    staff = _user(demo_users, "Staff")
    store = StoreFactory(code="MAIN", name="Main Store")
    bolt = ItemFactory(sku="BOLT-M8", name="Hex bolt M8 x 40", unit_price=D("0.40"))
    nut = ItemFactory(sku="NUT-M8", name="Hex nut M8", unit_price=D("0.10"))
    for item in (bolt, nut):
        stock_receive(actor=staff, item=item, store=store, quantity="50", unit_cost="0.05")
    return store, bolt, nut


def test_phone_picker_options_are_not_clipped_by_the_lines(new_page, demo_users):
    # given two items whose SKUs contain M8, and a phone
    _bolts_and_nuts(demo_users)
    page = new_page(viewport=PHONE)
    login(page, *demo_users["Staff"])
    page.goto("/sales/quick/")
    page.get_by_label("Store").select_option(label="Main Store")

    # when "m8" is typed into the line's item box
    box = page.get_by_role("combobox", name="Item")
    box.click()
    box.press_sequentially("m8", delay=30)
    options = page.get_by_role("listbox").get_by_role("option")
    options.nth(1).wait_for()
    box.evaluate("el => el.scrollIntoView({block: 'center'})")

    # then both options are on the screen, and each is what a tap at its centre hits
    assert options.all_inner_texts()[0].startswith("BOLT-M8")
    assert options.all_inner_texts()[1].startswith("NUT-M8")
    hits = page.evaluate(
        """() => [...document.querySelectorAll('.picker-list [role=option]')].map(o => {
          const r = o.getBoundingClientRect();
          const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
          return {inView: r.bottom <= innerHeight, hit: o === hit || o.contains(hit)};
        })"""
    )
    assert hits == [{"inView": True, "hit": True}, {"inView": True, "hit": True}]

    # when the second option is tapped, its SKU is chosen
    options.nth(1).click()
    assert box.input_value() == "NUT-M8"
    assert page.js_errors == []


@pytest.mark.parametrize("path", ["/sales/quick/", "/sales/new/"])
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_phone_sales_line_is_a_card_without_sideways_scrolling(
    new_page, demo_users, path, javascript
):
    # given a phone, with or without JavaScript
    _bolts_and_nuts(demo_users)
    page = new_page(viewport=PHONE, java_script_enabled=javascript)
    login(page, *demo_users["Staff"])
    page.goto(path)
    line = page.get_by_test_id("sales-line").first
    item = line.get_by_label("Item")
    price = line.get_by_label("Unit price")

    # when a price is typed
    price.fill("12.50")

    # then the item box has the card's width, quantity and price share the next line,
    # and the price box is wide enough to show what was typed
    # (measured at one instant: the page may still be scrolling smoothly to the box filled)
    item_box, quantity_box, price_box = line.evaluate(
        "row => [...row.querySelectorAll('input:not([type=hidden]):not([type=checkbox])')]"
        f".slice(0, 3).map({BOX})"
    )
    assert item_box["width"] >= 300
    assert quantity_box["top"] > item_box["top"] and quantity_box["top"] == price_box["top"]
    assert price_box["width"] >= 80 and quantity_box["width"] >= 80
    assert price_box["scrollWidth"] <= price_box["clientWidth"]

    # when Remove is ticked, then nothing in the lines has scrolled sideways
    line.get_by_label("Remove").check()
    lines_table = page.get_by_role("table", name="Order lines")
    geometry = lines_table.evaluate(BOX)
    assert geometry["scrollWidth"] <= geometry["clientWidth"]
    assert lines_table.evaluate("el => el.scrollLeft") == 0
    assert item.evaluate(BOX)["left"] >= 0 and price.evaluate(BOX)["right"] <= PHONE["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_desktop_sales_line_stays_a_table_row(new_page, demo_users):
    # given a desktop
    _bolts_and_nuts(demo_users)
    page = new_page(viewport=DESKTOP)
    login(page, *demo_users["Staff"])

    # when the quick sale is shown
    page.goto("/sales/quick/")

    # then the column headers show and the line's fields sit side by side in one row
    table = page.get_by_role("table", name="Order lines")
    assert table.get_by_role("columnheader", name="Unit price").is_visible()
    line = page.get_by_test_id("sales-line").first
    tops = {
        round(line.get_by_label(name).evaluate(BOX)["top"])
        for name in ("Item", "Quantity", "Unit price")
    }
    assert len(tops) == 1
    assert not line.locator("label.line-caption").first.is_visible()


def test_phone_purchase_lines_fit_the_screen(new_page, demo_users):
    # given a phone
    page = new_page(viewport=PHONE)
    login(page, *demo_users["Staff"])

    # when the direct purchase is shown and an expiry date entered
    page.goto("/purchases/new/")
    page.get_by_label("Expires on").fill("2027-12-31")

    # then every line field is on the screen and the cost and the date show in full
    for name in ("Item", "Quantity", "Unit cost", "Lot code", "Expires on"):
        box = page.get_by_label(name).first.evaluate(BOX)
        assert box["left"] >= 0 and box["right"] <= PHONE["width"], name
    cost = page.get_by_label("Unit cost").evaluate(BOX)
    expiry = page.get_by_label("Expires on").evaluate(BOX)
    assert cost["width"] >= 80
    assert expiry["width"] >= 140 and expiry["scrollWidth"] <= expiry["clientWidth"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_desktop_direct_purchase_expiry_shows_a_whole_date(new_page, demo_users):
    # given a desktop
    page = new_page(viewport=DESKTOP)
    login(page, *demo_users["Staff"])

    # when an expiry date is entered on a direct purchase line
    page.goto("/purchases/new/")
    expiry = page.get_by_label("Expires on")
    expiry.fill("2027-12-31")

    # then the box is wide enough for the month, day and year, and the line is one row
    box = expiry.evaluate(BOX)
    assert box["width"] >= 140 and box["scrollWidth"] <= box["clientWidth"]
    assert round(page.get_by_label("Item").evaluate(BOX)["top"]) == round(box["top"])


def test_phone_qc_decision_buttons_are_on_the_screen(new_page, demo_users):
    # given a quarantined lot and a manager on a phone
    supplier = SupplierFactory(name="CoatCo Paints")
    item = ItemFactory(sku="PAINT-W5", name="White paint 5 l", qc_required=True)
    store = StoreFactory(code="MAIN", name="Main Store")
    stock_receive(
        actor=_user(demo_users, "Staff"),
        item=item,
        store=store,
        quantity="8",
        lot_code="CC-2405",
        supplier=supplier,
    )
    page = new_page(viewport=PHONE)
    login(page, *demo_users["Manager"])

    # when the QC queue is shown
    page.goto("/lots/")

    # then Approve and Reject lie within the screen's width, and nothing scrolls sideways
    row = page.get_by_test_id("qc-lot-CC-2405")
    for name in ("Approve CC-2405", "Reject CC-2405"):
        box = row.get_by_role("button", name=name).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], name
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert row.evaluate("el => el.closest('table').scrollLeft") == 0

    # when the lot is approved from there, it is approved
    row.get_by_label("Approval note for CC-2405").fill("Colour matches")
    row.get_by_role("button", name="Approve CC-2405").click()
    assert "approved" in page.get_by_role("alert").first.inner_text()
    assert Lot.objects.get(code="CC-2405").qc_status == QCStatus.APPROVED


# Each line box of a cell's text: one rect per line it takes.
LINES_OF = """(el, text) => {
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(text);
    if (at < 0) continue;
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + text.length);
    return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
  }
  return 0;
}"""


@pytest.mark.parametrize(
    ("path", "table_id"),
    [
        ("/stock/", "stock-levels"),
        ("/ledger/", "movements"),
        ("/items/{item}/", "movements"),
        # Found by a QA pass: the dashboard's tables scrolled sideways, the shortfall and
        # the on-hand change off the screen.
        ("/dashboard/", "low-stock"),
        ("/dashboard/", "recent-movements"),
    ],
)
def test_phone_lists_keep_codes_whole_and_fit_the_screen(new_page, demo_users, path, table_id):
    # given stock of an item with a hyphenated SKU and lot code, and a long name
    item = ItemFactory(
        sku="PAINT-W5", name="White paint for the outside walls, 5 l", reorder_level=10
    )
    store = StoreFactory(code="MAIN", name="Main Store")
    stock_receive(
        actor=_user(demo_users, "Staff"), item=item, store=store, quantity="5", lot_code="CC-A-2405"
    )
    page = new_page(viewport=PHONE)
    login(page, *demo_users["Manager"])

    # when the list is shown on a phone
    page.goto(path.format(item=item.pk))

    # then no SKU or lot code is broken over two lines
    table = page.get_by_test_id(table_id)
    codes = [code for code in ("PAINT-W5", "CC-A-2405") if code in table.inner_text()]
    assert codes
    for code in codes:
        assert table.evaluate(LINES_OF, code) == 1, code

    # and its rows stack as cards (.table-stack), so the table does not scroll sideways
    geometry = table.evaluate(BOX)
    assert geometry["scrollWidth"] <= geometry["clientWidth"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_short_sales_line_marks_its_quantity_invalid(new_page, demo_users):
    # given 50 bolts in stock
    _bolts_and_nuts(demo_users)
    page = new_page(viewport=PHONE)
    login(page, *demo_users["Staff"])

    # when a quick sale asks for 9999
    page.goto("/sales/quick/")
    page.get_by_label("Store").select_option(label="Main Store")
    page.get_by_label("Item").fill("BOLT-M8")
    page.get_by_label("Quantity").fill("9999")
    page.get_by_role("button", name="Record sale").click()

    # then the quantity box is marked invalid (red border) and described by the refusal
    quantity = page.get_by_label("Quantity")
    message = "Only 50 pcs of BOLT-M8 available in Main Store; 9999 requested."
    assert page.get_by_test_id("line-error").inner_text() == message
    assert "is-invalid" in quantity.get_attribute("class").split()
    assert quantity.get_attribute("aria-invalid") == "true"
    described_by = quantity.get_attribute("aria-describedby")
    assert page.locator(f"#{described_by}").inner_text() == message
    border = quantity.evaluate("el => getComputedStyle(el).borderTopColor")
    assert border == "rgb(220, 53, 69)"  # Bootstrap's danger red
    assert SalesOrder.objects.count() == 0


def test_purchase_line_with_an_unknown_item_is_marked_invalid(page, demo_users):
    # given a direct purchase with a SKU nobody knows
    SupplierFactory(name="CoatCo Paints")
    StoreFactory(code="MAIN", name="Main Store")
    login(page, *demo_users["Staff"])
    page.goto("/purchases/new/")
    page.get_by_label("Supplier").fill("CoatCo Paints")
    page.get_by_label("Store").select_option(label="Main Store")

    # when it is submitted
    page.get_by_label("Item").fill("NO-SUCH-SKU")
    page.get_by_label("Quantity").fill("3")
    page.get_by_role("button", name="Receive purchase").click()

    # then the line's item box is marked invalid like any other field
    item = page.get_by_label("Item")
    assert "is-invalid" in item.get_attribute("class").split()
    assert item.get_attribute("aria-invalid") == "true"
