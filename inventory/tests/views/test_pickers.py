"""The JSON options of the item and lot pickers: who may ask, search, bounds, figures,
hostile parameters and query counts. The fields and pages: test_picker_forms.py."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inventory.models import Lot
from inventory.services.stock import stock_issue, stock_receive, stock_reserve
from inventory.tests.factories import ItemFactory

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
        "price": "4.00",  # the item's own, for the sale's running total
        "active": True,
        "available": None,
        "detail": "",
        "caption": "Desk lamp",
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


def refused_for_nul(response, *values) -> bool:
    """A NUL anywhere in the request is refused with 400 before any view (the
    RejectNulBytes middleware); return True when that is what happened."""
    if any("\x00" in str(v) for v in values):
        assert response.status_code == 400
        return True
    return False


@pytest.mark.parametrize("q", HOSTILE)
def test_hostile_item_queries_never_fail(staff_client, item, q):
    response = staff_client.get(ITEMS, {"q": q, "store": q, "scope": q})
    if refused_for_nul(response, q):
        return

    assert response.status_code == 200
    assert skus(response) == []


@pytest.mark.parametrize("q", BLANK)
def test_a_blank_query_lists_the_first_items(staff_client, item, q):
    response = staff_client.get(ITEMS, {"q": q})
    if refused_for_nul(response, q):
        return

    assert response.status_code == 200
    assert skus(response) == ["SKU-0042"]


@pytest.mark.parametrize("store", ["9" * 30, "-1", "1e3", "abc", "\x00", "999999"])
def test_a_bad_store_gives_no_figures(staff_client, item, store):
    response = staff_client.get(ITEMS, {"q": "SKU", "store": store})
    if refused_for_nul(response, store):
        return

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
    # session, user with its role, store, items (with their figures)
    assert len(queries.captured_queries) == 4


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
            "detail": "Approved · expires 2030-01-01 · 4 pcs available",
            "caption": "Approved · expires 2030-01-01 · 4 pcs available",
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
            "detail": "Approved · expires 2031-01-01 · 4 pcs available",
            "caption": "Approved · expires 2031-01-01 · 4 pcs available",
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
            "detail": "Approved · 0 pcs available",
            "caption": "Approved · 0 pcs available",
        },
    ]


def test_quarantined_and_expired_lots_are_shown_as_such(staff_client, manager_user, store, qc_item):
    receive(manager_user, qc_item, store, 5, "Q", expires_on=datetime.date(2090, 1, 1))
    Lot.objects.filter(code="Q").update(expires_on=datetime.date(2020, 1, 1))  # since expired

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
    if refused_for_nul(response, *params.values()):
        return

    assert response.status_code == 200
    assert response.json() == {"results": [], "item": None}


@pytest.mark.parametrize("q", HOSTILE)
def test_hostile_lot_queries_never_fail(staff_client, manager_user, store, item, q):
    receive(manager_user, item, store, 1, "A")

    response = staff_client.get(LOTS, {"item": item.pk, "q": q, "store": q})
    if refused_for_nul(response, q):
        return

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
    # session, user with its role, item, store, lots (with their figures)
    assert len(queries.captured_queries) == 5


def test_captions_say_one_piece_and_many_boxes(staff_client, manager_user, store):
    # given one piece of a lamp and 2 boxes of bolts in the store
    lamp = ItemFactory(sku="LAMP-1", unit="pcs")
    bolts = ItemFactory(sku="BOLT-1", unit="box")
    stock_receive(actor=manager_user, item=lamp, store=store, quantity="1", lot_code="A")
    stock_receive(actor=manager_user, item=bolts, store=store, quantity="2", lot_code="B")

    # when the item picker is asked with the store
    captions = {}
    for sku in ("LAMP-1", "BOLT-1"):
        response = staff_client.get(ITEMS, {"q": sku, "store": store.pk})
        captions.update((r["value"], r["caption"]) for r in response.json()["results"])

    # then the captions say "1 pc" and "2 boxes"
    assert captions["LAMP-1"].endswith(" · 1 pc available")
    assert captions["BOLT-1"].endswith(" · 2 boxes available")
