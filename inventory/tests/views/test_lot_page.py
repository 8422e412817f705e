"""A lot's page (/lots/<pk>/): what the batch is, where its stock is, which customers it
went to and what happened to it, for a recall, a complaint or a supplier's query."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from inventory.models import LedgerEntry, Lot
from inventory.services.purchasing import purchase_order_receive
from inventory.services.sales import (
    sales_order_confirm,
    sales_order_create,
    sales_order_return,
)
from inventory.services.stock import stock_adjust, stock_transfer
from inventory.tests.factories import CustomerFactory
from inventory.tests.views.lot_page_helpers import sell
from inventory.tests.views.purchasing_view_helpers import placed_order

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def traced(manager_user, supplier, item, store, other_store):
    """Lot L-1 received on a purchase order (100 at 2.00), 30 moved to WH, 10 sold from
    MAIN to Ann (4 back), 5 and 3 sold from WH to Bob (2 back damaged: held in a lot of
    their own), 1 written off, 6 reserved for Cy."""
    order = placed_order(manager_user, supplier, store, (item, "100", "2.00"))
    line = order.lines.get()
    purchase_order_receive(
        actor=manager_user,
        order=order,
        receipts=[{"line": line, "quantity": "100", "lot_code": "L-1",
                   "expires_on": datetime.date(2031, 1, 1)}],
        idempotency_key="po",
    )  # fmt: skip
    lot = Lot.objects.get(item=item, code="L-1")
    stock_transfer(actor=manager_user, item=item, from_store=store, to_store=other_store,
                   quantity="30", lot=lot, idempotency_key="t")  # fmt: skip
    ann, bob, cy = (CustomerFactory(name=name) for name in ("Ann", "Bob", "Cy"))
    to_ann = sell(manager_user, store, ann, item, "10", "s1")
    sell(manager_user, other_store, bob, item, "5", "s2")
    to_bob = sell(manager_user, other_store, bob, item, "3", "s3")
    sales_order_return(actor=manager_user, line=to_ann.lines.get(), quantity="4",
                       idempotency_key="r1")  # fmt: skip
    sales_order_return(actor=manager_user, line=to_bob.lines.get(), quantity="2", damaged=True,
                       idempotency_key="r2")  # fmt: skip
    stock_adjust(actor=manager_user, lot=lot, store=store, quantity="-1", reason="WRITE_OFF",
                 idempotency_key="w")  # fmt: skip
    held = sales_order_create(
        actor=manager_user, store=store, customer=cy, lines=[(item, "6", None)]
    )
    sales_order_confirm(actor=manager_user, order=held, idempotency_key="c")
    return {"lot": lot, "order": order, "ann": ann, "bob": bob}


def page(client, lot, query=""):
    return client.get(reverse("inventory:lot_detail", args=[lot.pk]) + query)


def test_the_page_says_where_the_lot_is_and_where_it_went(staff_client, traced, item):
    lot = traced["lot"]

    response = page(staff_client, lot)

    assert response.status_code == 200
    context = response.context
    assert [
        (b.store.code, b.on_hand, b.reserved, b.value) for b in context["stock"]["balances"]
    ] == [
        ("MAIN", D("63"), D("6"), D("126.00")),
        ("WH", D("22"), D("0"), D("44.00")),
    ]
    assert (context["stock"]["on_hand"], context["stock"]["value"]) == (D("85"), D("170.00"))
    # Bob bought last: first. Bob's damaged return went into a lot held apart, netted too.
    assert [
        (c["customer_name"], c["shipped"], c["returned"], c["net"], c["orders"])
        for c in context["customers"]
    ] == [("Bob", D("8"), D("2"), D("6"), 2), ("Ann", D("10"), D("4"), D("6"), 1)]
    assert not context["more_customers"]
    assert [(f["label"], f["net"]) for f in context["flows"]] == [
        ("Received", D("100")),
        ("Shipped to customers", D("-18")),
        ("Returned by customers into this lot", D("4")),
        ("Write-off", D("-1")),
    ]
    assert sum(f["net"] for f in context["flows"]) == context["stock"]["on_hand"]
    assert [o["number"] for o in context["orders"]] == [traced["order"].number]
    html = response.content.decode()
    for link in (
        reverse("inventory:item_detail", args=[item.pk]),
        reverse("inventory:supplier_detail", args=[lot.supplier_id]),
        reverse("inventory:purchase_detail", args=[traced["order"].pk]),
        reverse("inventory:customer_detail", args=[traced["bob"].pk]),
        reverse("inventory:customer_detail", args=[traced["ann"].pk]),
    ):
        assert f'href="{link}"' in html
    assert '<span class="badge badge-qc-APPROVED" data-testid="qc-status">Approved</span>' in html
    assert "2031-01-01" in html
    # the damaged return's lot is named and linked, and names this lot back
    returned = Lot.objects.get(origin_lot=lot)
    assert f'href="{returned.get_absolute_url()}"' in html
    assert f'href="{lot.get_absolute_url()}"' in page(staff_client, returned).content.decode()


def test_a_reversed_receipt_counts_under_received(manager_user, staff_client, item, store):
    from inventory.services.moves import ledger_entry_reverse
    from inventory.services.stock import stock_receive

    lot = stock_receive(actor=manager_user, item=item, store=store, quantity=5,
                        lot_code="R-1").entries[0].lot  # fmt: skip
    stock_receive(actor=manager_user, item=item, store=store, quantity=2, lot_code="R-1")
    first = LedgerEntry.objects.filter(lot=lot).order_by("pk").first()
    ledger_entry_reverse(actor=manager_user, entry=first, idempotency_key="rv")

    flows = page(staff_client, lot).context["flows"]

    assert [(f["label"], f["net"]) for f in flows] == [("Received", D("2"))]


def test_the_customers_are_bounded_with_a_link_to_every_shipment(
    staff_client, manager_user, item, store, monkeypatch
):
    from inventory.services.stock import stock_receive

    lot = stock_receive(actor=manager_user, item=item, store=store, quantity=10,
                        lot_code="B/1").entries[0].lot  # fmt: skip
    for n in range(3):
        sell(manager_user, store, CustomerFactory(name=f"C{n}"), item, "1", f"s{n}")
    monkeypatch.setattr("inventory.views.lots.CUSTOMERS_SHOWN", 2)

    response = page(staff_client, lot)

    assert [c["customer_name"] for c in response.context["customers"]] == ["C2", "C1"]
    assert response.context["more_customers"]
    more = f"/ledger/?lot=B/1&amp;item={item.pk}&amp;kind=ISSUE"
    assert more in response.content.decode()
    listed = staff_client.get(f"/ledger/?lot=B/1&item={item.pk}&kind=ISSUE").context["page"]
    assert len(listed) == 3


@pytest.mark.parametrize("many", [False, True])
def test_the_query_count_is_the_same_with_one_or_many_rows(
    staff_client, manager_user, item, store, other_store, django_assert_num_queries, many
):
    from inventory.services.qc import lot_quarantine
    from inventory.services.stock import stock_receive

    lot = stock_receive(actor=manager_user, item=item, store=store, quantity=100,
                        lot_code="Q-1").entries[0].lot  # fmt: skip
    sell(manager_user, store, CustomerFactory(), item, "1", "s")
    if many:
        stock_transfer(actor=manager_user, item=item, from_store=store, to_store=other_store,
                       quantity="10", lot=lot, idempotency_key="t")  # fmt: skip
        for n in range(30):
            sell(manager_user, store, CustomerFactory(), item, "1", f"s{n}")
        sell(manager_user, other_store, None, item, "1", "walk-in")
        lot_quarantine(actor=manager_user, lot=lot, note="Complaint")

    # session, user and role; lot, purchase orders, stock, customers, flows, decisions,
    # lots made from it, movements
    with django_assert_num_queries(10):
        first = page(staff_client, lot)
    with django_assert_num_queries(10):
        page(staff_client, lot, f"?{first.context['page'].older_query or 'oldest=1'}")
    assert len(first.context["customers"]) == (32 if many else 1)


def test_the_movements_are_a_keyset_page_of_this_lot_only(staff_client, manager_user, item, store):
    from inventory.services.stock import stock_receive

    lot = stock_receive(actor=manager_user, item=item, store=store, quantity=100,
                        lot_code="K-1").entries[0].lot  # fmt: skip
    stock_receive(actor=manager_user, item=item, store=store, quantity=1, lot_code="OTHER")
    for n in range(26):
        stock_adjust(actor=manager_user, lot=lot, store=store, quantity="-1", reason="DAMAGE",
                     idempotency_key=f"a{n}")  # fmt: skip

    first = page(staff_client, lot)
    older = page(staff_client, lot, f"?{first.context['page'].older_query}")

    assert len(first.context["page"]) == 25 and ">Older</a>" in first.content.decode()
    assert [e.kind for e in older.context["page"]] == ["ADJUST", "RECEIVE"]
    assert {e.lot_id for e in [*first.context["page"], *older.context["page"]]} == {lot.pk}
    assert [(f["label"], f["net"]) for f in first.context["flows"]] == [
        ("Received", D("100")),
        ("Damage", D("-26")),
    ]
