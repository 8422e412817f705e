"""A lot's page follows the batch through the lots made from it (returns held for
inspection, found stock), approved and sold again, at any depth up to DEPTH_FOLLOWED:
a recall reaches every customer who holds units of it, each counted once."""

from decimal import Decimal

import pytest
from django.urls import reverse

from inventory.models import Lot
from inventory.services.qc import lot_approve
from inventory.services.sales import sales_order_return
from inventory.services.stock import stock_receive
from inventory.tests.factories import CustomerFactory
from inventory.tests.views.lot_page_helpers import sell

pytestmark = pytest.mark.django_db
D = Decimal


def give_back(user, order, quantity, key):
    """Return part of the order's one line, damaged: it goes into a new QUARANTINE lot
    made from the lot it was shipped from."""
    sales_order_return(actor=user, line=order.lines.get(), quantity=quantity, damaged=True,
                       idempotency_key=key)  # fmt: skip


@pytest.fixture
def chain(manager_user, item, store):
    """L-1 (3 received): Ann buys 3, sends 3 back into R1 (made from L-1), approved; Bob
    buys 3 of R1, sends 1 back into R2 (made from R1), approved; Cy buys it. What is left
    with customers: Bob 2, Cy 1; nothing is left on the shelf."""
    lot = stock_receive(actor=manager_user, item=item, store=store, quantity=3,
                        lot_code="L-1").entries[0].lot  # fmt: skip
    ann, bob, cy = (CustomerFactory(name=name) for name in ("Ann", "Bob", "Cy"))
    give_back(manager_user, sell(manager_user, store, ann, item, "3", "a"), "3", "ra")
    first = Lot.objects.get(origin_lot=lot)
    lot_approve(actor=manager_user, lot=first)
    give_back(manager_user, sell(manager_user, store, bob, item, "3", "b"), "1", "rb")
    second = Lot.objects.get(origin_lot=first)
    lot_approve(actor=manager_user, lot=second)
    sell(manager_user, store, cy, item, "1", "c")
    return {"lot": lot, "first": first, "second": second}


def page(client, lot):
    return client.get(reverse("inventory:lot_detail", args=[lot.pk]))


def rows(response):
    return [
        (c["customer_name"], c["shipped"], c["returned"], c["net"], c["via"] and c["via"]["code"])
        for c in response.context["customers"]
    ]


def test_the_origin_lists_every_customer_down_the_chain_once(staff_client, chain):
    lot, first, second = chain["lot"], chain["first"], chain["second"]

    response = page(staff_client, lot)

    # Ann's 3 came back (into R1): net 0; Bob got 3 of R1 and sent 1 back (into R2); Cy
    # got R2's one. The most recent shipment first.
    assert rows(response) == [
        ("Cy", D("1"), D("0"), D("1"), second.code),
        ("Bob", D("3"), D("1"), D("2"), first.code),
        ("Ann", D("3"), D("3"), D("0"), None),
    ]
    assert [(m["code"], m["depth"], m["on_hand"]) for m in response.context["made"]] == [
        (first.code, 1, D("0")),
        (second.code, 2, D("0")),
    ]
    assert not response.context["deeper"]
    html = response.content.decode()
    assert f'via lot <a href="{first.get_absolute_url()}">{first.code}</a>' in html
    assert f'via lot <a href="{second.get_absolute_url()}">{second.code}</a>' in html


def test_the_lots_own_flows_stay_its_own_and_the_made_lots_add_up_apart(staff_client, chain):
    response = page(staff_client, chain["lot"])

    flows = response.context["flows"]
    assert [(f["label"], f["net"]) for f in flows] == [
        ("Received", D("3")),
        ("Shipped to customers", D("-3")),
    ]
    assert sum(f["net"] for f in flows) == response.context["stock"]["on_hand"] == 0
    # R1 took Ann's 3 back and shipped 3 to Bob; R2 took Bob's 1 and shipped it to Cy
    assert [(f["label"], f["net"]) for f in response.context["made_flows"]] == [
        ("Shipped to customers", D("-4")),
        ("Returned by customers into them", D("4")),
    ]


def test_a_lot_further_down_follows_its_own_chain_only(staff_client, chain):
    response = page(staff_client, chain["first"])

    # Ann's return made R1: it is not a return of R1's shipments, so she is not listed
    assert rows(response) == [
        ("Cy", D("1"), D("0"), D("1"), chain["second"].code),
        ("Bob", D("3"), D("1"), D("2"), None),
    ]
    assert [m["code"] for m in response.context["made"]] == [chain["second"].code]


def test_a_customer_who_bought_both_from_the_lot_and_a_lot_made_from_it_is_one_row(
    staff_client, manager_user, item, store
):
    lot = stock_receive(actor=manager_user, item=item, store=store, quantity=2,
                        lot_code="L-2").entries[0].lot  # fmt: skip
    dee = CustomerFactory(name="Dee")
    give_back(manager_user, sell(manager_user, store, dee, item, "1", "d1"), "1", "rd")
    lot_approve(actor=manager_user, lot=Lot.objects.get(origin_lot=lot))
    # one sale of 2 draws 1 from L-2 and 1 from the lot made from it
    sell(manager_user, store, dee, item, "2", "d2")

    (row,) = page(staff_client, lot).context["customers"]

    assert (row["shipped"], row["returned"], row["net"], row["orders"]) == (
        D("3"), D("1"), D("2"), 2
    )  # fmt: skip
    assert row["direct"] and row["via"]["code"] == Lot.objects.get(origin_lot=lot).code


