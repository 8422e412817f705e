"""The purchase list's supplier filter and the sales list's customer filter: they find that
party's orders (deactivated parties' too), keep across pages, and no value makes them fail."""

import pytest

from inventory.tests.factories import CustomerFactory, SupplierFactory
from inventory.tests.views.party_filter_helpers import (
    HOSTILE_ID,
    PURCHASES,
    SALES,
    deactivate,
    field_group,
    purchase,
    sale,
)

pytestmark = pytest.mark.django_db


# --- the purchase list's supplier filter ------------------------------------------------


@pytest.fixture
def two_suppliers(manager_user, store, item):
    """Two namesakes "Brite Co", one "Acme Ltd", an order for each."""
    first, second = SupplierFactory(name="Brite Co"), SupplierFactory(name="Brite Co")
    acme = SupplierFactory(name="Acme Ltd")
    orders = {s.pk: purchase(manager_user, s, store, item).number for s in (first, second, acme)}
    return first, second, acme, orders


def purchase_numbers(client, **params):
    response = client.get(PURCHASES, params)
    assert response.status_code == 200
    return [o.number for o in response.context["orders"]], response.content.decode()


def test_purchases_filtered_by_the_supplier_chosen_or_typed(staff_client, two_suppliers):
    first, second, acme, orders = two_suppliers

    chosen, _ = purchase_numbers(staff_client, supplier_q="Brite Co", supplier_id=second.pk)
    typed, html = purchase_numbers(staff_client, supplier_q="  acme LTD ", supplier_id="")
    posted_id, _ = purchase_numbers(staff_client, supplier=first.pk)  # a client's ?supplier=

    assert chosen == [orders[second.pk]]
    assert typed == [orders[acme.pk]]
    assert posted_id == [orders[first.pk]]
    assert 'name="supplier_q" value="  acme LTD "' in field_group(html, "supplier")


def test_a_deactivated_suppliers_orders_can_still_be_filtered(staff_client, two_suppliers):
    first, second, acme, orders = two_suppliers
    deactivate(acme)

    by_name, _ = purchase_numbers(staff_client, supplier_q="Acme Ltd")
    by_id, _ = purchase_numbers(staff_client, supplier_q="Acme Ltd", supplier_id=acme.pk)

    assert by_name == by_id == [orders[acme.pk]]


@pytest.mark.parametrize(
    "params, message",
    [
        ({"supplier_q": "Nobody"}, "No supplier is named “Nobody”."),
        ({"supplier_q": "Brite Co"}, "Several suppliers are named “Brite Co”"),
        ({"supplier_q": "Brite Co", "supplier_id": HOSTILE_ID}, "Several suppliers are named"),
        ({"supplier_q": "Nobody", "supplier_id": "abc"}, "No supplier is named “Nobody”."),
        ({"supplier": HOSTILE_ID}, f"No supplier has the id {HOSTILE_ID}."),
        ({"supplier": "x" * 10_000}, f"No supplier has the id {'x' * 100}."),
        ({"supplier_q": "x" * 10_000}, "Ensure this value has at most 150 characters."),
        ({"supplier_q": "<b>Nobody"}, "No supplier is named “&lt;b&gt;Nobody”."),
    ],
)
def test_a_bad_supplier_filter_lists_no_order_and_says_why_next_to_the_field(
    staff_client, two_suppliers, params, message
):
    numbers, html = purchase_numbers(staff_client, **params)

    # nothing is listed, as for any filter that cannot be read, and the field says why
    assert numbers == []
    group = field_group(html, "supplier")
    assert message in group
    assert 'aria-describedby="id_supplier-picked id_supplier_error"' in group
    assert len(html) < 100_000  # 10,000 characters are not echoed back
    assert "<b>" not in html


def test_a_nul_in_the_supplier_filter_is_refused_with_a_clear_page(staff_client, two_suppliers):
    for params in ({"supplier_q": "Acme\x00"}, {"supplier_id": "1\x00"}):
        response = staff_client.get(PURCHASES, params)
        assert response.status_code == 400
        assert "NUL" in response.content.decode()


