"""Suppliers and customers picked by name in the purchase and sales lists' filters and the
item form: the pages name only the chosen party whatever their number, the filters find
that party's orders (deactivated parties' too), and no value makes them fail."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inventory.models import AuditEvent, Item, Supplier
from inventory.services.purchasing import purchase_order_create
from inventory.services.sales import sales_order_create
from inventory.tests.factories import CategoryFactory, CustomerFactory, SupplierFactory

pytestmark = pytest.mark.django_db

PURCHASES = reverse("inventory:purchase_list")
SALES = reverse("inventory:sales_list")
HOSTILE_ID = "9" * 30


def purchase(user, supplier, store, item):
    return purchase_order_create(
        actor=user, supplier=supplier, store=store, lines=[(item, "1", None)]
    )


def sale(user, customer, store, item):
    return sales_order_create(actor=user, store=store, customer=customer, lines=[(item, "1")])


def deactivate(party):
    party.is_active = False
    party.save(update_fields=["is_active"])
    return party


def field_group(html, name) -> str:
    """The markup of one field's group: its label, box, errors and help."""
    start = html.index(f'id="div_id_{name}"')
    end = html.find('id="div_id_', start + 1)
    return html[start : end if end > 0 else len(html)]


# --- the pages stay the same size whatever the number of parties ------------------------

NAMED = re.compile(r"PARTY-[CS]\d{4}")


def _page(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return set(NAMED.findall(response.content.decode())), len(queries.captured_queries)


def _urls(chosen_supplier, chosen_customer, edited):
    supplier = f"supplier_q={chosen_supplier.name}&supplier_id={chosen_supplier.pk}"
    customer = f"customer_q={chosen_customer.name}&customer_id={chosen_customer.pk}"
    return {
        "purchases": ("staff_client", PURCHASES, {"PARTY-S0000", "PARTY-S0001"}),
        "purchases by supplier": ("staff_client", f"{PURCHASES}?{supplier}", {"PARTY-S0000"}),
        "sales": ("staff_client", SALES, {"PARTY-C0000", "PARTY-C0001"}),
        "sales by customer": ("staff_client", f"{SALES}?{customer}", {"PARTY-C0000"}),
        "sales walk-in only": ("staff_client", f"{SALES}?walk_in=on", set()),
        "new item": ("manager_client", reverse("inventory:item_create"), set()),
        "item edit": (
            "manager_client",
            reverse("inventory:item_edit", args=[edited.pk]),
            {"PARTY-S0000"},
        ),
    }


@pytest.mark.parametrize(
    "page",
    [
        "purchases",
        "purchases by supplier",
        "sales",
        "sales by customer",
        "sales walk-in only",
        "new item",
        "item edit",
    ],
)
def test_filter_and_item_pages_name_only_the_chosen_party(request, manager_user, store, item, page):
    # given two suppliers and two customers with an order each, the item's supplier the first
    suppliers = [SupplierFactory(name=f"PARTY-S{n:04d}") for n in range(2)]
    customers = [CustomerFactory(name=f"PARTY-C{n:04d}") for n in range(2)]
    for supplier, customer in zip(suppliers, customers, strict=True):
        purchase(manager_user, supplier, store, item)
        sale(manager_user, customer, store, item)
    item.supplier = suppliers[0]
    item.save(update_fields=["supplier"])
    who, url, expected = _urls(suppliers[0], customers[0], item)[page]
    client = request.getfixturevalue(who)
    client.get(url)  # warm the session and role caches
    named_few, queries_few = _page(client, url)

    # when 200 more of each are added
    for n in range(2, 202):
        SupplierFactory(name=f"PARTY-S{n:04d}")
        CustomerFactory(name=f"PARTY-C{n:04d}")
    named_many, queries_many = _page(client, url)

    # then the page names only the parties chosen or on its rows, at the same cost
    assert named_few == expected == named_many
    assert queries_many == queries_few


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
def test_a_bad_supplier_filter_lists_every_order_and_says_why_next_to_the_field(
    staff_client, two_suppliers, params, message
):
    *_, orders = two_suppliers

    numbers, html = purchase_numbers(staff_client, **params)

    # the filters are ignored, as for any invalid filter, and the field says why
    assert sorted(numbers) == sorted(orders.values())
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
def test_a_bad_customer_filter_lists_every_order_and_says_why_next_to_the_field(
    staff_client, customer_orders, params, message
):
    *_, orders = customer_orders

    numbers, html = sales_numbers(staff_client, **params)

    assert sorted(numbers) == sorted(orders.values())
    assert message in field_group(html, "customer")


def test_a_nul_in_the_customer_filter_is_refused_with_a_clear_page(staff_client):
    response = staff_client.get(SALES, {"customer_q": "Ann\x00"})

    assert response.status_code == 400
    assert "NUL" in response.content.decode()


# --- the pickers the filters ask --------------------------------------------------------


def test_the_filters_pickers_ask_for_deactivated_parties_too(staff_client):
    SupplierFactory(name="Old Supplies", is_active=False)
    SupplierFactory(name="Older Supplies")
    url = reverse("inventory:picker_suppliers")

    everyone = staff_client.get(url, {"q": "old", "scope": "all"}).json()["results"]
    active = staff_client.get(url, {"q": "old"}).json()["results"]
    purchases = staff_client.get(PURCHASES).content.decode()
    sales = staff_client.get(SALES).content.decode()

    assert [(r["value"], r["active"]) for r in everyone] == [
        ("Old Supplies", False),
        ("Older Supplies", True),
    ]
    assert [r["value"] for r in active] == ["Older Supplies"]
    box = 'data-picker="{0}" data-picker-url="/pickers/{0}s/" data-picker-scope="all"'
    assert box.format("supplier") in purchases
    assert box.format("customer") in sales


# --- the item's default supplier --------------------------------------------------------


def item_post(category, **supplier):
    return {
        "sku": "NEW-1",
        "name": "Fresh item",
        "description": "",
        "category": category.pk,
        "unit": "pcs",
        "unit_cost": "1.50",
        "unit_price": "3.00",
        "reorder_level": "4",
        **supplier,
    }


@pytest.mark.parametrize("how", ["chosen", "typed", "posted id"])
def test_a_new_item_with_its_supplier_picked(manager_client, how):
    category = CategoryFactory()
    SupplierFactory(name="Brite Co")
    chosen = SupplierFactory(name="Brite Co")
    unique = SupplierFactory(name="Acme Ltd")
    supplier, data = {
        "chosen": (chosen, {"supplier_q": "Brite Co", "supplier_id": chosen.pk}),
        "typed": (unique, {"supplier_q": " acme ltd", "supplier_id": ""}),
        "posted id": (unique, {"supplier": unique.pk}),
    }[how]

    response = manager_client.post(reverse("inventory:item_create"), item_post(category, **data))

    assert response.status_code == 302
    assert Item.objects.get(sku="NEW-1").supplier == supplier


def test_an_item_is_saved_without_a_supplier(manager_client):
    category = CategoryFactory()

    response = manager_client.post(
        reverse("inventory:item_create"), item_post(category, supplier_q="", supplier_id="")
    )

    assert response.status_code == 302
    assert Item.objects.get(sku="NEW-1").supplier is None


def test_an_item_whose_supplier_was_deactivated_keeps_it_when_saved(manager_client, item):
    old = deactivate(item.supplier)
    url = reverse("inventory:item_edit", args=[item.pk])
    page = manager_client.get(url).content.decode()

    # when the page is saved as shown (the box and its hidden id), with a new price
    data = item_post(item.category, supplier_q=old.name, supplier_id=old.pk)
    data.update(sku=item.sku, name=item.name, unit_price="9.00")
    response = manager_client.post(url, data)

    # then the item keeps its supplier and takes the price
    group = field_group(page, "supplier")
    assert f'value="{old.name}"' in group and "deactivated" in group
    assert "data-picker-scope" not in group  # its picker offers active suppliers only
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.supplier, str(item.unit_price)) == (old, "9.00")


