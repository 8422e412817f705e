"""The item and lot pickers: their JSON options, the fields that resolve what is typed,
and form pages that no longer list the catalogue."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inventory.forms.purchasing import OrderLineForm
from inventory.forms.stock import AdjustmentForm
from inventory.forms.widgets import ItemPickerField
from inventory.models import SalesOrder
from inventory.services.purchasing import purchase_order_create
from inventory.services.sales import sales_order_create
from inventory.services.stock import stock_issue, stock_receive, stock_reserve
from inventory.tests.factories import ItemFactory, SupplierFactory
from inventory.tests.services.stock_helpers import snapshot

pytestmark = pytest.mark.django_db
D = Decimal
ITEMS = reverse("inventory:picker_items")
LOTS = reverse("inventory:picker_lots")
# Blank once NUL and spaces are dropped: such a query lists the first items, as "" does.
BLANK = ["\x00", " \x00 "]
HOSTILE = [
    "SKU\x00-1",
    "x" * 10_000,
    "%",
    "_",
    "' OR 1=1 --",
    "ß漢字😀",
    "\\",
]


def skus(response):
    return [r["value"] for r in response.json()["results"]]


def receive(user, item, store, quantity, code, **extra):
    stock_receive(actor=user, item=item, store=store, quantity=quantity, lot_code=code, **extra)
    return item.lots.get(code=code)


# --- who may ask -----------------------------------------------------------------


@pytest.mark.parametrize("url", [ITEMS, LOTS])
def test_anonymous_is_sent_to_login(client, url):
    response = client.get(url, {"q": "a"})

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("url", [ITEMS, LOTS])
def test_roleless_user_is_sent_to_awaiting_approval(client, roleless_user, url):
    client.force_login(roleless_user)

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == reverse("awaiting_approval")


@pytest.mark.parametrize("url", [ITEMS, LOTS])
def test_a_post_is_refused(staff_client, url):
    assert staff_client.post(url).status_code == 405


# --- item options ----------------------------------------------------------------


def test_items_match_sku_prefix_in_any_case_then_name(staff_client):
    # given
    ItemFactory(sku="LAMP-2", name="Floor lamp")
    ItemFactory(sku="LAMP-1", name="Desk lamp")
    ItemFactory(sku="OIL-5", name="Lamp oil")
    ItemFactory(sku="XLAMP", name="Torch")  # SKU contains "lamp" but does not start with it
    ItemFactory(sku="LAMP-OLD", name="Old lamp", is_active=False)

    # when
    response = staff_client.get(ITEMS, {"q": "lAmP"})

    # then SKU matches first (by SKU), then name matches; no deactivated item
    assert response.status_code == 200
    assert skus(response) == ["LAMP-1", "LAMP-2", "OIL-5"]
    first = response.json()["results"][0]
    assert first == {
        "id": first["id"],
        "value": "LAMP-1",
        "label": "LAMP-1 Desk lamp",
        "name": "Desk lamp",
        "unit": "pcs",
        "active": True,
        "available": None,
    }


def test_items_scope_all_adds_deactivated_items(staff_client):
    ItemFactory(sku="LAMP-1")
    ItemFactory(sku="LAMP-OLD", is_active=False)

    response = staff_client.get(ITEMS, {"q": "lamp", "scope": "all"})

    assert [(r["value"], r["active"]) for r in response.json()["results"]] == [
        ("LAMP-1", True),
        ("LAMP-OLD", False),
    ]


def test_items_are_bounded_to_twenty(staff_client):
    for n in range(30):
        ItemFactory(sku=f"BULK-{n:03d}")

    response = staff_client.get(ITEMS, {"q": "bulk"})

    assert skus(response) == [f"BULK-{n:03d}" for n in range(20)]


def test_an_empty_query_lists_the_first_twenty_active_items(staff_client):
    for n in range(25):
        ItemFactory(sku=f"A-{n:03d}", is_active=n != 0)

    response = staff_client.get(ITEMS)

    assert skus(response) == [f"A-{n:03d}" for n in range(1, 21)]


def test_items_carry_what_is_available_in_the_store(
    staff_client, manager_user, store, other_store, item, qc_item
):
    # given 10 received and 3 reserved in the store, 7 elsewhere, and quarantined stock
    receive(manager_user, item, store, 10, "A")
    receive(manager_user, item, other_store, 7, "B")
    stock_reserve(actor=manager_user, item=item, store=store, quantity=3)
    receive(manager_user, qc_item, store, 5, "Q")

    # when
    response = staff_client.get(ITEMS, {"q": "SKU-", "store": store.pk})

    # then available there counts approved stock less reservations, in this store only
    rows = {r["value"]: r["available"] for r in response.json()["results"]}
    assert rows == {"SKU-0042": "7", "SKU-QC01": "0"}
    assert response.json()["store"] == "Main Store"


@pytest.mark.parametrize("q", HOSTILE)
def test_hostile_item_queries_never_fail(staff_client, item, q):
    response = staff_client.get(ITEMS, {"q": q, "store": q, "scope": q})

    assert response.status_code == 200
    assert skus(response) == []


@pytest.mark.parametrize("q", BLANK)
def test_a_blank_query_lists_the_first_items(staff_client, item, q):
    response = staff_client.get(ITEMS, {"q": q})

    assert response.status_code == 200
    assert skus(response) == ["SKU-0042"]


@pytest.mark.parametrize("store", ["9" * 30, "-1", "1e3", "abc", "\x00", "999999"])
def test_a_bad_store_gives_no_figures(staff_client, item, store):
    response = staff_client.get(ITEMS, {"q": "SKU", "store": store})

    assert response.status_code == 200
    assert response.json() == {"results": [response.json()["results"][0]], "store": None}
    assert response.json()["results"][0]["available"] is None


@pytest.mark.parametrize("count", [5, 50])
def test_item_options_cost_the_same_queries_for_few_and_many(
    staff_client, manager_user, store, count
):
    for n in range(count):
        receive(manager_user, ItemFactory(sku=f"Q-{n:03d}"), store, 1, "A")

    with CaptureQueriesContext(connection) as queries:
        response = staff_client.get(ITEMS, {"q": "q-", "store": store.pk})

    assert len(skus(response)) == min(count, 20)
    # session, user, role, store, items (with their figures)
    assert len(queries.captured_queries) == 5


# --- lot options -----------------------------------------------------------------


def test_lots_of_the_item_in_the_store_with_status_expiry_and_available(
    staff_client, manager_user, store, other_store, item, qc_item
):
    # given lots of the item here (one later-expiring, one reserved from, one emptied),
    # a lot of it in another store and a lot of another item here
    late = receive(manager_user, item, store, 4, "LATE", expires_on=datetime.date(2031, 1, 1))
    soon = receive(manager_user, item, store, 6, "SOON", expires_on=datetime.date(2030, 1, 1))
    stock_reserve(actor=manager_user, item=item, store=store, quantity=2)  # from SOON (FEFO)
    gone = receive(manager_user, item, store, 1, "GONE")
    stock_issue(actor=manager_user, item=item, store=store, quantity=1, lot=gone)
    receive(manager_user, item, other_store, 9, "ELSEWHERE")
    receive(manager_user, qc_item, store, 5, "OTHER-ITEM")

    # when
    response = staff_client.get(LOTS, {"item": item.pk, "store": store.pk})

    # then stocked lots first, earliest expiry first; the emptied one last
    assert response.status_code == 200
    assert response.json()["item"] == "SKU-0042"
    assert response.json()["results"] == [
        {
            "id": soon.pk,
            "value": "SOON",
            "label": "SOON",
            "qc_status": "APPROVED",
            "qc_label": "Approved",
            "expires_on": "2030-01-01",
            "expired": False,
            "on_hand": "6",
            "available": "4",
            "unit": "pcs",
        },
        {
            "id": late.pk,
            "value": "LATE",
            "label": "LATE",
            "qc_status": "APPROVED",
            "qc_label": "Approved",
            "expires_on": "2031-01-01",
            "expired": False,
            "on_hand": "4",
            "available": "4",
            "unit": "pcs",
        },
        {
            "id": gone.pk,
            "value": "GONE",
            "label": "GONE",
            "qc_status": "APPROVED",
            "qc_label": "Approved",
            "expires_on": None,
            "expired": False,
            "on_hand": "0",
            "available": "0",
            "unit": "pcs",
        },
    ]


def test_quarantined_and_expired_lots_are_shown_as_such(staff_client, manager_user, store, qc_item):
    receive(manager_user, qc_item, store, 5, "Q", expires_on=datetime.date(2020, 1, 1))

    response = staff_client.get(LOTS, {"item": qc_item.pk, "store": store.pk})

    (row,) = response.json()["results"]
    assert (row["qc_label"], row["expired"], row["on_hand"], row["available"]) == (
        "Quarantine",
        True,
        "5",
        "0",
    )


def test_lots_by_sku_and_by_part_of_their_code(staff_client, manager_user, store, item):
    receive(manager_user, item, store, 1, "2026-A")
    receive(manager_user, item, store, 1, "2026-B")
    receive(manager_user, item, store, 1, "2025-A")

    response = staff_client.get(LOTS, {"sku": "sku-0042", "q": "26-"})

    assert skus(response) == ["2026-A", "2026-B"]


def test_lots_without_a_store_sum_every_store(staff_client, manager_user, store, other_store, item):
    lot = receive(manager_user, item, store, 3, "A")
    stock_receive(actor=manager_user, item=item, store=other_store, quantity=2, lot_code="A")

    response = staff_client.get(LOTS, {"item": item.pk})

    assert [(r["id"], r["on_hand"]) for r in response.json()["results"]] == [(lot.pk, "5")]


@pytest.mark.parametrize(
    "params",
    [{}, {"item": "999999"}, {"item": "9" * 30}, {"item": "abc"}, {"sku": "NOPE"}]
    + [{"item": q, "sku": q, "store": q, "q": q} for q in HOSTILE],
)
def test_lots_of_no_item_are_none(staff_client, manager_user, store, item, params):
    receive(manager_user, item, store, 1, "A")

    response = staff_client.get(LOTS, params)

    assert response.status_code == 200
    assert response.json() == {"results": [], "item": None}


@pytest.mark.parametrize("q", HOSTILE)
def test_hostile_lot_queries_never_fail(staff_client, manager_user, store, item, q):
    receive(manager_user, item, store, 1, "A")

    response = staff_client.get(LOTS, {"item": item.pk, "q": q, "store": q})

    assert response.status_code == 200
    assert skus(response) == []


@pytest.mark.parametrize("count", [5, 25])
def test_lot_options_cost_the_same_queries_for_few_and_many(
    staff_client, manager_user, store, item, count
):
    for n in range(count):
        receive(manager_user, item, store, 1, f"L{n:03d}")

    with CaptureQueriesContext(connection) as queries:
        response = staff_client.get(LOTS, {"item": item.pk, "store": store.pk})

    assert len(skus(response)) == min(count, 20)
    # session, user, role, item, store, lots (with their figures)
    assert len(queries.captured_queries) == 6


# --- the fields ------------------------------------------------------------------


def line_form(**data):
    return OrderLineForm({"quantity": "1", **data})


def test_the_item_field_takes_an_id_or_a_typed_sku_in_any_case(item):
    assert line_form(item=str(item.pk)).is_valid()
    by_id = line_form(item=str(item.pk))
    by_id.is_valid()
    by_sku = line_form(item_q="  sku-0042 ")
    by_sku.is_valid()

    assert by_id.cleaned_data["item"] == item
    assert by_sku.cleaned_data["item"] == item


def test_typed_text_wins_over_an_id(item):
    # The browser posts the text box; an id under the field's name is a client's.
    other = ItemFactory(sku="OTHER-1")
    form = line_form(item=str(other.pk), item_q="SKU-0042")

    assert form.is_valid()
    assert form.cleaned_data["item"] == item


@pytest.mark.parametrize(
    "data, error",
    [
        ({"item_q": "NOPE-1"}, "No item has the SKU “NOPE-1”."),
        ({"item_q": ""}, "This field is required."),
        ({"item_q": "   "}, "This field is required."),
        ({}, "This field is required."),
        ({"item": "999999"}, "Select a valid choice. No item has the id 999999."),
        ({"item": "9" * 30}, f"Select a valid choice. No item has the id {'9' * 30}."),
        ({"item": "-1"}, "Select a valid choice. No item has the id -1."),
        ({"item": "1e3"}, "Select a valid choice. No item has the id 1e3."),
        ({"item": "abc"}, "Select a valid choice. No item has the id abc."),
        ({"item_q": "SKU\x00-0042"}, "Null characters are not allowed."),
        ({"item_q": "x" * 101}, "Ensure this value has at most 100 characters."),
    ],
)
def test_the_item_field_refuses_what_names_no_item(item, data, error):
    form = line_form(**data)

    assert not form.is_valid()
    assert form.errors["item"] == [error]


def test_a_deactivated_item_is_refused_unless_the_field_allows_it(item):
    item.is_active = False
    item.save()

    assert line_form(item_q="SKU-0042").errors["item"] == [
        "SKU-0042 Blue widget is deactivated; choose another item."
    ]
    assert line_form(item=str(item.pk)).errors["item"] == [
        "SKU-0042 Blue widget is deactivated; choose another item."
    ]
    assert ItemPickerField(include_inactive=True).clean(str(item.pk)) == item


def adjustment(item, store, **data):
    return AdjustmentForm(
        {
            "item_q": item.sku,
            "store": store.pk,
            "quantity": "-1",
            "reason": "COUNT",
            "idempotency_key": "k",
            **data,
        }
    )


def test_a_typed_lot_code_is_resolved_within_the_chosen_item(manager_user, store, item):
    lot = receive(manager_user, item, store, 3, "A-1")
    receive(manager_user, ItemFactory(sku="OTHER-1"), store, 3, "B-1")

    exact, any_case = adjustment(item, store, lot_q="A-1"), adjustment(item, store, lot_q="a-1")

    assert exact.is_valid() and any_case.is_valid()
    assert exact.cleaned_data["lot"] == lot == any_case.cleaned_data["lot"]
    assert adjustment(item, store, lot_q="B-1").errors["lot"] == ["SKU-0042 has no lot “B-1”."]
    assert adjustment(item, store, lot_q="").errors["lot"] == ["This field is required."]
    assert adjustment(item, store, lot_q="Z", item_q="").errors == {
        "item": ["This field is required."]
    }


# --- the pages -------------------------------------------------------------------

PAGES = [
    ("staff_client", "inventory:sales_quick"),
    ("staff_client", "inventory:sales_new"),
    ("staff_client", "inventory:purchase_new"),
    ("manager_client", "inventory:purchase_order_new"),
    ("manager_client", "inventory:transfer_new"),
    ("manager_client", "inventory:adjustment_new"),
]


def _page_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries.captured_queries)


@pytest.mark.parametrize("who, name", PAGES)
def test_form_pages_do_not_list_the_catalogue(request, manager_user, store, who, name):
    # given 5 items, then 200 more, each with a lot in the store
    client, url = request.getfixturevalue(who), reverse(name)
    items = [ItemFactory(sku=f"CAT-{n:04d}") for n in range(5)]
    for it in items:
        receive(manager_user, it, store, 1, "LOT-X")
    html_few, queries_few = _page_queries(client, url)
    for n in range(5, 205):
        ItemFactory(sku=f"CAT-{n:04d}")

    # when
    html_many, queries_many = _page_queries(client, url)

    # then neither page names an item or a lot, and both cost the same queries
    assert "CAT-0" not in html_few and "CAT-0" not in html_many
    assert "LOT-X" not in html_many
    assert 'data-picker="item"' in html_many
    assert queries_many == queries_few


def test_an_edit_page_shows_only_the_items_of_its_lines(staff_client, staff_user, store, item):
    others = [ItemFactory(sku=f"CAT-{n:04d}") for n in range(20)]
    order = sales_order_create(
        actor=staff_user,
        store=store,
        customer=None,
        lines=[(item, D("1"), None), (others[3], D("2"), None)],
    )

    html = staff_client.get(reverse("inventory:sales_edit", args=[order.pk])).content.decode()

    assert 'name="lines-0-item_q" value="SKU-0042"' in html
    assert 'name="lines-1-item_q" value="CAT-0003"' in html
    assert [f"CAT-{n:04d}" in html for n in range(20)].count(True) == 1


def test_a_quick_sale_by_typed_sku(staff_client, manager_user, store, item):
    receive(manager_user, item, store, 5, "A")

    response = staff_client.post(
        reverse("inventory:sales_quick"),
        {
            "idempotency_key": "quick-1",
            "store": store.pk,
            "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "0",
            "lines-0-item_q": "sku-0042",
            "lines-0-quantity": "2",
        },
    )

    order = SalesOrder.objects.get()
    assert response.status_code == 302
    assert [(line.item_id, line.quantity) for line in order.lines.all()] == [(item.pk, D("2"))]


def test_a_refused_quick_sale_shows_what_was_typed_and_changes_nothing(
    staff_client, manager_user, store, item
):
    receive(manager_user, item, store, 5, "A")
    before = snapshot()

    response = staff_client.post(
        reverse("inventory:sales_quick"),
        {
            "idempotency_key": "quick-1",
            "store": store.pk,
            "lines-TOTAL_FORMS": "2",
            "lines-INITIAL_FORMS": "0",
            "lines-0-item_q": "sku-0042",
            "lines-0-quantity": "2",
            "lines-1-item_q": "NOPE<b>",
            "lines-1-quantity": "1",
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="lines-1-item_q" value="NOPE&lt;b&gt;"' in html
    assert "No item has the SKU “NOPE&lt;b&gt;”." in html
    # the line that resolved shows its item's SKU, and its name under the box
    assert 'name="lines-0-item_q" value="SKU-0042"' in html and "Blue widget" in html
    assert snapshot() == before
    assert SalesOrder.objects.count() == 0


def test_a_direct_purchase_by_typed_sku(staff_client, store, item):
    supplier = SupplierFactory()

    response = staff_client.post(
        reverse("inventory:purchase_new"),
        {
            "idempotency_key": "direct-1",
            "supplier": supplier.pk,
            "store": store.pk,
            "lines-TOTAL_FORMS": "2",
            "lines-INITIAL_FORMS": "0",
            "lines-0-item_q": "SKU-0042",
            "lines-0-quantity": "4",
            "lines-1-item_q": "",  # the blank extra row is no line
            "lines-1-quantity": "",
        },
    )

    assert response.status_code == 302
    assert item.lots.get().balances.get(store=store).on_hand == D("4")


@pytest.mark.parametrize("kind", ["sales", "purchase"])
def test_edit_pages_cost_the_same_queries_for_one_line_and_ten(
    manager_client, manager_user, store, kind
):
    # given a draft of 1 line and one of 10
    supplier = SupplierFactory()
    items = [ItemFactory(sku=f"ED-{n:03d}") for n in range(10)]

    def draft(count):
        if kind == "sales":
            lines = [(it, D("1"), None) for it in items[:count]]
            order = sales_order_create(actor=manager_user, store=store, customer=None, lines=lines)
            return reverse("inventory:sales_edit", args=[order.pk])
        lines = [(it, D("1"), None) for it in items[:count]]
        order = purchase_order_create(
            actor=manager_user, supplier=supplier, store=store, lines=lines
        )
        return reverse("inventory:purchase_edit", args=[order.pk])

    # when each is opened
    html_one, queries_one = _page_queries(manager_client, draft(1))
    html_ten, queries_ten = _page_queries(manager_client, draft(10))

    # then each shows its lines' SKUs, at the same number of queries
    assert html_one.count('value="ED-') == 1
    assert html_ten.count('value="ED-') == 10
    assert queries_ten == queries_one