def test_the_purchase_pages_keep_the_supplier_filter(staff_client, manager_user, store, item):
    chosen, other = SupplierFactory(name="Brite Co"), SupplierFactory(name="Acme Ltd")
    for _ in range(27):
        purchase(manager_user, chosen, store, item)
    purchase(manager_user, other, store, item)

    first = staff_client.get(PURCHASES, {"supplier_q": "Brite Co", "supplier_id": chosen.pk})
    older = first.context["page"].older_query
    second = staff_client.get(f"{PURCHASES}?{older}")

    assert f"supplier_id={chosen.pk}" in older and "supplier_q=Brite+Co" in older
    orders = [*first.context["orders"], *second.context["orders"]]
    assert len(orders) == 27 and {o.supplier_id for o in orders} == {chosen.pk}
    assert f'name="supplier_id" value="{chosen.pk}"' in second.content.decode()


# --- the sales list's customer filter ---------------------------------------------------


@pytest.fixture
def customer_orders(staff_user, store, item):
    from inventory.services.stock import stock_receive

    stock_receive(actor=staff_user, item=item, store=store, quantity="10")
    first, second = CustomerFactory(name="Ann Lee"), CustomerFactory(name="Ann Lee")
    bob = CustomerFactory(name="Bob Ray")
    orders = {c.pk: sale(staff_user, c, store, item).number for c in (first, second, bob)}
    orders[None] = sale(staff_user, None, store, item).number
    return first, second, bob, orders


def sales_numbers(client, **params):
    response = client.get(SALES, params)
    assert response.status_code == 200
    return [o.number for o in response.context["page"]], response.content.decode()


def test_sales_filtered_by_the_customer_chosen_or_typed_or_walk_in(staff_client, customer_orders):
    first, second, bob, orders = customer_orders

    chosen, _ = sales_numbers(staff_client, customer_q="Ann Lee", customer_id=second.pk)
    typed, _ = sales_numbers(staff_client, customer_q="bob ray")
    posted_id, _ = sales_numbers(staff_client, customer=first.pk)  # a client's ?customer=
    walk_in, html = sales_numbers(staff_client, walk_in="on", customer_q="")
    old_link, _ = sales_numbers(staff_client, customer="walk-in")  # a link from before

    assert chosen == [orders[second.pk]]
    assert typed == [orders[bob.pk]]
    assert posted_id == [orders[first.pk]]
    assert walk_in == old_link == [orders[None]]
    assert 'name="walk_in" class="form-check-input" id="id_walk_in" checked' in html


def test_a_deactivated_customers_orders_can_still_be_filtered(staff_client, customer_orders):
    first, second, bob, orders = customer_orders
    deactivate(bob)

    assert sales_numbers(staff_client, customer_q="Bob Ray")[0] == [orders[bob.pk]]


@pytest.mark.parametrize(
    "params, message",
    [
        ({"customer_q": "Nobody"}, "No customer is named “Nobody”."),
        ({"customer_q": "Ann Lee", "customer_id": ""}, "Several customers are named “Ann Lee”"),
        ({"customer": HOSTILE_ID}, f"No customer has the id {HOSTILE_ID}."),
        ({"customer_q": "x" * 10_000}, "Ensure this value has at most 150 characters."),
        ({"customer_q": "Bob Ray", "walk_in": "on"}, "Walk-in orders have no customer"),
    ],
)
def test_a_bad_customer_filter_lists_no_order_and_says_why_next_to_the_field(
    staff_client, customer_orders, params, message
):
    numbers, html = sales_numbers(staff_client, **params)

    assert numbers == []
    assert message in field_group(html, "customer")


def test_a_nul_in_the_customer_filter_is_refused_with_a_clear_page(staff_client):
    response = staff_client.get(SALES, {"customer_q": "Ann\x00"})

    assert response.status_code == 400
    assert "NUL" in response.content.decode()
