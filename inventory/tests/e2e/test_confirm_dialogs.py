"""Destructive one-click actions ask first, as cancelling a purchase order does: a
dismissed dialog changes nothing, an accepted one does the deed."""

import pytest
from django.contrib.auth import get_user_model

from inventory.models import LedgerEntry, SalesOrder
from inventory.services.sales import sales_order_confirm, sales_order_create
from inventory.services.stock import stock_receive
from inventory.tests.factories import ItemFactory, StoreFactory

from .conftest import login


@pytest.fixture
def manager(demo_users):
    return get_user_model().objects.get(username=demo_users["Manager"][0])


@pytest.fixture
def confirmed_order(manager):
    """A CONFIRMED order reserving 3 of 10 pcs."""
    store = StoreFactory(code="MAIN", name="Main Store")
    item = ItemFactory(sku="TAPE-50", name="Duct tape 50 m")
    stock_receive(actor=manager, item=item, store=store, quantity="10", lot_code="L-1")
    order = sales_order_create(actor=manager, store=store, customer=None, lines=[(item, "3", None)])
    sales_order_confirm(actor=manager, order=order, idempotency_key=None)
    return order


@pytest.fixture
def receipt(manager):
    """A receipt of 10 pcs outside any order: a movement a manager may reverse."""
    item = ItemFactory(sku="BOLT-M8", name="Hex bolt M8")
    store = StoreFactory(code="MAIN", name="Main Store")
    stock_receive(actor=manager, item=item, store=store, quantity="10", lot_code="L-1")
    return LedgerEntry.objects.get(kind="RECEIVE", item=item)


def answer_dialogs(page, accept: bool) -> list[str]:
    """Dismiss or accept every dialog; return their messages."""
    messages = []

    def handle(dialog):
        messages.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.on("dialog", handle)
    return messages


def test_dismissing_the_cancel_dialog_leaves_the_sales_order_confirmed(
    page, demo_users, confirmed_order
):
    # given a manager on a confirmed order's page
    login(page, *demo_users["Manager"])
    page.goto(confirmed_order.get_absolute_url())
    messages = answer_dialogs(page, accept=False)
    reserving = LedgerEntry.objects.count()

    # when they press Cancel order and dismiss the question
    page.get_by_role("button", name="Cancel order").click()
    page.wait_for_timeout(300)

    # then it asked once, by number, and nothing changed
    assert messages == [f"Cancel {confirmed_order.number}? Its reservations are released."]
    confirmed_order.refresh_from_db()
    assert confirmed_order.status == SalesOrder.Status.CONFIRMED
    assert LedgerEntry.objects.count() == reserving
    assert page.get_by_test_id("order-status").inner_text() == "Confirmed"
    assert page.get_by_role("button", name="Cancel order").is_enabled()
    assert page.js_errors == []


def test_accepting_the_cancel_dialog_cancels_the_sales_order(page, demo_users, confirmed_order):
    # given a manager on a confirmed order's page
    login(page, *demo_users["Manager"])
    page.goto(confirmed_order.get_absolute_url())
    messages = answer_dialogs(page, accept=True)

    # when they press Cancel order and accept
    page.get_by_role("button", name="Cancel order").click()
    page.wait_for_load_state("networkidle")

    # then the order is cancelled and its reservation released
    assert len(messages) == 1
    confirmed_order.refresh_from_db()
    assert confirmed_order.status == SalesOrder.Status.CANCELLED
    assert page.get_by_test_id("order-status").inner_text() == "Cancelled"
    assert page.js_errors == []


def test_dismissing_the_reverse_dialog_writes_no_movement(page, demo_users, receipt):
    # given a manager on a movement's page
    login(page, *demo_users["Manager"])
    page.goto(receipt.get_absolute_url())
    messages = answer_dialogs(page, accept=False)
    before = LedgerEntry.objects.count()

    # when they press Reverse and dismiss the question
    page.get_by_role("button", name="Reverse", exact=True).click()
    page.wait_for_timeout(300)

    # then it asked, and no ledger row was written
    assert messages == ["Reverse this movement?"]
    assert LedgerEntry.objects.count() == before
    assert not LedgerEntry.objects.filter(reverses=receipt).exists()
    assert page.get_by_role("button", name="Reverse", exact=True).is_enabled()
    assert page.js_errors == []


def test_accepting_the_reverse_dialog_reverses_the_movement(page, demo_users, receipt):
    # given a manager on a movement's page
    login(page, *demo_users["Manager"])
    page.goto(receipt.get_absolute_url())
    messages = answer_dialogs(page, accept=True)

    # when they press Reverse and accept
    page.get_by_role("button", name="Reverse", exact=True).click()
    page.wait_for_load_state("networkidle")

    # then one compensating row is written
    assert messages == ["Reverse this movement?"]
    assert LedgerEntry.objects.filter(reverses=receipt).count() == 1
    assert page.get_by_test_id("reversed-by").is_visible()
    assert page.js_errors == []


def test_cancelling_a_purchase_order_still_asks_once(page, demo_users, manager):
    # given a draft purchase order (its page loads purchasing.js, which asks too)
    from inventory.services.purchasing import purchase_order_create
    from inventory.tests.factories import SupplierFactory

    order = purchase_order_create(
        actor=manager,
        supplier=SupplierFactory(name="Acme"),
        store=StoreFactory(code="MAIN", name="Main Store"),
        lines=[(ItemFactory(sku="NUT-M8"), "5", "1.00")],
    )
    login(page, *demo_users["Manager"])
    page.goto(order.get_absolute_url())
    messages = answer_dialogs(page, accept=False)

    # when they press Cancel order and dismiss
    page.get_by_role("button", name="Cancel order").click()
    page.wait_for_timeout(300)

    # then one question, and the order is untouched
    assert messages == [f"Cancel {order.number}?"]
    order.refresh_from_db()
    assert order.status == "DRAFT"
    assert page.js_errors == []
