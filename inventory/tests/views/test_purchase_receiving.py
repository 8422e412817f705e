"""Purchase screens: receiving a placed order, part or all, once only, bad receipts refused."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from inventory.models import LedgerEntry
from inventory.selectors.stock import stock_totals_for_item
from inventory.services.purchasing import purchase_order_create, purchase_order_place
from inventory.tests.views.purchasing_view_helpers import (
    Status,
    messages_of,
    receive_post,
    replayed,
    state,
)

pytestmark = pytest.mark.django_db


# --- receiving --------------------------------------------------------------------------------


def test_staff_receives_part_of_an_order(staff_client, ordered, store, item):
    line = ordered.lines.get()
    page = staff_client.get(reverse("inventory:purchase_receive", args=[ordered.pk]))
    assert page.status_code == 200
    assert 'aria-label="Quantity now of SKU-0042"' in page.content.decode()

    response = staff_client.post(
        reverse("inventory:purchase_receive", args=[ordered.pk]),
        receive_post(ordered, (line, "4", "")),
        follow=True,
    )

    assert response.redirect_chain[-1][0] == ordered.get_absolute_url()
    text = " ".join(messages_of(response))
    assert "received 4 pcs SKU-0042 into lot L" in text
    ordered.refresh_from_db()
    line.refresh_from_db()
    assert ordered.status == Status.PARTIALLY_RECEIVED
    assert line.quantity_received == Decimal("4.000")
    assert stock_totals_for_item(item=item, store=store)["on_hand"] == Decimal("4.000")


def _with_blank_extra_row(data):
    """The post with one more, blank, row than the order has lines (a tampered or
    stale form). Django leaves a blank extra row unvalidated, without a line."""
    return {**data, "receipts-TOTAL_FORMS": str(int(data["receipts-TOTAL_FORMS"]) + 1)}


def test_a_blank_extra_row_is_skipped_and_the_receipt_recorded(staff_client, ordered, store, item):
    """Found by the hostile-input test (it was a KeyError, a 500)."""
    line = ordered.lines.get()
    url = reverse("inventory:purchase_receive", args=[ordered.pk])

    response = staff_client.post(url, _with_blank_extra_row(receive_post(ordered, (line, "4", ""))))

    assert response.status_code == 302
    line.refresh_from_db()
    assert line.quantity_received == Decimal("4.000")
    assert stock_totals_for_item(item=item, store=store)["on_hand"] == Decimal("4.000")


def test_a_blank_extra_row_and_no_quantity_is_refused_and_changes_nothing(staff_client, ordered):
    line = ordered.lines.get()
    url = reverse("inventory:purchase_receive", args=[ordered.pk])
    before = state(ordered)

    response = staff_client.post(url, _with_blank_extra_row(receive_post(ordered, (line, "", ""))))

    assert response.status_code == 200
    assert "Enter a quantity received for at least one line." in response.content.decode()
    assert state(ordered) == before


def test_the_same_receipt_submitted_twice_is_recorded_once(staff_client, ordered):
    line = ordered.lines.get()
    url = reverse("inventory:purchase_receive", args=[ordered.pk])
    data = receive_post(ordered, (line, "4", "LOT-1"), token="double-click")

    staff_client.post(url, data)
    after_first = state(ordered)
    second = staff_client.post(url, data, follow=True)

    assert messages_of(second)[-1] == replayed("This receipt", "on", ordered)
    assert state(ordered) == after_first
    assert LedgerEntry.objects.filter(po_line=line).count() == 1


def test_over_receipt_is_shown_on_the_form_and_changes_nothing(staff_client, ordered):
    line = ordered.lines.get()
    before = state(ordered)

    response = staff_client.post(
        reverse("inventory:purchase_receive", args=[ordered.pk]),
        receive_post(ordered, (line, "11", "")),
    )

    assert response.status_code == 200
    assert "Only 10 pcs of SKU-0042 are outstanding" in response.content.decode()
    assert state(ordered) == before


@pytest.mark.parametrize("quantity", ["0", "-1", "abc"])
def test_a_bad_quantity_is_a_form_error(staff_client, ordered, quantity):
    line = ordered.lines.get()
    before = state(ordered)

    response = staff_client.post(
        reverse("inventory:purchase_receive", args=[ordered.pk]),
        receive_post(ordered, (line, quantity, "")),
    )

    assert response.status_code == 200
    assert response.context["formset"].errors[0]["quantity"]
    assert state(ordered) == before
    # The row's quantity box is marked for the eye as well as for a screen reader.
    box = re.search(r'<input[^>]*aria-label="Quantity now of SKU-0042"[^>]*>', response.text)
    assert 'aria-invalid="true"' in box.group() and "is-invalid" in box.group()


def test_all_blank_lines_are_refused(staff_client, ordered):
    line = ordered.lines.get()
    before = state(ordered)

    response = staff_client.post(
        reverse("inventory:purchase_receive", args=[ordered.pk]),
        receive_post(ordered, (line, "", "")),
    )

    assert "at least one line" in response.content.decode()
    assert state(ordered) == before


def test_a_tampered_line_id_is_refused(staff_client, ordered, manager_user, supplier, store, item):
    other = purchase_order_create(
        actor=manager_user, supplier=supplier, store=store, lines=[(item, "5", None)]
    )
    purchase_order_place(actor=manager_user, order=other)
    before = state(ordered)

    response = staff_client.post(
        reverse("inventory:purchase_receive", args=[ordered.pk]),
        receive_post(ordered, (other.lines.get(), "1", "")),
    )

    assert response.status_code == 200
    assert "does not belong" in response.content.decode()
    assert state(ordered) == before


def test_a_missing_token_is_refused(staff_client, ordered):
    line = ordered.lines.get()
    data = receive_post(ordered, (line, "1", ""))
    del data["idempotency_key"]
    before = state(ordered)

    response = staff_client.post(reverse("inventory:purchase_receive", args=[ordered.pk]), data)

    assert response.status_code == 200
    assert "This form is out of date; nothing was recorded." in response.content.decode()
    assert state(ordered) == before


@pytest.mark.parametrize("status", ["DRAFT", "CANCELLED"])
def test_receiving_a_draft_or_cancelled_order_is_refused(staff_client, manager_user, draft, status):
    if status == "CANCELLED":
        from inventory.services.purchasing import purchase_order_cancel

        purchase_order_cancel(actor=manager_user, order=draft)
    line = draft.lines.get()
    url = reverse("inventory:purchase_receive", args=[draft.pk])
    before = state(draft)

    page = staff_client.get(url, follow=True)
    posted = staff_client.post(url, receive_post(draft, (line, "1", "")), follow=True)

    assert "it cannot be received" in " ".join(messages_of(page))
    assert posted.redirect_chain[-1][0] == draft.get_absolute_url()
    assert "so it cannot be received; nothing was changed" in " ".join(messages_of(posted))
    assert state(draft) == before


def test_a_second_tab_on_an_order_received_since_goes_back_to_the_order(staff_client, ordered):
    # found by QA: the second tab's refusal showed "Unknown line" rows and a live button
    line = ordered.lines.get()
    url = reverse("inventory:purchase_receive", args=[ordered.pk])
    staff_client.post(url, receive_post(ordered, (line, "10", ""), token="tab-1"), follow=True)
    before = state(ordered)

    response = staff_client.post(
        url, receive_post(ordered, (line, "10", ""), token="tab-2"), follow=True
    )

    assert response.redirect_chain[-1][0] == ordered.get_absolute_url()
    assert "is already received" in " ".join(messages_of(response))
    assert "Unknown line" not in response.content.decode()
    assert state(ordered) == before


def test_a_line_received_since_keeps_its_item_on_the_refused_form(
    staff_client, manager_user, supplier, store, item
):
    from inventory.tests.factories import ItemFactory

    other = ItemFactory(sku="SKU-0043")
    order = purchase_order_place(
        actor=manager_user,
        order=purchase_order_create(
            actor=manager_user,
            supplier=supplier,
            store=store,
            lines=[(item, "10", "1.00"), (other, "5", "1.00")],
        ),
    )
    first, second = order.lines.order_by("pk")
    url = reverse("inventory:purchase_receive", args=[order.pk])
    staff_client.post(url, receive_post(order, (first, "10", ""), token="tab-1"), follow=True)
    before = state(order)

    response = staff_client.post(
        url, receive_post(order, (first, "10", ""), (second, "5", ""), token="tab-2")
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Unknown line" not in page and 'aria-label="Quantity now of SKU-0042"' in page
    assert state(order) == before