@pytest.mark.parametrize("many", [False, True])
def test_the_query_count_is_the_same_with_one_or_many_lots_made_from_it(
    staff_client, manager_user, item, store, django_assert_num_queries, many
):
    # given a lot sold, returned into a lot made from it and sold again: once, or to a
    # dozen customers through a dozen lots, one of them three levels down
    n = 12 if many else 1
    lot = stock_receive(actor=manager_user, item=item, store=store, quantity=n,
                        lot_code="Q-1").entries[0].lot  # fmt: skip
    orders = [sell(manager_user, store, CustomerFactory(), item, "1", f"s{i}") for i in range(n)]
    for i, order in enumerate(orders):
        give_back(manager_user, order, "1", f"r{i}")
    for made in Lot.objects.filter(origin_lot=lot):
        lot_approve(actor=manager_user, lot=made)
    again = [sell(manager_user, store, CustomerFactory(), item, "1", f"t{i}") for i in range(n)]
    if many:
        for level in range(2):
            give_back(manager_user, again[level], "1", f"deep{level}")
            lot_approve(actor=manager_user, lot=Lot.objects.latest("pk"))
            again[level + 1] = sell(manager_user, store, CustomerFactory(), item, "1", f"u{level}")

    # then: session, user; lot, lots made from it (one query, any depth), their stock,
    # customers, purchase orders, stock, flows, their flows, decisions, movements
    with django_assert_num_queries(12):
        response = page(staff_client, lot)
    assert len(response.context["customers"]) == (2 * n + 2 if many else 2)
    depths = [m["depth"] for m in response.context["made"]]
    assert depths == ([1] * n + [2, 3] if many else [1])


def test_a_chain_deeper_than_followed_is_said_on_the_page(staff_client, manager_user, item, store):
    # given one unit sold and sent back six times over, each time into a new lot made
    # from the one it left, approved and sold on
    from inventory.selectors.lots import DEPTH_FOLLOWED

    lot = stock_receive(actor=manager_user, item=item, store=store, quantity=1,
                        lot_code="D-0").entries[0].lot  # fmt: skip
    for level in range(DEPTH_FOLLOWED + 1):
        order = sell(manager_user, store, CustomerFactory(name=f"K{level}"), item, "1", f"s{level}")
        give_back(manager_user, order, "1", f"r{level}")
        lot_approve(actor=manager_user, lot=Lot.objects.latest("pk"))

    # when the first lot's page is shown
    response = page(staff_client, lot)

    # then it follows five levels down and says the chain goes on
    assert [m["depth"] for m in response.context["made"]] == [1, 2, 3, 4, 5]
    assert response.context["deeper"]
    assert 'data-testid="made-deeper"' in response.content.decode()
    customers = {c["customer_name"]: c for c in response.context["customers"]}
    assert sorted(customers) == [f"K{level}" for level in range(DEPTH_FOLLOWED + 1)]
    assert all(customers[f"K{level}"]["net"] == 0 for level in range(DEPTH_FOLLOWED))
    # from the first lot made from it, the sixth level is the fifth: followed
    first = page(staff_client, Lot.objects.get(origin_lot=lot))
    assert [m["depth"] for m in first.context["made"]] == [1, 2, 3, 4, 5]
    assert not first.context["deeper"]


def test_past_the_lots_followed_the_page_says_so(staff_client, chain, monkeypatch):
    monkeypatch.setattr("inventory.selectors.lots.LOTS_FOLLOWED", 1)

    response = page(staff_client, chain["lot"])

    assert [m["code"] for m in response.context["made"]] == [chain["first"].code]
    assert response.context["deeper"]
    assert [c["customer_name"] for c in response.context["customers"]] == ["Bob", "Ann"]


def test_found_stock_sold_on_is_followed_and_the_made_lots_are_bounded_on_the_page(
    staff_client, manager_user, qc_item, store, monkeypatch
):
    # given a QC lot sold out, then 2 found of it (held in a lot made from it), approved
    # and sold to Eve, and a damaged return of Eve's: a second lot made from it
    from inventory.services.stock import stock_adjust

    lot = stock_receive(actor=manager_user, item=qc_item, store=store, quantity=1,
                        lot_code="F-1").entries[0].lot  # fmt: skip
    lot_approve(actor=manager_user, lot=lot)
    sell(manager_user, store, CustomerFactory(name="Dan"), qc_item, "1", "d")
    stock_adjust(actor=manager_user, lot=lot, store=store, quantity="2", reason="FOUND",
                 idempotency_key="f")  # fmt: skip
    found = Lot.objects.get(origin_lot=lot)
    lot_approve(actor=manager_user, lot=found)
    give_back(manager_user, sell(manager_user, store, CustomerFactory(name="Eve"), qc_item,
                                 "2", "e"), "1", "re")  # fmt: skip
    monkeypatch.setattr("inventory.views.lots.MADE_SHOWN", 1)

    # when its page is shown
    response = page(staff_client, lot)

    # then Eve is listed through the found lot, and one of the two lots made from it
    assert rows(response) == [
        ("Eve", D("2"), D("1"), D("1"), found.code),
        ("Dan", D("1"), D("0"), D("1"), None),
    ]
    assert [m["code"] for m in response.context["made"]] == [found.code]
    assert response.context["made_count"] == 2
    assert "The first 1 of 2 are listed." in response.content.decode()
    assert [(f["label"], f["net"]) for f in response.context["made_flows"]] == [
        ("Shipped to customers", D("-2")),
        ("Returned by customers into them", D("1")),
        ("Found", D("2")),
    ]
    assert response.context["made_on_hand"] == 1
