"""Movements: a movement's page and its reversal through the screen."""

import pytest
from django.urls import reverse

from inventory.models import LedgerEntry, PurchaseOrder, PurchaseOrderLine
from inventory.services.purchasing import purchase_order_receive
from inventory.services.stock import ledger_entry_reverse, stock_adjust, stock_transfer
from inventory.tests.factories import ItemFactory
from inventory.tests.services.stock_helpers import figures, snapshot
from inventory.tests.views.ledger_view_helpers import D, receive, texts

pytestmark = pytest.mark.django_db


# --- detail and reversal ----------------------------------------------------------


def test_transfer_detail_shows_the_other_half(
    manager_client, manager_user, store, other_store, item
):
    receive(manager_user, item, store, 10, "A")
    result = stock_transfer(
        actor=manager_user, item=item, from_store=store, to_store=other_store, quantity=3
    )
    out, into = result.entries

    response = manager_client.get(out.get_absolute_url())

    assert response.context["entry"] == out
    assert response.context["siblings"] == [into]
    assert response.context["reversed_by"] is None
    assert b"Reverse this movement" in response.content
    assert b"for both halves of the transfer" in response.content
    # on a phone the other rows stack as cards, each figure captioned
    html = response.content.decode()
    assert '<table class="table table-sm table-stack" data-testid="siblings">' in html
    assert 'data-label="On hand change">3</td>' in html


def test_reversal_through_the_screen(manager_client, manager_user, store, item):
    # given
    lot = receive(manager_user, item, store, 10, "A")
    entry = LedgerEntry.objects.get(kind="RECEIVE")

    # when
    response = manager_client.post(
        reverse("inventory:ledger_reverse", args=[entry.pk]),
        {"note": "wrong item", "idempotency_key": "rev-1"},
    )

    # then
    reversal = LedgerEntry.objects.get(reverses=entry)
    assert response.status_code == 302
    assert response.url == entry.get_absolute_url()
    assert texts(response) == [f"Movement #{entry.pk} reversed by #{reversal.pk}."]
    assert (reversal.on_hand_delta, reversal.reason, reversal.note) == (
        D("-10"),
        "REVERSAL",
        "wrong item",
    )
    assert figures(store=store, lot=lot) == (D("0"), D("0"))
    page = manager_client.get(entry.get_absolute_url())
    assert page.context["reversed_by"] == reversal
    assert b"Reverse this movement" not in page.content
    back = manager_client.get(reversal.get_absolute_url())
    assert back.context["entry"].reverses == entry
    assert b'data-testid="reverses"' in back.content


def test_a_second_reversal_is_refused_and_changes_nothing(
    manager_client, manager_user, store, item
):
    receive(manager_user, item, store, 10, "A")
    entry = LedgerEntry.objects.get(kind="RECEIVE")
    url = reverse("inventory:ledger_reverse", args=[entry.pk])
    manager_client.post(url, {"idempotency_key": "rev-1"})
    before = snapshot()

    response = manager_client.post(url, {"idempotency_key": "rev-2"})

    assert response.status_code == 302
    assert texts(response)[-1] == f"Movement #{entry.pk} has already been reversed."
    assert snapshot() == before


def test_a_replayed_reversal_reports_it(manager_client, manager_user, store, item):
    receive(manager_user, item, store, 10, "A")
    entry = LedgerEntry.objects.get(kind="RECEIVE")
    url = reverse("inventory:ledger_reverse", args=[entry.pk])
    manager_client.post(url, {"idempotency_key": "rev-1"})
    before = snapshot()

    response = manager_client.post(url, {"idempotency_key": "rev-1"})

    assert texts(response)[-1] == "This was already recorded; nothing was changed the second time."
    assert snapshot() == before


def test_reversal_that_would_go_below_zero_is_refused(manager_client, manager_user, store, item):
    # given 10 received, then 8 written off: reversing the receipt would leave -8
    lot = receive(manager_user, item, store, 10, "A")
    stock_adjust(actor=manager_user, lot=lot, store=store, quantity=-8, reason="LOSS")
    entry = LedgerEntry.objects.get(kind="RECEIVE")
    before = snapshot()

    response = manager_client.post(
        reverse("inventory:ledger_reverse", args=[entry.pk]), {"idempotency_key": "rev-1"}
    )

    assert response.status_code == 302
    assert texts(response) == [
        "Only 2 pcs of SKU-0042 unreserved in lot A in Main Store; 10 requested."
        " A reversal takes back the whole movement: to take back only what is left, record an"
        " adjustment (reason Return to supplier, Damage or Loss)."
    ]
    assert snapshot() == before


