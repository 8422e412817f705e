"""Without JavaScript a document still takes several lines: "Add a line" posts the form
and it comes back with what was typed and one more line, unvalidated, recording nothing.
Found by a QA pass: the Add line button did nothing without scripts, so a quick sale
could have one line only."""

from decimal import Decimal

from inventory.models import LedgerEntry, PurchaseOrder, SalesOrder
from inventory.selectors.stock import stock_totals_for_item
from inventory.tests.factories import SupplierFactory

from .conftest import login
from .test_picker import VIEWPORTS
from .test_picker_fast_keys import _bolts

D = Decimal


def _no_script_page(new_page, demo_users, path):
    page = new_page(viewport=VIEWPORTS["desktop"], java_script_enabled=False)
    login(page, *demo_users["Staff"])
    page.goto(path)
    return page


def test_a_quick_sale_of_two_lines_without_javascript(new_page, demo_users):
    store, m10, m8 = _bolts(demo_users)
    page = _no_script_page(new_page, demo_users, "/sales/quick/")
    assert not page.get_by_role("button", name="Add line", exact=True).is_visible()
    page.get_by_label("Store").select_option(label="Main Store")
    page.locator("#id_lines-0-item").fill("BOLT-M8")
    page.locator("#id_lines-0-quantity").fill("3")

    page.get_by_role("button", name="Add a line").click()
    page.wait_for_load_state("load")

    # back with what was typed, a blank second line, no error, nothing recorded
    assert page.locator("#id_lines-0-item").input_value() == "BOLT-M8"
    assert page.locator("#id_lines-0-quantity").input_value() == "3"
    assert page.locator("#id_lines-1-item").input_value() == ""
    assert page.locator(".is-invalid, .alert-danger").count() == 0
    assert LedgerEntry.objects.filter(kind="ISSUE").count() == 0
    page.locator("#id_lines-1-item").fill("BOLT-M10")
    page.locator("#id_lines-1-quantity").fill("2")
    page.get_by_role("button", name="Record sale").click()
    page.wait_for_load_state("load")

    lines = SalesOrder.objects.get().lines.order_by("pk")
    assert [(ln.item_id, ln.quantity) for ln in lines] == [(m8.pk, D("3")), (m10.pk, D("2"))]
    assert stock_totals_for_item(item=m8, store=store)["on_hand"] == D("7")


def test_a_direct_purchase_of_two_lines_without_javascript(new_page, demo_users):
    store, m10, m8 = _bolts(demo_users)
    SupplierFactory(name="Acme")
    page = _no_script_page(new_page, demo_users, "/purchases/new/")
    page.locator("#id_supplier").fill("Acme")
    page.get_by_label("Store").select_option(label="Main Store")
    page.locator("#id_lines-0-item").fill("BOLT-M8")
    page.locator("#id_lines-0-quantity").fill("5")
    page.get_by_role("button", name="Add a line").click()
    page.wait_for_load_state("load")
    page.locator("#id_lines-1-item").fill("BOLT-M10")
    page.locator("#id_lines-1-quantity").fill("4")
    page.get_by_role("button", name="Receive purchase").click()
    page.wait_for_load_state("load")

    order = PurchaseOrder.objects.get()
    received = sorted((ln.item_id, ln.quantity_received) for ln in order.lines.all())
    assert received == sorted([(m8.pk, D("5")), (m10.pk, D("4"))])
