"""A sales order's delivery note: the customer, the store it ships from, each line's
ordered and shipped (net of returns, as on the order's page) quantities and the lots
they left, no price anywhere; a clear note when nothing has shipped; the order page's
refusals; as many queries at 10 lines as at 1."""

from datetime import date

import pytest
from django.urls import reverse

from inventory.models import Lot
from inventory.services.sales import (
    sales_order_confirm,
    sales_order_create,
    sales_order_return,
    sales_order_ship,
    sales_quick_sale,
)
from inventory.services.sales_shipping import _shipped_by_lot
from inventory.services.stock import stock_receive
from inventory.tests.factories import CustomerFactory, ItemFactory
from inventory.tests.views.print_view_helpers import COMPANY, mark, row, section
from inventory.tests.views.sales_view_helpers import Status, make_order

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("company")]

NEAR, FAR = date(2030, 6, 30), date(2031, 1, 31)


def print_url(order) -> str:
    return reverse("inventory:sales_print", args=[order.pk])


@pytest.fixture(name="shipped")
def shipped_fixture(staff_user, depot):
    """5 of 6 boxes of bolts at 7.25 shipped to a customer from two lots (FEFO: 3 from
    L-NEAR, 2 from L-FAR), then 1 sent back damaged (into a lot held for inspection)."""
    customer = CustomerFactory(
        name="Bay Builders", address="4 Dock Lane", phone="0777 555", email="site@bay.example"
    )
    bolts = ItemFactory(sku="BOLT-M8", name="Hex bolt M8", unit="box")
    for code, quantity, expires_on in (("L-NEAR", "3", NEAR), ("L-FAR", "10", FAR)):
        stock_receive(
            actor=staff_user,
            item=bolts,
            store=depot,
            quantity=quantity,
            lot_code=code,
            expires_on=expires_on,
            unit_cost="1.10",
        )
    order = sales_order_create(
        actor=staff_user,
        store=depot,
        customer=customer,
        note="Rings twice",
        lines=[(bolts, "6", "7.25")],
    )
    sales_order_confirm(actor=staff_user, order=order, idempotency_key=None)
    line = order.lines.get()
    sales_order_ship(actor=staff_user, order=order, shipments={line: "5"}, idempotency_key=None)
    sales_order_return(actor=staff_user, line=line, quantity="1", damaged=True, idempotency_key="r")
    order.refresh_from_db()
    return order


def test_the_delivery_note_shows_what_was_shipped_by_lot_net_of_returns(staff_client, shipped):
    # when a member of staff opens the delivery note of the partly shipped order
    response = staff_client.get(print_url(shipped))

    # then the customer, the store and the line are there, shipped net of the return,
    # each lot with what is still out of it
    html = response.content.decode()
    assert response.status_code == 200
    assert f"Delivery note {shipped.number}" in html
    assert 'data-testid="doc-status">Partially shipped<' in html
    customer = section(html, "customer")
    for text in ("Bay Builders", "4 Dock Lane", "Phone: 0777 555", "E-mail: site@bay.example"):
        assert text in customer
    ships_from = section(html, "ships-from")
    for text in (COMPANY, "North Depot", "12 Quay Road<br>Portside", "Contact: Jo 0111 222"):
        assert text in ships_from
    assert row(html, "BOLT-M8") == {
        "ordered": "6 boxes",
        "shipped": "4 boxes",
        "lots": ["L-NEAR: 3 boxes (expires 2030-06-30)", "L-FAR: 1 box (expires 2031-01-31)"],
    }
    assert mark(html) is None
    assert "data-print" in html


def test_the_delivery_note_agrees_with_the_order_page_and_the_return_service(staff_client, shipped):
    page = staff_client.get(shipped.get_absolute_url())
    (line,) = page.context["lines"]
    html = staff_client.get(print_url(shipped)).content.decode()

    # shipped is the order page's figure; the lots are those a return would draw from
    assert (line.quantity_shipped, line.quantity_returned) == (5, 1)
    assert row(html, "BOLT-M8")["shipped"] == f"{line.returnable:.0f} boxes"
    by_lot = {Lot.objects.get(pk=pk).code: q for pk, q in _shipped_by_lot(line).items()}
    assert by_lot == {"L-NEAR": 3, "L-FAR": 1}


