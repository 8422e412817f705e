"""Suppliers and customers picked by name in the purchase and sales lists' filters and the
item form: the pages name only the chosen party whatever their number, and the filters'
pickers ask for deactivated parties too."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inventory.tests.factories import CustomerFactory, SupplierFactory
from inventory.tests.views.party_filter_helpers import NAMED, PURCHASES, SALES, purchase, sale

pytestmark = pytest.mark.django_db


# --- the pages stay the same size whatever the number of parties ------------------------


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
