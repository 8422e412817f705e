"""Reorder: a store's items below their reorder level, what is already coming for them
there, and what to order, by supplier; each supplier's lines open a new purchase order's
form filled in, which saves a draft as any other."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inventory.models import PurchaseOrder
from inventory.services.purchasing import purchase_order_create, purchase_order_place
from inventory.services.stock import stock_receive
from inventory.tests.factories import ItemFactory, SupplierFactory

pytestmark = pytest.mark.django_db
D = Decimal
REORDER = reverse("inventory:purchase_reorder")
NEW_ORDER = reverse("inventory:purchase_order_new")


@pytest.fixture
def shelf(manager_user, store, other_store):
    """Acme's A (4 of 10, 2 on order) and B (1 of 5, 4 in a draft), CoatCo's C (2 of 8),
    D with no supplier (1 of 4); E well stocked and F deactivated are not to reorder."""
    acme, coatco = SupplierFactory(name="Acme"), SupplierFactory(name="CoatCo")
    made = {}
    for sku, supplier, level, on_hand in (
        ("A", acme, 10, 4), ("B", acme, 5, 1), ("C", coatco, 8, 2), ("D", None, 4, 1),
        ("E", acme, 3, 20), ("F", acme, 9, 1),
    ):  # fmt: skip
        made[sku] = ItemFactory(sku=f"RE-{sku}", supplier=supplier, reorder_level=level)
        stock_receive(actor=manager_user, item=made[sku], store=store, quantity=on_hand)
    made["F"].is_active = False
    made["F"].save()
    placed = purchase_order_create(
        actor=manager_user, supplier=acme, store=store, lines=[(made["A"], 2, None)]
    )
    purchase_order_place(actor=manager_user, order=placed)
    # Coming to another store, or in a draft there: not this store's.
    elsewhere = purchase_order_create(
        actor=manager_user, supplier=acme, store=other_store, lines=[(made["A"], 6, None)]
    )
    purchase_order_place(actor=manager_user, order=elsewhere)
    purchase_order_create(
        actor=manager_user, supplier=acme, store=store, lines=[(made["B"], 4, None)]
    )
    return {"acme": acme, "coatco": coatco, **made}


def figures(response):
    return [
        (
            group.supplier_name,
            [
                (r["item__sku"], r["available"], r["on_order"], r["in_drafts"], r["suggested"])
                for r in group.rows
            ],
        )
        for group in response.context["groups"]
    ]


def test_the_store_s_items_below_their_level_by_supplier_with_what_is_coming(
    manager_client, store, shelf
):
    response = manager_client.get(REORDER, {"store": store.pk})

    assert response.status_code == 200
    assert figures(response) == [
        ("Acme", [("RE-A", D(4), D(2), D(0), D(4)), ("RE-B", D(1), D(0), D(4), D(0))]),
        ("CoatCo", [("RE-C", D(2), D(0), D(0), D(6))]),
        ("", [("RE-D", D(1), D(0), D(0), D(3))]),
    ]
    html = response.content.decode()
    assert "Draft an order (1 line)" in html and "No usual supplier" in html
    assert f"?reorder=1&amp;store={store.pk}&amp;supplier={shelf['acme'].pk}" in html
    assert f"?reorder=1&amp;store={store.pk}&amp;supplier=none" in html
    # What is coming links to the orders it is on.
    assert f"?status=TO_RECEIVE&amp;store={store.pk}" in html
    assert f"?status=DRAFT&amp;store={store.pk}" in html


def test_a_supplier_s_lines_fill_in_a_new_order_which_saves_a_draft(manager_client, store, shelf):
    page = manager_client.get(
        NEW_ORDER, {"reorder": "1", "store": store.pk, "supplier": shelf["acme"].pk}
    )

    formset = page.context["formset"]
    assert [(f.initial["item"], f.initial["quantity"]) for f in formset.forms if f.initial] == [
        (shelf["A"], "4")  # B is covered by its draft
    ]
    assert page.context["form"].initial["supplier"] == shelf["acme"]
    assert page.context["form"].initial["store"] == store
    html = page.content.decode()
    assert "Filled in from Reorder: check the quantities and costs, then save." in html

    # Sent as the browser sends the form: a draft with that line.
    data = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
    data |= {"supplier": shelf["acme"].pk, "store": store.pk, "expected_on": "", "note": ""}
    data |= {"lines-0-item": shelf["A"].pk, "lines-0-quantity": "4", "lines-0-unit_cost": ""}
    data |= {"lines-1-item": "", "lines-1-quantity": "", "lines-1-unit_cost": ""}
    manager_client.post(NEW_ORDER, data)
    order = PurchaseOrder.objects.order_by("-pk").first()
    assert order.status == "DRAFT" and order.supplier == shelf["acme"]
    assert [(ln.item, ln.quantity_ordered) for ln in order.lines.all()] == [(shelf["A"], D(4))]
    # Now in a draft, A is no longer to order.
    again = figures(manager_client.get(REORDER, {"store": store.pk}))
    assert again[0] == (
        "Acme",
        [("RE-A", D(4), D(2), D(4), D(0)), ("RE-B", D(1), D(0), D(4), D(0))],
    )


def test_the_items_with_no_usual_supplier_fill_in_an_order_without_one(
    manager_client, store, shelf
):
    page = manager_client.get(NEW_ORDER, {"reorder": "1", "store": store.pk, "supplier": "none"})

    assert [f.initial["item"] for f in page.context["formset"].forms if f.initial] == [shelf["D"]]
    assert page.context["form"].initial["supplier"] is None


@pytest.mark.parametrize(
    "params",
    [
        {"reorder": "1", "store": "999999"},
        {"reorder": "1", "store": "abc", "supplier": "none"},
        {"reorder": "1", "supplier": "none"},
        {"reorder": "1", "store": "STORE", "supplier": "12345678901234567890"},
    ],
)
def test_a_broken_reorder_link_opens_an_empty_order_and_says_so(
    manager_client, store, other_store, shelf, params
):
    params = {k: (str(store.pk) if v == "STORE" else v) for k, v in params.items()}

    page = manager_client.get(NEW_ORDER, params)

    assert page.status_code == 200
    assert not any(f.initial for f in page.context["formset"].forms)
    assert "That reorder list is gone: open it again from Reorder." in page.content.decode()


def test_a_store_with_nothing_low_says_so(manager_client, other_store, shelf):
    response = manager_client.get(REORDER, {"store": other_store.pk})

    assert response.context["groups"] == []
    assert "Nothing in Warehouse is below its reorder level." in response.content.decode()


def test_reorder_costs_the_same_queries_for_2_items_as_for_12(
    manager_client, manager_user, store, shelf
):
    def queries():
        with CaptureQueriesContext(connection) as page:
            manager_client.get(REORDER, {"store": store.pk})
        with CaptureQueriesContext(connection) as form:
            manager_client.get(
                NEW_ORDER, {"reorder": "1", "store": store.pk, "supplier": shelf["acme"].pk}
            )
        return len(page), len(form)

    before = queries()
    for n in range(10):
        more = ItemFactory(sku=f"RE-MORE-{n}", supplier=shelf["acme"], reorder_level=50)
        stock_receive(actor=manager_user, item=more, store=store, quantity=1)

    assert len(manager_client.get(REORDER, {"store": store.pk}).context["groups"][0].rows) == 12
    assert queries() == before


def test_staff_may_not_open_reorder(staff_client, store):
    response = staff_client.get(REORDER, {"store": store.pk})

    assert response.status_code == 403


def test_stock_waiting_for_qc_is_shown_not_counted_as_coming(
    manager_client, manager_user, store, qc_item
):
    qc_item.reorder_level = 5
    qc_item.save()
    stock_receive(actor=manager_user, item=qc_item, store=store, quantity=10)  # in quarantine

    response = manager_client.get(REORDER, {"store": store.pk})

    (row,) = [r for g in response.context["groups"] for r in g.rows]
    assert (row["item__sku"], row["available"], row["quarantined"], row["suggested"]) == (
        "SKU-QC01",
        D(0),
        D(10),
        D(5),
    )
    assert 'data-label="In QC">10 pcs<' in response.content.decode()


def test_a_deactivated_supplier_s_group_says_so(manager_client, store, shelf):
    shelf["coatco"].is_active = False
    shelf["coatco"].save()

    response = manager_client.get(REORDER, {"store": store.pk})

    coatco = [g for g in response.context["groups"] if g.supplier_name == "CoatCo"][0]
    assert not coatco.supplier_active
    assert "This supplier is deactivated: the order needs another one" in (
        response.content.decode()
    )
