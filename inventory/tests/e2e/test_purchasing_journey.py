"""A purchase from order to usable stock, driven through the real pages.

A manager creates and places a PO; a staff member receives part of it; the manager
approves the quarantined lot in the QC queue; the received quantity becomes available.
"""

from decimal import Decimal

from playwright.sync_api import expect

from inventory.models import Lot, PurchaseOrder
from inventory.selectors.stock import stock_totals_for_item
from inventory.tests.factories import ItemFactory, StoreFactory, SupplierFactory

from .conftest import login


def switch_user(page, username, password):
    page.context.clear_cookies()
    login(page, username, password)


def test_order_receive_approve_makes_stock_available(page, demo_users):
    supplier = SupplierFactory(name="CoatCo Paints")
    store = StoreFactory(code="MAIN", name="Main Store")
    item = ItemFactory(sku="PAINT-W5", name="White paint 5 l", qc_required=True, supplier=supplier)
    ItemFactory(sku="TAPE-50", name="Duct tape 50 m", supplier=supplier)

    # The manager drafts an order, adds a second row, removes it again, and places it.
    login(page, *demo_users["Manager"])
    page.goto("/purchases/")
    page.get_by_role("link", name="New purchase order").click()
    page.get_by_label("Supplier").fill("CoatCo Paints")
    page.get_by_label("Store").select_option(label="Main Store")
    page.get_by_label("Item").first.fill("PAINT-W5")
    page.get_by_label("Quantity").first.fill("10")
    page.get_by_label("Unit cost").first.fill("17.50")
    page.get_by_role("button", name="Add line").click()
    rows = page.locator("#lines-forms [data-formset-row]")
    expect(rows).to_have_count(2)
    rows.nth(1).get_by_label("Item").fill("TAPE-50")
    rows.nth(1).get_by_label("Quantity").fill("3")
    rows.nth(1).get_by_role("button", name="Remove").click()
    expect(rows.nth(1)).to_be_hidden()
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("saved.")).to_be_visible()
    order = PurchaseOrder.objects.get()
    assert [line.item.sku for line in order.lines.all()] == ["PAINT-W5"]
    expect(page.get_by_role("link", name="Receive")).to_have_count(0)
    page.get_by_role("button", name="Place order").click()
    expect(page.get_by_test_id("po-status")).to_have_text("Ordered")

    # Staff receive 4 of the 10; the lot waits in quarantine.
    switch_user(page, *demo_users["Staff"])
    page.goto(f"/purchases/{order.pk}/")
    expect(page.get_by_role("button", name="Place order")).to_have_count(0)
    expect(page.get_by_role("button", name="Cancel order")).to_have_count(0)
    page.get_by_role("link", name="Receive").click()
    page.get_by_label("Quantity now of PAINT-W5").fill("4")
    page.get_by_label("Lot code of PAINT-W5").fill("CC-E2E-1")
    page.get_by_role("button", name="Record receipt").click()
    expect(
        page.get_by_text("received 4 pcs PAINT-W5 into lot CC-E2E-1 (quarantine)")
    ).to_be_visible()
    expect(page.get_by_test_id("po-status")).to_have_text("Partially received")
    line_row = page.get_by_test_id("po-line-PAINT-W5")
    expect(line_row.get_by_test_id("available")).to_have_text("0")
    # staff see the QC queue, read-only
    page.get_by_test_id("main-nav").get_by_role("link", name="QC queue").click()
    expect(page.get_by_test_id("qc-lot-CC-E2E-1")).to_contain_text("PAINT-W5")
    expect(page.get_by_role("button", name="Approve CC-E2E-1")).to_have_count(0)

    # The manager approves the lot from the QC queue.
    switch_user(page, *demo_users["Manager"])
    page.get_by_test_id("main-nav").get_by_role("link", name="QC queue").click()
    queue_row = page.get_by_test_id("qc-lot-CC-E2E-1")
    expect(queue_row).to_contain_text("PAINT-W5")
    expect(queue_row).to_contain_text("CoatCo Paints")
    queue_row.get_by_label("Approval note for CC-E2E-1").fill("Colour matches the sample")
    queue_row.get_by_role("button", name="Approve CC-E2E-1").click()
    expect(page.get_by_text("Lot CC-E2E-1 of PAINT-W5 approved.")).to_be_visible()
    expect(page.get_by_test_id("qc-decisions")).to_contain_text("Colour matches the sample")

    # The received quantity is now available.
    page.goto(f"/purchases/{order.pk}/")
    expect(page.get_by_test_id("po-line-PAINT-W5").get_by_test_id("available")).to_have_text("4")
    assert Lot.objects.get(code="CC-E2E-1").qc_status == "APPROVED"
    assert stock_totals_for_item(item=item, store=store)["available"] == Decimal("4.000")
    assert page.js_errors == []
