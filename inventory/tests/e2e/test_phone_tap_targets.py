"""Found by a QA pass: on a phone (390x844) a link alone in a card's cell or on a line of
its own was 19 px tall, under the 24 x 24 px target WCAG 2.5.8 asks for: the "#" of a
movement, a SKU on /stock/, an order number on /sales/, the dashboard's "All movements of
the period" and a movement's "Back to movements". On a desktop they stay plain text links."""

import pytest
from django.contrib.auth import get_user_model

from inventory.models import LedgerEntry, Store
from inventory.services.sales import sales_order_create

from .conftest import login

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture
def one_of_each(demo_users, bolts_in_stock):
    """A receipt (a stock row and a movement) and a sales order."""
    manager = get_user_model().objects.get(username=demo_users["Manager"][0])
    store = Store.objects.get(code="MAIN")
    order = sales_order_create(
        actor=manager, store=store, customer=None, lines=[(bolts_in_stock, 2, None)]
    )
    return {"item": bolts_in_stock, "order": order, "entry": LedgerEntry.objects.get()}


def links(page, one_of_each):
    """Each page with the link on it that a thumb has to hit."""
    entry, order = one_of_each["entry"], one_of_each["order"]
    item = one_of_each["item"]
    return [
        ("/ledger/", page.get_by_test_id("movements").get_by_role("link", name=str(entry.pk))),
        (
            f"/items/{item.pk}/",
            page.get_by_test_id("movements").get_by_role("link", name=str(entry.pk)),
        ),
        ("/stock/", page.get_by_test_id("stock-levels").get_by_role("link", name="BOLT-M8")),
        ("/sales/", page.get_by_role("link", name=order.number, exact=True)),
        ("/dashboard/", page.get_by_role("link", name="All movements of the period")),
        (f"/ledger/{entry.pk}/", page.get_by_role("link", name="Back to movements")),
    ]


def test_on_a_phone_a_link_alone_on_its_line_is_24_px_square(new_page, demo_users, one_of_each):
    # given a phone
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    login(page, *demo_users["Manager"])

    for path, link in links(page, one_of_each):
        # when the page is shown
        page.goto(path)
        box = link.bounding_box()

        # then the link is at least 24 x 24 px and inside the screen
        assert box["height"] >= 24 and box["width"] >= 24, (path, box)
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (path, box)
    assert page.js_errors == []


def test_on_a_desktop_those_links_keep_their_plain_look(new_page, demo_users, one_of_each):
    page = new_page(viewport=DESKTOP)
    login(page, *demo_users["Manager"])

    for path, link in links(page, one_of_each):
        page.goto(path)

        assert link.evaluate("el => getComputedStyle(el).display") == "inline", path
        assert link.bounding_box()["height"] < 24, path
    assert page.js_errors == []