@pytest.mark.parametrize("how", ["chosen", "typed", "posted id"])
def test_a_deactivated_supplier_is_refused_for_a_new_item_and_nothing_is_saved(manager_client, how):
    category = CategoryFactory()
    old = SupplierFactory(name="Old Co", is_active=False)
    data = {
        "chosen": {"supplier_q": "Old Co", "supplier_id": old.pk},
        "typed": {"supplier_q": "old co"},
        "posted id": {"supplier": old.pk},
    }[how]

    response = manager_client.post(reverse("inventory:item_create"), item_post(category, **data))

    assert response.status_code == 200
    assert "Old Co is deactivated; choose another supplier." in field_group(
        response.content.decode(), "supplier"
    )
    assert not Item.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="item.").exists()


def test_an_item_cannot_move_to_another_deactivated_supplier(manager_client, item):
    kept = item.supplier
    old = SupplierFactory(name="Old Co", is_active=False)
    data = item_post(item.category, supplier_q="Old Co", supplier_id=old.pk)
    data.update(sku=item.sku, name=item.name)

    response = manager_client.post(reverse("inventory:item_edit", args=[item.pk]), data)

    assert response.status_code == 200
    assert "Old Co is deactivated" in response.context["form"].errors["supplier"][0]
    item.refresh_from_db()
    assert item.supplier == kept


def test_the_item_admin_searches_suppliers_instead_of_listing_them(admin_client, item):
    for n in range(30):
        SupplierFactory(name=f"PARTY-S{n:04d}")

    html = admin_client.get(reverse("admin:inventory_item_change", args=[item.pk])).content
    html = html.decode()

    assert "admin-autocomplete" in html
    assert NAMED.findall(html) == []
    assert Supplier.objects.count() == 31


@pytest.mark.parametrize("value", ["abc", HOSTILE_ID, "-1", "1e3"])
def test_the_item_admin_refuses_a_supplier_that_is_no_id_and_changes_nothing(
    admin_client, item, value
):
    kept = (item.name, item.supplier)
    data = {
        "sku": item.sku,
        "name": "Renamed",
        "description": "",
        "category": item.category_id,
        "supplier": value,
        "unit": item.unit,
        "unit_cost": str(item.unit_cost),
        "unit_price": str(item.unit_price),
        "reorder_level": str(item.reorder_level),
        "_save": "Save",
    }

    response = admin_client.post(reverse("admin:inventory_item_change", args=[item.pk]), data)

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    item.refresh_from_db()
    assert (item.name, item.supplier) == kept
