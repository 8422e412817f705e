"""A purchase order printed for its supplier: both parties, exact lines and total, the
draft and cancelled marks, the detail page's refusals, and as many queries at 10 lines
as at 1."""

import re
from datetime import date

import pytest
from django.urls import reverse

from inventory.services.purchasing import (
    purchase_order_cancel,
    purchase_order_create,
    purchase_order_place,
)
from inventory.tests.factories import ItemFactory
from inventory.tests.views.print_view_helpers import COMPANY, mark, row, section
from inventory.tests.views.purchasing_view_helpers import placed_order, receive_part

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("company")]


def print_url(order) -> str:
    return reverse("inventory:purchase_print", args=[order.pk])


def test_the_printed_order_shows_both_parties_its_lines_and_its_total(
    staff_client, manager_user, acme, depot
):
    # given an order of 10 boxes at 2.00 and 2.5 kg at 3.10, placed with its supplier
    bolts = ItemFactory(sku="BOLT-M8", name="Hex bolt M8", unit="box")
    sand = ItemFactory(sku="SAND-25", name="Sharp sand", unit="kg")
    order = purchase_order_create(
        actor=manager_user,
        supplier=acme,
        store=depot,
        expected_on=date(2030, 5, 4),
        note="Deliver before noon, gate B",
        lines=[(bolts, "10", "2.00"), (sand, "2.5", "3.10")],
    )
    purchase_order_place(actor=manager_user, order=order)

    # when a member of staff opens its print
    response = staff_client.get(print_url(order))

    # then the document names the order, both parties, each line and the total
    html = response.content.decode()
    assert response.status_code == 200
    assert f"Purchase order {order.number}" in html
    assert f'data-testid="doc-number">{order.number}<' in html
    day = re.search(r'data-testid="doc-date">([^<]*)<', html)[1]
    assert day == order.created_at.date().isoformat()
    assert 'data-testid="doc-status">Ordered<' in html
    assert "2030-05-04" in html  # expected on
    assert mark(html) is None
    supplier = section(html, "supplier")
    for text in ("Acme Fasteners", "1 Mill St", "Phone: 0999 123", "E-mail: orders@acme.example"):
        assert text in supplier
    deliver = section(html, "deliver-to")
    for text in (COMPANY, "North Depot", "12 Quay Road<br>Portside", "Contact: Jo 0111 222"):
        assert text in deliver
    assert f'data-testid="company-name">{COMPANY}<' in html
    assert row(html, "BOLT-M8") == {
        "quantity": "10 boxes",
        "unit-cost": "2.00",
        "line-total": "20.00",
        "lots": [],
    }
    assert row(html, "SAND-25") == {
        "quantity": "2.5 kg",
        "unit-cost": "3.10",
        "line-total": "7.75",
        "lots": [],
    }
    assert "Hex bolt M8" in html and "Sharp sand" in html
    assert 'data-testid="order-total">27.75<' in html
    assert "Deliver before noon, gate B" in section(html, "doc-note")
    assert "data-print" in html  # the Print button


def test_a_draft_is_printable_and_marked_as_no_order_yet(manager_client, draft):
    html = manager_client.get(print_url(draft)).content.decode()

    assert mark(html) == "DRAFT — not an order yet"
    assert 'data-testid="doc-status">Draft<' in html
    assert 'data-testid="order-total">20.00<' in html
    assert 'data-testid="doc-note"' not in html  # no note, no heading for one


def test_a_cancelled_order_is_marked_cancelled(manager_client, manager_user, ordered):
    purchase_order_cancel(actor=manager_user, order=ordered)

    html = manager_client.get(print_url(ordered)).content.decode()

    assert mark(html) == "CANCELLED"
    assert 'data-testid="doc-status">Cancelled<' in html
    # as on the order's page: a cancelled order is worth what was received, here nothing
    assert 'data-testid="order-total">0.00<' in html


def test_an_order_closed_short_is_marked_so_and_worth_what_came(
    manager_client, manager_user, staff_user, ordered
):
    receive_part(staff_user, ordered, quantity="4")
    purchase_order_cancel(actor=manager_user, order=ordered)

    html = manager_client.get(print_url(ordered)).content.decode()

    # what the supplier reads: the rest is not wanted (a QA pass found "CANCELLED" here)
    assert mark(html) == "CLOSED SHORT — nothing more to deliver"
    assert 'data-testid="doc-status">Closed short<' in html
    detail = manager_client.get(ordered.get_absolute_url())
    assert detail.context["order_value"] == 8
    assert 'data-testid="order-total">8.00<' in html


def test_the_order_page_offers_print_in_its_actions(staff_client, draft):
    html = staff_client.get(draft.get_absolute_url()).content.decode()

    actions = html.split('aria-label="Actions"', 1)[1].split("</div>", 1)[0]
    assert f'href="/purchases/{draft.pk}/print/"' in actions
    assert "Print</a>" in actions


def test_the_print_is_refused_as_the_order_page_is(client, roleless_user, draft):
    # anonymous: to the login page; no role yet: to the approval page; no such order: 404
    assert client.get(print_url(draft)).url.startswith("/login/")
    client.force_login(roleless_user)
    assert client.get(print_url(draft)).url == "/awaiting-approval/"
    assert client.get(draft.get_absolute_url()).url == "/awaiting-approval/"


def test_the_print_of_a_missing_order_is_404(staff_client):
    assert staff_client.get("/purchases/999999/print/").status_code == 404


@pytest.mark.parametrize("count", [1, 10])
def test_the_printed_order_costs_the_same_queries_at_1_and_10_lines(
    count, staff_client, manager_user, acme, depot, django_assert_num_queries
):
    items = [ItemFactory(sku=f"P-{n:02d}") for n in range(count)]
    order = placed_order(manager_user, acme, depot, *[(i, "3", "1.25") for i in items])

    # session, user with its role, the order, its lines, their available stock
    with django_assert_num_queries(5):
        response = staff_client.get(print_url(order))

    assert response.status_code == 200
    assert f'data-testid="order-total">{3.75 * count:.2f}<' in response.content.decode()
