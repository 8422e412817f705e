"""Sales screens: they translate forms into the sales services and refuse bad input cleanly."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from inventory.models import AuditEvent, LedgerEntry, SalesOrder, SalesOrderLine, StockBalance
from inventory.selectors.stock import stock_totals_for_item
from inventory.services.sales import (
    sales_order_confirm,
    sales_order_create,
    sales_order_ship,
)
from inventory.services.stock import stock_receive
from inventory.tests.factories import CustomerFactory, ItemFactory, StoreFactory
from inventory.views.common import ALREADY_RECORDED

pytestmark = pytest.mark.django_db
Status = SalesOrder.Status
D = Decimal


def lines_data(*rows, prefix="lines", initial=0):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "1",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for name, value in row.items():
            data[f"{prefix}-{i}-{name}"] = value
    return data


def replayed(what, preposition, order):
    """The message a replayed form gets, naming and linking the order it concerned."""
    return (
        f'{what} {ALREADY_RECORDED} {preposition} <a href="/sales/{order.pk}/" '
        f'class="alert-link">{order.number}</a>; nothing was changed the second time.'
    )


def msgs(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def state():
    return {
        "orders": list(SalesOrder.objects.order_by("pk").values_list("pk", "status")),
        "lines": list(
            SalesOrderLine.objects.order_by("pk").values_list(
                "quantity", "quantity_reserved", "quantity_shipped", "quantity_returned"
            )
        ),
        "ledger": LedgerEntry.objects.count(),
        "balances": sorted(StockBalance.objects.values_list("pk", "on_hand", "reserved")),
    }


def make_order(user, store, item, quantity="4", status=Status.DRAFT, stock="10"):
    if stock:
        stock_receive(actor=user, item=item, store=store, quantity=stock, unit_cost="2.00")
    order = sales_order_create(
        actor=user, store=store, customer=None, lines=[(item, quantity, None)]
    )
    if status != Status.DRAFT:
        sales_order_confirm(actor=user, order=order, idempotency_key=None)
    if status in (Status.PARTIALLY_SHIPPED, Status.SHIPPED):
        ship = "1" if status == Status.PARTIALLY_SHIPPED else quantity
        sales_order_ship(
            actor=user, order=order, shipments={order.lines.get(): ship}, idempotency_key=None
        )
    order.refresh_from_db()
    return order


# --- guards -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["sales_list", "sales_new", "sales_quick"],
)
def test_sales_pages_need_a_role(client, roleless_user, name):
    response = client.get(reverse(f"inventory:{name}"))
    assert response.status_code == 302 and "/login/" in response.url
    client.force_login(roleless_user)
    response = client.get(reverse(f"inventory:{name}"))
    assert response.status_code == 302 and "login" not in response.url


def test_anonymous_post_to_confirm_changes_nothing(client, staff_user, store, item):
    order = make_order(staff_user, store, item)
    before = state()

    response = client.post(
        reverse("inventory:sales_confirm", args=[order.pk]), {"idempotency_key": "k"}
    )

    assert response.status_code == 302 and "/login/" in response.url
    assert state() == before


# --- list -----------------------------------------------------------------------------------


def test_list_filters_by_status_customer_store_and_date(staff_client, staff_user, store, item):
    other = StoreFactory(code="NORTH")
    customer = CustomerFactory(name="Harper")
    stock_receive(actor=staff_user, item=item, store=store, quantity="10")
    walk_in = sales_order_create(actor=staff_user, store=store, customer=None, lines=[(item, "1")])
    harper = sales_order_create(
        actor=staff_user, store=other, customer=customer, lines=[(item, "1")]
    )
    sales_order_confirm(actor=staff_user, order=walk_in, idempotency_key=None)
    url = reverse("inventory:sales_list")

    def numbers(**params):
        response = staff_client.get(url, params)
        assert response.status_code == 200
        return [o.number for o in response.context["page"]]

    assert numbers() == [harper.number, walk_in.number]
    assert numbers(status="CONFIRMED") == [walk_in.number]
    assert numbers(customer=str(customer.pk)) == [harper.number]
    assert numbers(customer="walk-in") == [walk_in.number]
    assert numbers(store=str(other.pk)) == [harper.number]
    assert numbers(date_from="2000-01-01", date_to="2000-01-02") == []
    # a bad filter is ignored, never a 500
    assert numbers(status="NOPE", date_from="yesterday") == [harper.number, walk_in.number]


def test_list_paginates(staff_client, staff_user, store, item):
    for _ in range(27):
        sales_order_create(actor=staff_user, store=store, customer=None, lines=[(item, "1")])

    first = staff_client.get(reverse("inventory:sales_list"))
    second = staff_client.get(
        f"{reverse('inventory:sales_list')}?{first.context['page'].older_query}"
    )

    assert len(first.context["page"]) == 25
    assert len(second.context["page"]) == 2
    numbers = [o.number for o in first.context["page"]] + [o.number for o in second.context["page"]]
    assert numbers == [o.number for o in SalesOrder.objects.order_by("-created_at", "-pk")]


@pytest.mark.parametrize("count", [5, 50])
def test_list_runs_a_constant_number_of_queries(
    staff_client, staff_user, store, item, count, django_assert_num_queries
):
    customers = [CustomerFactory() for _ in range(3)]
    for i in range(count):
        sales_order_create(
            actor=staff_user,
            store=store,
            customer=customers[i % 3] if i % 2 else None,
            lines=[(item, "1"), (item, "2", "3.00")],
        )
    staff_client.get(reverse("inventory:sales_list"))  # warm the session and role caches

    # session, user with its role, page of orders (no count), the stores to filter by
    # (customers are picked by name: none is listed)
    with django_assert_num_queries(4):
        response = staff_client.get(reverse("inventory:sales_list"))

    assert response.status_code == 200
    assert response.context["page"][0].value == D("10.00")


# --- new and edit ------------------------------------------------------------------------


def test_new_order_is_saved_as_a_draft(staff_client, store, item):
    customer = CustomerFactory()
    other = ItemFactory(sku="OTHER")
    data = {
        "store": store.pk,
        "customer": customer.pk,
        "note": "Deliver Monday",
        **lines_data(
            {"item": item.pk, "quantity": "3", "unit_price": ""},
            {"item": other.pk, "quantity": "1", "unit_price": "9.99", "DELETE": "on"},
            {"item": "", "quantity": "", "unit_price": ""},
        ),
    }

    response = staff_client.post(reverse("inventory:sales_new"), data)

    order = SalesOrder.objects.get()
    assert response.status_code == 302 and response.url == order.get_absolute_url()
    assert (order.status, order.customer, order.note) == (Status.DRAFT, customer, "Deliver Monday")
    assert list(order.lines.values_list("item__sku", "quantity", "unit_price")) == [
        (item.sku, D("3.000"), D("4.00"))
    ]
    assert LedgerEntry.objects.count() == 0


@pytest.mark.parametrize(
    "row",
    [
        {"item": "", "quantity": "", "unit_price": ""},
        {"item": "999999", "quantity": "1", "unit_price": ""},
        {"item": "ITEM", "quantity": "0", "unit_price": ""},
        {"item": "ITEM", "quantity": "-2", "unit_price": ""},
        {"item": "ITEM", "quantity": "abc", "unit_price": ""},
        {"item": "ITEM", "quantity": "1.0001", "unit_price": ""},
        {"item": "ITEM", "quantity": "1", "unit_price": "-1"},
        {"item": "ITEM", "quantity": "1e30", "unit_price": ""},
    ],
)
def test_new_order_refuses_bad_lines_without_a_500(staff_client, store, item, row):
    row = {k: (str(item.pk) if v == "ITEM" else v) for k, v in row.items()}
    data = {"store": store.pk, "customer": "", "note": "", **lines_data(row)}

    response = staff_client.post(reverse("inventory:sales_new"), data)

    assert response.status_code == 200
    assert SalesOrder.objects.count() == 0


def test_new_order_refuses_a_missing_management_form(staff_client, store):
    response = staff_client.post(reverse("inventory:sales_new"), {"store": store.pk})
    assert response.status_code == 200
    assert SalesOrder.objects.count() == 0


def test_edit_changes_a_draft(staff_client, staff_user, store, item):
    order = make_order(staff_user, store, item, stock=None)
    page = staff_client.get(reverse("inventory:sales_edit", args=[order.pk]))
    assert page.status_code == 200
    data = {
        "store": store.pk,
        "customer": "",
        "note": "more",
        **lines_data({"item": item.pk, "quantity": "7", "unit_price": "4.00"}, initial=1),
    }

    response = staff_client.post(reverse("inventory:sales_edit", args=[order.pk]), data)

    assert response.status_code == 302
    assert list(order.lines.values_list("quantity", flat=True)) == [D("7.000")]


def test_edit_of_a_confirmed_order_is_refused(staff_client, staff_user, store, item):
    order = make_order(staff_user, store, item, status=Status.CONFIRMED)
    before = state()
    data = {"store": store.pk, **lines_data({"item": item.pk, "quantity": "9"})}

    response = staff_client.post(reverse("inventory:sales_edit", args=[order.pk]), data)

    assert response.status_code == 302
    assert "only drafts can be edited" in msgs(response)[0]
    assert state() == before


# --- detail and its actions -------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "present", "absent"),
    [
        (Status.DRAFT, ["Confirm", "Cancel order", "Edit"], ["Ship", "Record return"]),
        (Status.CONFIRMED, ["Ship", "Cancel order"], ["Confirm<", "Edit", "Record return"]),
        (Status.PARTIALLY_SHIPPED, ["Ship", "Cancel order", "Record return"], ["Edit"]),
        (Status.SHIPPED, ["Record return"], ["Cancel order", ">Ship<", "Confirm<", "Edit"]),
    ],
)
def test_detail_shows_only_the_legal_actions(
    staff_client, staff_user, store, item, status, present, absent
):
    order = make_order(staff_user, store, item, status=status)

    response = staff_client.get(order.get_absolute_url())

    html = response.content.decode()
    actions = html[html.index('data-testid="order-actions"') : html.index("<dl")]
    for label in present:
        assert label in html, label
    for label in absent:
        if label == "Record return":
            assert label not in html
        else:
            assert label not in actions, label
    assert order.number in html


def test_detail_shows_figures_and_history(staff_client, staff_user, store, item):
    order = make_order(staff_user, store, item, quantity="4", status=Status.SHIPPED)

    response = staff_client.get(order.get_absolute_url())

    assert response.context["figures"] == {
        "value": D("16.00"),
        "shipped_value": D("16.00"),
        "cost_of_goods": D("8.00"),
        "margin": D("8.00"),
    }
    assert [e.action for e in response.context["history"]] == [
        "sales_order.create",
        "sales_order.confirm",
        "sales_order.ship",
    ]


def test_confirm_reserves_and_a_double_click_reserves_once(staff_client, staff_user, store, item):
    order = make_order(staff_user, store, item)
    url = reverse("inventory:sales_confirm", args=[order.pk])

    first = staff_client.post(url, {"idempotency_key": "tok-confirm"})
    second = staff_client.post(url, {"idempotency_key": "tok-confirm"})

    assert first.status_code == 302 and first.url == order.get_absolute_url()
    assert "confirmed" in msgs(first)[0]
    assert msgs(second)[-1] == replayed("This confirmation", "for", order)
    order.refresh_from_db()
    assert order.status == Status.CONFIRMED
    assert LedgerEntry.objects.filter(kind="RESERVE").count() == 1
    assert stock_totals_for_item(item=item, store=store)["reserved"] == D("4.000")


def test_confirm_when_short_shows_the_shortage_and_changes_nothing(
    staff_client, staff_user, store, item
):
    order = make_order(staff_user, store, item, quantity="12")
    before = state()

    response = staff_client.post(
        reverse("inventory:sales_confirm", args=[order.pk]), {"idempotency_key": "tok-short"}
    )

    assert msgs(response) == ["Only 10 pcs of SKU-0042 available in Main Store; 12 requested."]
    assert state() == before


@pytest.mark.parametrize("data", [{}, {"idempotency_key": "x" * 65}])
def test_confirm_without_a_valid_token_changes_nothing(staff_client, staff_user, store, item, data):
    order = make_order(staff_user, store, item)
    before = state()

    response = staff_client.post(reverse("inventory:sales_confirm", args=[order.pk]), data)

    assert response.status_code == 302
    assert state() == before


def test_confirm_is_post_only(staff_client, staff_user, store, item):
    order = make_order(staff_user, store, item)
    response = staff_client.get(reverse("inventory:sales_confirm", args=[order.pk]))
    assert response.status_code == 405


def test_confirm_of_an_unknown_order_is_404(staff_client):
    response = staff_client.post(
        reverse("inventory:sales_confirm", args=[999999]), {"idempotency_key": "k"}
    )
    assert response.status_code == 404


def test_cancel_after_partial_shipment(staff_client, staff_user, store, item):
    order = make_order(staff_user, store, item, quantity="4", status=Status.PARTIALLY_SHIPPED)

    response = staff_client.post(
        reverse("inventory:sales_cancel", args=[order.pk]), {"idempotency_key": "tok-cancel"}
    )

    assert "cancelled" in msgs(response)[0]
    order.refresh_from_db()
    assert order.status == Status.CANCELLED
    totals = stock_totals_for_item(item=item, store=store)
    assert (totals["on_hand"], totals["reserved"]) == (D("9.000"), D("0"))


def test_cancel_of_a_shipped_order_is_refused(staff_client, staff_user, store, item):
    order = make_order(staff_user, store, item, status=Status.SHIPPED)
    before = state()

    response = staff_client.post(
        reverse("inventory:sales_cancel", args=[order.pk]), {"idempotency_key": "tok-c2"}
    )

    assert msgs(response) == [f"{order.number} cannot go from shipped to cancelled."]
    assert state() == before


# --- ship ---------------------------------------------------------------------------------


def test_ship_page_ships_part_then_the_rest(staff_client, staff_user, store, item):
    order = make_order(staff_user, store, item, quantity="5", status=Status.CONFIRMED)
    line = order.lines.get()
    url = reverse("inventory:sales_ship", args=[order.pk])
    page = staff_client.get(url)
    assert page.status_code == 200 and "Ship SKU-0042" in page.content.decode()

    first = staff_client.post(url, {"idempotency_key": "s1", f"line_{line.pk}": "2"})
    replay = staff_client.post(url, {"idempotency_key": "s1", f"line_{line.pk}": "2"})
    second = staff_client.post(url, {"idempotency_key": "s2", f"line_{line.pk}": "3"})

    assert "partially shipped" in msgs(first)[0]
    assert msgs(replay)[-1] == replayed("This shipment", "on", order)
    assert "now shipped" in msgs(second)[-1]
    line.refresh_from_db()
    assert (line.quantity_reserved, line.quantity_shipped) == (D("0"), D("5.000"))
    assert stock_totals_for_item(item=item, store=store)["on_hand"] == D("5.000")


@pytest.mark.parametrize("quantity", ["6", "0", "-1", "abc", ""])
def test_ship_refuses_bad_quantities_and_changes_nothing(
    staff_client, staff_user, store, item, quantity
):
    order = make_order(staff_user, store, item, quantity="5", status=Status.CONFIRMED)
    line = order.lines.get()
    before = state()

    response = staff_client.post(
        reverse("inventory:sales_ship", args=[order.pk]),
        {"idempotency_key": f"bad-{quantity}", f"line_{line.pk}": quantity},
    )

    assert response.status_code == 200
    assert state() == before
    if quantity == "6":
        errors = response.context["form"].errors[f"line_{line.pk}"]
        assert errors == [
            "Only 5 pcs of SKU-0042 reserved for this order in Main Store; 6 requested."
        ]


def test_ship_page_of_a_draft_redirects(staff_client, staff_user, store, item):
    order = make_order(staff_user, store, item)
    response = staff_client.get(reverse("inventory:sales_ship", args=[order.pk]))
    assert response.status_code == 302 and "nothing to ship" in msgs(response)[0]


# --- quick sale -------------------------------------------------------------------------


def quick_data(store, *rows, key="quick-1", customer=""):
    return {
        "idempotency_key": key,
        "store": store.pk,
        "customer": customer,
        "note": "",
        **lines_data(*rows),
    }


def test_quick_sale_records_issues_and_shows_the_order(staff_client, staff_user, store, item):
    stock_receive(actor=staff_user, item=item, store=store, quantity="10")
    page = staff_client.get(reverse("inventory:sales_quick"))
    assert page.status_code == 200

    response = staff_client.post(
        reverse("inventory:sales_quick"),
        quick_data(store, {"item": item.pk, "quantity": "3"}),
    )

    order = SalesOrder.objects.get()
    assert response.status_code == 302 and response.url == order.get_absolute_url()
    assert msgs(response) == [f"Sale {order.number} recorded and issued from Main Store."]
    assert order.status == Status.SHIPPED and order.customer is None
    assert stock_totals_for_item(item=item, store=store)["on_hand"] == D("7.000")


def test_quick_sale_replayed_records_once(staff_client, staff_user, store, item):
    stock_receive(actor=staff_user, item=item, store=store, quantity="10")
    data = quick_data(store, {"item": item.pk, "quantity": "3"}, key="quick-twice")

    staff_client.post(reverse("inventory:sales_quick"), data)
    response = staff_client.post(reverse("inventory:sales_quick"), data)

    assert msgs(response)[-1] == replayed("This sale", "as", SalesOrder.objects.get())
    assert SalesOrder.objects.count() == 1
    assert stock_totals_for_item(item=item, store=store)["on_hand"] == D("7.000")


def test_quick_sale_when_short_shows_what_is_available_per_line(
    staff_client, staff_user, store, item
):
    plenty = ItemFactory(sku="PLENTY")
    stock_receive(actor=staff_user, item=item, store=store, quantity="2")
    stock_receive(actor=staff_user, item=plenty, store=store, quantity="50")
    before = state()

    response = staff_client.post(
        reverse("inventory:sales_quick"),
        quick_data(store, {"item": plenty.pk, "quantity": "1"}, {"item": item.pk, "quantity": "5"}),
    )

    assert response.status_code == 200
    formset = response.context["formset"]
    assert formset.forms[0].errors == {}
    assert formset.forms[1].errors["quantity"] == [
        "Only 2 pcs of SKU-0042 available in Main Store; 5 requested."
    ]
    assert "Nothing was recorded" in response.content.decode()
    assert state() == before
    assert AuditEvent.objects.filter(action__startswith="sales_order").count() == 0


def test_quick_sale_refuses_bad_input_without_a_500(staff_client, store, item):
    before = state()
    bad = [
        quick_data(store, {"item": item.pk, "quantity": "abc"}),
        quick_data(store, {"item": "", "quantity": ""}),
        {**quick_data(store, {"item": item.pk, "quantity": "1"}), "store": "999999"},
        {**quick_data(store, {"item": item.pk, "quantity": "1"}), "idempotency_key": ""},
        {"store": store.pk},
    ]
    for data in bad:
        response = staff_client.post(reverse("inventory:sales_quick"), data)
        assert response.status_code == 200
    assert state() == before


# --- returns ------------------------------------------------------------------------------


def test_return_from_the_order_page(staff_client, staff_user, store, item):
    order = make_order(staff_user, store, item, quantity="4", status=Status.SHIPPED)
    line = order.lines.get()
    url = reverse("inventory:sales_return", args=[order.pk, line.pk])

    response = staff_client.post(url, {"idempotency_key": "ret-1", "quantity": "1", "note": "x"})
    replay = staff_client.post(url, {"idempotency_key": "ret-1", "quantity": "1", "note": "x"})

    assert msgs(response) == ["Return of 1 pcs of SKU-0042 recorded."]
    assert msgs(replay)[-1] == replayed("This return", "on", order)
    line.refresh_from_db()
    assert line.quantity_returned == D("1.000")
    assert stock_totals_for_item(item=item, store=store)["on_hand"] == D("7.000")


@pytest.mark.parametrize("quantity", ["5", "0", "abc", ""])
def test_return_refuses_bad_quantities_and_changes_nothing(
    staff_client, staff_user, store, item, quantity
):
    order = make_order(staff_user, store, item, quantity="4", status=Status.SHIPPED)
    line = order.lines.get()
    before = state()

    response = staff_client.post(
        reverse("inventory:sales_return", args=[order.pk, line.pk]),
        {"idempotency_key": f"ret-{quantity}", "quantity": quantity},
    )

    assert response.status_code == 302
    assert msgs(response)[0].startswith("Return of SKU-0042 not recorded")
    assert state() == before


def test_return_of_a_line_of_another_order_is_404(staff_client, staff_user, store, item):
    order = make_order(staff_user, store, item, status=Status.SHIPPED)
    other = make_order(staff_user, store, item, stock=None)
    response = staff_client.post(
        reverse("inventory:sales_return", args=[other.pk, order.lines.get().pk]),
        {"idempotency_key": "r", "quantity": "1"},
    )
    assert response.status_code == 404


def test_quick_sale_remembers_the_store_for_the_next_sale(staff_client, staff_user, item):
    north = StoreFactory(code="NORTH", name="North Store")
    stock_receive(actor=staff_user, item=item, store=north, quantity="10")

    staff_client.post(
        reverse("inventory:sales_quick"), quick_data(north, {"item": item.pk, "quantity": "1"})
    )
    page = staff_client.get(reverse("inventory:sales_quick"))

    assert page.context["form"]["store"].value() == north.pk
