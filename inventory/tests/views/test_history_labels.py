"""History sections and the audit log name actions in words; the code stays for filters."""

import pytest

from inventory.services.purchasing import purchase_direct
from inventory.services.sales import sales_quick_sale
from inventory.services.stock import stock_receive
from inventory.tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def quick_sale(staff_user, store, item):
    stock_receive(actor=staff_user, item=item, store=store, quantity="10")
    return sales_quick_sale(
        actor=staff_user,
        store=store,
        customer=None,
        lines=[(item, "2", None)],
        idempotency_key=None,
    ).order


def test_sales_history_says_quick_sale(staff_client, quick_sale):
    response = staff_client.get(quick_sale.get_absolute_url())

    html = response.content.decode()
    assert '<td data-label="What">Quick sale</td>' in html
    assert "sales_order.quick_sale" not in html


def test_purchase_history_says_direct_purchase(manager_client, manager_user, store):
    tape = ItemFactory(sku="TAPE-50", unit="box")
    order = purchase_direct(
        actor=manager_user,
        supplier=tape.supplier,
        store=store,
        lines=[{"item": tape, "quantity": "12", "unit_cost": "3.00", "lot_code": "T-1"}],
    ).order

    response = manager_client.get(order.get_absolute_url())

    history = response.content.decode().split('data-testid="po-history"', 1)[1]
    assert "Direct purchase" in history
    assert "purchase_order.direct" not in history


def test_audit_log_shows_the_words_and_keeps_the_code_for_its_filter(manager_client, quick_sale):
    everything = manager_client.get("/audit/").content.decode()
    filtered = manager_client.get("/audit/", {"action": "sales_order.quick_sale"})

    assert "Quick sale<br>" in everything
    assert "<code" in everything and ">sales_order.quick_sale</code>" in everything
    assert [e.action for e in filtered.context["events"]] == ["sales_order.quick_sale"]
    assert [e.action_label for e in filtered.context["events"]] == ["Quick sale"]
