"""A manager takes an approved lot out of sale from the item page: on hold (back to the QC
queue) or rejected, with a reason. Found by a manager QA pass: the hold existed only in
the API, so a recalled lot could not be stopped from a phone."""

from decimal import Decimal

import pytest
from django.urls import reverse

from inventory.models import LedgerEntry, Lot, LotDecision, QCStatus
from inventory.selectors.stock import stock_totals_for_item
from inventory.services.qc import lot_quarantine
from inventory.services.sales import sales_order_confirm, sales_order_create
from inventory.services.stock import stock_receive

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def lots(manager_user, item, store):
    """Two approved lots of the item: 10 in H-1 (earlier expiry), 5 in H-2."""
    return [
        stock_receive(
            actor=manager_user, item=item, store=store, quantity=qty, unit_cost="1.00",
            lot_code=code,
        ).entries[0].lot
        for code, qty in (("H-1", "10"), ("H-2", "5"))
    ]  # fmt: skip


def state(lot):
    lot.refresh_from_db()
    return lot.qc_status, LotDecision.objects.count(), LedgerEntry.objects.count()


def hold(client, lot, **data):
    return client.post(reverse("inventory:lot_hold", args=[lot.pk]), data)


def test_the_item_page_offers_a_manager_the_hold_of_each_approved_lot(
    manager_client, staff_client, lots, item
):
    url = reverse("inventory:item_detail", args=[item.pk])
    link = reverse("inventory:lot_hold", args=[lots[0].pk])
    assert link in manager_client.get(url).content.decode()
    assert link not in staff_client.get(url).content.decode()


def test_a_held_lot_leaves_available_stock_and_waits_in_the_queue(
    manager_client, lots, item, store
):
    page = manager_client.get(reverse("inventory:lot_hold", args=[lots[0].pk]))
    assert page.status_code == 200 and "H-1" in page.content.decode()

    response = hold(manager_client, lots[0], note="Recall 2026-11", decision="hold",
                    shown="APPROVED")  # fmt: skip

    assert response.status_code == 302
    assert response.url == reverse("inventory:item_detail", args=[item.pk])
    assert state(lots[0])[0] == QCStatus.QUARANTINE
    decision = LotDecision.objects.get(lot=lots[0])
    assert (decision.from_status, decision.to_status, decision.note) == (
        "APPROVED", "QUARANTINE", "Recall 2026-11",
    )  # fmt: skip
    assert stock_totals_for_item(item=item, store=store)["available"] == D("5")
    queue = manager_client.get(reverse("inventory:lot_queue")).content.decode()
    assert 'data-testid="qc-lot-H-1"' in queue


def test_a_lot_is_rejected_from_the_same_page(manager_client, lots, item, store):
    hold(manager_client, lots[1], note="Mould", decision="reject", shown="APPROVED")

    assert state(lots[1])[0] == QCStatus.REJECTED
    assert stock_totals_for_item(item=item, store=store)["available"] == D("10")


def test_a_reserved_lot_held_leaves_its_order_reserved_on_the_other_lot(
    manager_client, manager_user, lots, item, store
):
    order = sales_order_create(
        actor=manager_user, store=store, customer=None, lines=[(item, "4", "2.00")]
    )
    sales_order_confirm(actor=manager_user, order=order, idempotency_key="c")

    hold(manager_client, lots[0], note="Recall", decision="hold", shown="APPROVED")

    assert state(lots[0])[0] == QCStatus.QUARANTINE
    # 5 in H-2 less the 4 still promised to the order
    assert stock_totals_for_item(item=item, store=store)["available"] == D("1")


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"note": "", "decision": "hold"}, "note", "Say why the lot is taken out of sale."),
        ({"note": "   ", "decision": "reject"}, "note", "Say why the lot is taken out of sale."),
        ({"note": "Recall"}, "decision", "Choose hold or reject."),
        ({"note": "Recall", "decision": "sell"}, "decision", "Choose hold or reject."),
        ({"note": "a\x00b", "decision": "hold"}, "note", None),
    ],
)
def test_bad_input_is_refused_next_to_its_field_and_changes_nothing(
    manager_client, lots, data, field, message
):
    before = state(lots[0])

    response = hold(manager_client, lots[0], shown="APPROVED", **data)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    if message:
        assert errors[field] == [message]
        assert message in response.content.decode()
    assert state(lots[0]) == before


def test_a_lot_decided_since_the_page_opened_is_not_decided_again(
    manager_client, manager_user, lots
):
    lot_quarantine(actor=manager_user, lot=lots[0], note="by a colleague")
    before = state(lots[0])

    response = hold(manager_client, lots[0], note="Mould", decision="reject", shown="APPROVED")

    assert response.status_code == 200
    assert "since this page was opened" in response.content.decode()
    assert state(lots[0]) == before  # still on hold, not rejected


def test_a_lot_not_approved_offers_no_form(manager_client, manager_user, lots):
    lot_quarantine(actor=manager_user, lot=lots[0], note="held")

    page = manager_client.get(reverse("inventory:lot_hold", args=[lots[0].pk])).content.decode()

    assert "QC queue" in page and 'value="reject"' not in page


def test_staff_cannot_hold_a_lot_and_an_unknown_lot_is_404(staff_client, manager_client, lots):
    before = state(lots[0])
    assert hold(staff_client, lots[0], note="x", decision="hold").status_code == 403
    assert state(lots[0]) == before
    missing = Lot.objects.order_by("-pk").first().pk + 1
    assert manager_client.get(reverse("inventory:lot_hold", args=[missing])).status_code == 404
