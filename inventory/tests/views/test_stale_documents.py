"""Two people (or two windows) on one order: a save or an action from a page opened
before the order changed is refused, and nothing is lost or reserved unseen (found by a
QA pass with two tabs: the second save silently undid the first; a confirm reserved the
other tab's new quantity)."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from inventory.models import SalesOrder
from inventory.services.catalog import store_deactivate
from inventory.services.purchasing import purchase_order_update
from inventory.services.sales import sales_order_cancel, sales_order_update
from inventory.tests.views.purchasing_view_helpers import messages_of, receive_part
from inventory.tests.views.sales_view_helpers import lines_data, make_order, msgs, state

pytestmark = pytest.mark.django_db
CHANGED = "changed since this page was opened (in another window or by someone else)"


def _shown(html: str) -> str:
    return re.search(r'name="shown" value="([^"]+)"', html).group(1)


def test_a_sales_draft_saved_from_a_stale_page_is_refused(staff_client, staff_user, store, item):
    order = make_order(staff_user, store, item, quantity="5")
    url = reverse("inventory:sales_edit", args=[order.pk])
    stale = _shown(staff_client.get(url).content.decode())
    # another tab saves 7
    sales_order_update(
        actor=staff_user, order=order, store=store, customer=None, lines=[(item, "7", None)]
    )
    before = state()

    response = staff_client.post(
        url,
        {
            "store": store.pk,
            "note": "from the stale tab",
            "shown": stale,
            **lines_data({"item_q": item.sku, "quantity": "5"}),
        },
    )

    # back to the page afresh (its version now current), with the reason
    assert response.status_code == 302 and response.url == url
    assert any(CHANGED in m for m in msgs(response))
    assert state() == before
    assert order.lines.get().quantity == Decimal("7")
    assert _shown(staff_client.get(url).content.decode()) != stale


def test_a_confirm_from_a_stale_order_page_reserves_nothing(staff_client, staff_user, store, item):
    order = make_order(staff_user, store, item, quantity="5")
    page = staff_client.get(order.get_absolute_url()).content.decode()
    sales_order_update(
        actor=staff_user, order=order, store=store, customer=None, lines=[(item, "9", None)]
    )
    before = state()

    response = staff_client.post(
        reverse("inventory:sales_confirm", args=[order.pk]),
        {"idempotency_key": "stale-confirm", "shown": _shown(page)},
    )

    assert any(CHANGED in m for m in msgs(response))
    assert state() == before
    # the page as it is now confirms
    fresh = staff_client.get(order.get_absolute_url()).content.decode()
    staff_client.post(
        reverse("inventory:sales_confirm", args=[order.pk]),
        {"idempotency_key": "fresh-confirm", "shown": _shown(fresh)},
    )
    order.refresh_from_db()
    assert (order.status, order.lines.get().quantity_reserved) == ("CONFIRMED", Decimal("9"))


def test_a_draft_in_a_store_closed_since_is_not_confirmed(staff_user, manager_user, store, item):
    # found by a two-people QA pass: a draft created as the store was being deactivated
    # could be confirmed there afterwards
    from inventory.exceptions import InactiveRecord
    from inventory.services.sales import sales_order_confirm

    order = make_order(staff_user, store, item, quantity="2")
    SalesOrder.objects.filter(pk=order.pk).update(status="CANCELLED")  # let the store close
    store_deactivate(actor=manager_user, store=store)
    SalesOrder.objects.filter(pk=order.pk).update(status="DRAFT")  # the draft that raced in
    before = state()

    with pytest.raises(InactiveRecord, match="Store .* is deactivated"):
        sales_order_confirm(actor=staff_user, order=order, idempotency_key="c")

    assert state() == before
    sales_order_cancel(actor=staff_user, order=order, idempotency_key="x")  # it can go


def test_a_purchase_draft_saved_or_placed_from_a_stale_page_is_refused(
    manager_client, manager_user, draft, supplier, store, item
):
    edit = reverse("inventory:purchase_edit", args=[draft.pk])
    stale = _shown(manager_client.get(edit).content.decode())
    stale_detail = _shown(manager_client.get(draft.get_absolute_url()).content.decode())
    purchase_order_update(
        actor=manager_user,
        order=draft,
        supplier=supplier,
        store=store,
        lines=[(item, "12", "2.00")],
    )

    saved = manager_client.post(
        edit,
        {
            "supplier": supplier.pk,
            "store": store.pk,
            "shown": stale,
            "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "0",
            "lines-0-item_q": item.sku,
            "lines-0-quantity": "10",
            "lines-0-unit_cost": "2.00",
        },
    )
    placed = manager_client.post(
        reverse("inventory:purchase_place", args=[draft.pk]), {"shown": stale_detail}, follow=True
    )

    assert saved.status_code == 302 and saved.url == edit
    assert any(CHANGED in m for m in messages_of(placed))
    draft.refresh_from_db()
    assert (draft.status, draft.lines.get().quantity_ordered) == ("DRAFT", Decimal("12"))


def test_a_cancel_that_lost_to_a_receipt_is_refused_not_reported_as_cancelled(
    manager_client, manager_user, ordered
):
    # found by a two-people QA pass: the order was closed short, the message said
    # "cancelled"
    page = manager_client.get(ordered.get_absolute_url()).content.decode()
    receive_part(manager_user, ordered)

    response = manager_client.post(
        reverse("inventory:purchase_cancel", args=[ordered.pk]),
        {"shown": _shown(page)},
        follow=True,
    )

    assert any(CHANGED in m for m in messages_of(response))
    ordered.refresh_from_db()
    assert ordered.status == "PARTIALLY_RECEIVED"


def test_a_ship_page_opened_before_a_cancel_says_the_order_changed(
    staff_client, staff_user, store, item
):
    from inventory.exceptions import DocumentChanged
    from inventory.services.sales import sales_order_ship

    order = make_order(staff_user, store, item, quantity="4", status=SalesOrder.Status.CONFIRMED)
    url = reverse("inventory:sales_ship", args=[order.pk])
    staff_client.get(url)
    line = order.lines.get()
    sales_order_cancel(actor=staff_user, order=order, idempotency_key="x")
    before = state()

    # the service names the change rather than the state machine's move
    with pytest.raises(DocumentChanged, match="changed since this page was opened"):
        sales_order_ship(
            actor=staff_user,
            order=order,
            shipments={line.pk: "4"},
            idempotency_key="s",
            shown={line.pk: Decimal("4")},
        )
    # and the page says it is cancelled
    response = staff_client.post(
        url, {"idempotency_key": "s2", f"line_{line.pk}": "4"}, follow=True
    )

    assert f"{order.number} is cancelled; there is nothing to ship." in msgs(response)
    assert state() == before


def test_a_cancel_without_a_version_that_closed_short_says_so(
    manager_client, manager_user, ordered
):
    receive_part(manager_user, ordered)

    response = manager_client.post(
        reverse("inventory:purchase_cancel", args=[ordered.pk]), follow=True
    )

    assert messages_of(response) == [
        f"{ordered.number} closed short: what was received stays; the rest is no longer expected."
    ]


@pytest.mark.parametrize("action", ["purchase_place", "purchase_cancel"])
def test_a_purchase_action_with_an_unreadable_version_changes_nothing(
    manager_client, draft, action
):
    # the version is read through a form, as sales does, not sliced from the raw post
    response = manager_client.post(
        reverse(f"inventory:{action}", args=[draft.pk]), {"shown": "x" * 65}, follow=True
    )

    assert any("The form has expired" in m for m in messages_of(response))
    draft.refresh_from_db()
    assert draft.status == "DRAFT"
