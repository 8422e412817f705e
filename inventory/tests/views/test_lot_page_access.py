"""Who reads a lot's page, what a manager is offered there, and the lot codes elsewhere that
lead to it (item page, movements, QC queue, hold page, purchase order, dashboard)."""

import pytest
from django.urls import reverse

from inventory.models import LedgerEntry
from inventory.services.qc import lot_quarantine
from inventory.services.stock import stock_receive

pytestmark = pytest.mark.django_db


@pytest.fixture
def lot(manager_user, item, store):
    return (
        stock_receive(actor=manager_user, item=item, store=store, quantity=5, lot_code="LINK-1")
        .entries[0]
        .lot
    )


def url(lot):
    return reverse("inventory:lot_detail", args=[lot.pk])


def link(lot):
    return f'<a href="{url(lot)}">LINK-1</a>'


def test_the_url_is_named(lot):
    assert url(lot) == f"/lots/{lot.pk}/" == lot.get_absolute_url()


def test_staff_read_it_and_anonymous_users_are_sent_to_login(client, staff_client, lot):
    assert staff_client.get(url(lot)).status_code == 200

    response = client.get(url(lot))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_an_unknown_lot_is_404(staff_client, db):
    assert staff_client.get("/lots/999999/").status_code == 404


def test_a_manager_may_hold_an_approved_lot_from_it_and_staff_see_no_action(
    manager_client, staff_client, lot
):
    hold = reverse("inventory:lot_hold", args=[lot.pk])

    managers = manager_client.get(url(lot)).content.decode()
    staffs = staff_client.get(url(lot)).content.decode()

    assert f'href="{hold}"' in managers
    assert 'data-testid="lot-actions"' not in staffs and hold not in staffs


def test_a_quarantined_lot_sends_a_manager_to_the_qc_queue(
    manager_client, staff_client, manager_user, lot
):
    lot_quarantine(actor=manager_user, lot=lot, note="Complaint")
    queue = reverse("inventory:lot_queue")

    managers = manager_client.get(url(lot))
    staffs = staff_client.get(url(lot)).content.decode()

    actions = managers.content.decode().split('data-testid="lot-actions"')[1]
    assert f'href="{queue}">Decide in the QC queue' in actions
    assert reverse("inventory:lot_hold", args=[lot.pk]) not in actions
    assert 'data-testid="lot-actions"' not in staffs
    decisions = managers.context["decisions"]
    assert [(d.from_status, d.to_status, d.note) for d in decisions] == [
        ("APPROVED", "QUARANTINE", "Complaint")
    ]


def test_the_item_page_links_its_lots_to_their_page(staff_client, item, lot):
    html = staff_client.get(reverse("inventory:item_detail", args=[item.pk])).content.decode()

    per_lot = html.split('data-testid="stock-by-lot"')[1].split("</table>")[0]
    movements = html.split('data-testid="movements"')[1].split("</table>")[0]
    assert link(lot) in per_lot and link(lot) in movements
    assert staff_client.get(url(lot)).context["lot"] == lot


def test_the_movements_list_and_a_movement_link_the_lot(staff_client, lot):
    entry = LedgerEntry.objects.get(lot=lot)

    listed = staff_client.get(reverse("inventory:ledger_list")).content.decode()
    detail = staff_client.get(reverse("inventory:ledger_detail", args=[entry.pk])).content.decode()

    assert link(lot) in listed.split('data-testid="movements"')[1]
    assert link(lot) in detail


def test_the_qc_queue_its_decisions_and_the_hold_page_link_the_lot(
    manager_client, manager_user, lot
):
    lot_quarantine(actor=manager_user, lot=lot, note="Complaint")

    queue = manager_client.get(reverse("inventory:lot_queue")).content.decode()
    hold = manager_client.get(reverse("inventory:lot_hold", args=[lot.pk])).content.decode()

    waiting = queue.split('data-testid="qc-queue"')[1].split("</table>")[0]
    decided = queue.split('data-testid="qc-decisions"')[1]
    assert link(lot) in waiting and link(lot) in decided
    assert link(lot) in hold


def test_a_purchase_order_links_the_lots_it_received(manager_client, manager_user, item, store):
    from inventory.models import Lot
    from inventory.services.purchasing import purchase_order_receive
    from inventory.tests.factories import SupplierFactory
    from inventory.tests.views.purchasing_view_helpers import placed_order

    order = placed_order(manager_user, SupplierFactory(), store, (item, "3", "1.00"))
    purchase_order_receive(
        actor=manager_user,
        order=order,
        receipts=[{"line": order.lines.get(), "quantity": "3", "lot_code": "LINK-1"}],
        idempotency_key="po",
    )
    lot = Lot.objects.get(code="LINK-1")

    html = manager_client.get(reverse("inventory:purchase_detail", args=[order.pk])).content
    assert link(lot) in html.decode()
    assert [o["pk"] for o in manager_client.get(url(lot)).context["orders"]] == [order.pk]
