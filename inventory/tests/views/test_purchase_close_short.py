"""A partly received purchase order is closed short from its page: what came stays in
stock and on the order, which is valued at what was received."""

from decimal import Decimal

import pytest
from django.urls import reverse

from inventory.models import PurchaseOrder
from inventory.selectors.stock import stock_totals_for_item
from inventory.tests.views.purchasing_view_helpers import messages_of, receive_part

pytestmark = pytest.mark.django_db


def test_a_manager_closes_a_partly_received_order_short(manager_client, manager_user, ordered):
    line = receive_part(manager_user, ordered)  # 4 of 10 at 2.00
    page = manager_client.get(ordered.get_absolute_url()).content.decode()
    assert "Close short" in page and "the rest will no longer be expected" in page

    response = manager_client.post(
        reverse("inventory:purchase_cancel", args=[ordered.pk]), follow=True
    )

    assert messages_of(response) == [
        f"{ordered.number} closed short: what was received stays; the rest is no longer expected."
    ]
    ordered.refresh_from_db()
    assert ordered.status == PurchaseOrder.Status.CANCELLED
    assert stock_totals_for_item(item=line.item, store=ordered.store)["on_hand"] == Decimal("4")
    listed = manager_client.get(reverse("inventory:supplier_detail", args=[ordered.supplier_id]))
    assert [o.value for o in listed.context["page"]] == [Decimal("8.00")]
    detail = manager_client.get(ordered.get_absolute_url())
    assert [ln.value for ln in detail.context["lines"]] == [Decimal("8.00")]
    assert [ln.outstanding for ln in detail.context["lines"]] == [0]  # nothing more expected


def test_a_closed_short_order_reads_closed_short_and_a_partly_received_one_is_to_receive(
    manager_client, staff_client, manager_user, ordered
):
    # found by a first-week QA pass: after a part receipt the order left Staff's
    # "Receive a purchase" list, and once closed short it read "Cancelled"
    receive_part(manager_user, ordered)
    home = staff_client.get("/").content.decode()
    assert 'href="/purchases/?status=TO_RECEIVE"' in home
    to_receive = staff_client.get("/purchases/", {"status": "TO_RECEIVE"})
    assert [o.pk for o in to_receive.context["orders"]] == [ordered.pk]

    manager_client.post(reverse("inventory:purchase_cancel", args=[ordered.pk]))

    listed = manager_client.get("/purchases/")
    assert [o.status_label for o in listed.context["orders"]] == ["Closed short"]
    detail = manager_client.get(ordered.get_absolute_url()).content.decode()
    assert 'data-testid="po-status">Closed short<' in detail
    assert "(Partially received → Closed short)" in detail  # its history, too (found by QA)
    supplier = manager_client.get(reverse("inventory:supplier_detail", args=[ordered.supplier_id]))
    assert [o.status_label for o in supplier.context["page"]] == ["Closed short"]
    receive = manager_client.get(
        reverse("inventory:purchase_receive", args=[ordered.pk]), follow=True
    )
    assert messages_of(receive) == [f"{ordered.number} is closed short; it cannot be received."]
    assert staff_client.get("/purchases/", {"status": "TO_RECEIVE"}).context["orders"] == []