def test_the_delivery_note_carries_no_price(staff_client, shipped):
    html = staff_client.get(print_url(shipped)).content.decode()

    # the order page shows 7.25 a box, 36.25 ordered and 29.00 shipped; the note none
    for price in ("7.25", "36.25", "29.00", "Unit price", "Value", "USD"):
        assert price not in html, price
    assert "Rings twice" not in html  # the order's note is for the staff


def test_an_order_with_nothing_shipped_says_so(staff_client, staff_user, store, item):
    order = make_order(staff_user, store, item, status=Status.CONFIRMED)

    response = staff_client.get(print_url(order))

    html = response.content.decode()
    assert response.status_code == 200
    assert mark(html) == "Nothing shipped yet"
    assert f"Nothing of {order.number} has left Main Store" in html
    assert 'data-testid="print-lines"' not in html
    assert "data-print" not in html  # nothing to print


def test_a_walk_in_sale_prints_for_a_walk_in_customer(staff_client, staff_user, store, item):
    order = make_order(staff_user, store, item, quantity="2", status=Status.SHIPPED)

    html = staff_client.get(print_url(order)).content.decode()

    assert "Walk-in customer" in section(html, "customer")
    assert row(html, "SKU-0042")["shipped"] == "2 pcs"


@pytest.mark.parametrize(
    ("status", "offered"),
    [
        (Status.DRAFT, False),
        (Status.CONFIRMED, False),
        (Status.PARTIALLY_SHIPPED, True),
        (Status.SHIPPED, True),
    ],
)
def test_the_order_page_offers_the_delivery_note_once_shipped(
    staff_client, staff_user, store, item, status, offered
):
    order = make_order(staff_user, store, item, status=status)

    html = staff_client.get(order.get_absolute_url()).content.decode()

    actions = html[html.index('data-testid="order-actions"') : html.index("<dl")]
    assert (f'href="/sales/{order.pk}/print/"' in actions) is offered


def test_the_delivery_note_is_refused_as_the_order_page_is(client, roleless_user, shipped):
    assert client.get(print_url(shipped)).url.startswith("/login/")
    client.force_login(roleless_user)
    assert client.get(print_url(shipped)).url == "/awaiting-approval/"


def test_the_delivery_note_of_a_missing_order_is_404(staff_client):
    assert staff_client.get("/sales/999999/print/").status_code == 404


@pytest.mark.parametrize("count", [1, 10])
def test_the_delivery_note_costs_the_same_queries_at_1_and_10_lines(
    count, staff_client, staff_user, depot, django_assert_num_queries
):
    items = [ItemFactory(sku=f"S-{n:02d}") for n in range(count)]
    for n, item in enumerate(items):
        stock_receive(actor=staff_user, item=item, store=depot, quantity="9", lot_code=f"A{n}")
        stock_receive(actor=staff_user, item=item, store=depot, quantity="9", lot_code=f"B{n}")
    order = sales_quick_sale(
        actor=staff_user,
        store=depot,
        customer=None,
        lines=[(item, "12", None) for item in items],  # 9 from one lot, 3 from the next
        idempotency_key=f"sale-{count}",
    ).order

    # session, user with its role, the order with customer and store, its lines, their lots
    with django_assert_num_queries(5):
        response = staff_client.get(print_url(order))

    html = response.content.decode()
    assert response.status_code == 200
    assert row(html, f"S-{count - 1:02d}")["lots"] == [
        f"A{count - 1}: 9 pcs",
        f"B{count - 1}: 3 pcs",
    ]


def test_an_order_whose_goods_all_came_back_says_so(staff_client, staff_user, shipped):
    line = shipped.lines.get()
    sales_order_return(actor=staff_user, line=line, quantity="4", idempotency_key="rest")

    html = staff_client.get(print_url(shipped)).content.decode()

    # 5 left, 1 came back damaged and 4 more now: the customer holds none of it
    assert mark(html) == "All returned"
    assert f"Everything that left North Depot for {shipped.number} has come back" in html
    assert 'data-testid="print-lines"' not in html
    assert 'data-testid="signature"' not in html
    assert "data-print" not in html  # nothing to print