def test_a_purchase_receipt_is_reversed_from_its_movement(
    manager_client, manager_user, store, item
):
    # given an order of 5 received in full (found by QA: a receipt keyed wrong on a
    # received order could not be corrected anywhere)
    order = PurchaseOrder.objects.create(
        supplier=item.supplier, store=store, status="ORDERED", created_by=manager_user
    )
    line = PurchaseOrderLine.objects.create(
        order=order, item=item, quantity_ordered=5, unit_cost="2.50", quantity_received=0
    )
    purchase_order_receive(
        actor=manager_user, order=order, receipts=[{"line": line, "quantity": 5}]
    )
    entry = LedgerEntry.objects.get(kind="RECEIVE")

    # when a manager reverses it from its movement page
    page = manager_client.get(entry.get_absolute_url()).content.decode()
    response = manager_client.post(
        reverse("inventory:ledger_reverse", args=[entry.pk]), {"idempotency_key": "rev-1"}
    )

    # then the stock and the order's received quantity go back, and the order expects it
    assert "takes the quantity off what its purchase order received." in page
    reversal = LedgerEntry.objects.get(reverses=entry)
    assert texts(response) == [f"Movement #{entry.pk} reversed by #{reversal.pk}."]
    assert (reversal.kind, reversal.on_hand_delta, reversal.po_line_id) == ("RECEIVE", -5, line.pk)
    line.refresh_from_db()
    order.refresh_from_db()
    assert (line.quantity_received, order.status) == (0, "ORDERED")
    assert figures(store=store, lot=entry.lot) == (D("0"), D("0"))
    detail = manager_client.get(order.get_absolute_url()).content.decode()
    assert f"reversal of #{entry.pk}" in detail


def test_reversal_without_token_is_refused(manager_client, manager_user, store, item):
    receive(manager_user, item, store, 10, "A")
    entry = LedgerEntry.objects.get(kind="RECEIVE")
    before = snapshot()

    response = manager_client.post(reverse("inventory:ledger_reverse", args=[entry.pk]), {})

    assert texts(response) == ["The form expired; reload the page and try again."]
    assert snapshot() == before


def test_unknown_movement_cannot_be_reversed(manager_client):
    url = reverse("inventory:ledger_reverse", args=[999999])

    assert manager_client.post(url, {"idempotency_key": "k"}).status_code == 404


def _received_in_one_go(user, store, count):
    """An order of `count` lines, each of its own item, received by one submission."""
    order = PurchaseOrder.objects.create(
        supplier=ItemFactory().supplier, store=store, status="ORDERED", created_by=user
    )
    for _ in range(count):
        PurchaseOrderLine.objects.create(
            order=order, item=ItemFactory(), quantity_ordered=4, unit_cost="1.00"
        )
    receipts = [{"line": line, "quantity": 4} for line in order.lines.order_by("pk")]
    purchase_order_receive(actor=user, order=order, receipts=receipts)
    return list(LedgerEntry.objects.filter(kind="RECEIVE").order_by("pk"))


@pytest.mark.parametrize("count", [3, 12])
def test_other_rows_already_reversed_are_marked_in_constant_queries(
    manager_client, manager_user, store, count, django_assert_num_queries
):
    # given a receipt of several lines, all but the first reversed one by one (found by QA:
    # the other rows did not say so, and a manager tried to reverse one again)
    kept, *reversed_rows = _received_in_one_go(manager_user, store, count)
    reversals = [
        ledger_entry_reverse(actor=manager_user, entry=e).entries[0] for e in reversed_rows
    ]

    # when the kept row's page is shown: session, user, movement, its other rows, and the
    # menu's open alerts
    with django_assert_num_queries(5):
        response = manager_client.get(kept.get_absolute_url())

    # then each reversed row links to its reversal, in one query whatever their number
    page = response.content.decode()
    marks = [(e.pk, e.reversal_id) for e in response.context["siblings"]]
    assert marks == [(e.pk, r.pk) for e, r in zip(reversed_rows, reversals, strict=True)]
    assert page.count('data-testid="sibling-reversed"') == count - 1
    for reversal in reversals:
        assert f'href="{reversal.get_absolute_url()}"' in page
        assert f"Reversed by #{reversal.pk}</a>" in page


def test_other_rows_not_reversed_carry_no_mark(manager_client, manager_user, store):
    first, second = _received_in_one_go(manager_user, store, 2)
    reversal = ledger_entry_reverse(actor=manager_user, entry=first).entries[0]

    response = manager_client.get(first.get_absolute_url())

    assert response.context["reversed_by"] == reversal
    assert [(e.pk, e.reversal_id) for e in response.context["siblings"]] == [(second.pk, None)]
    assert b'data-testid="sibling-reversed"' not in response.content
