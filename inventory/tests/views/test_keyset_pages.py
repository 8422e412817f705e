"""Keyset pages: Older, Newer, Newest and Oldest, filters kept, as cheap deep as at the top."""

from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from django.urls import reverse

from inventory.models import (
    AuditEvent,
    LedgerEntry,
    PurchaseOrder,
    PurchaseOrderLine,
    SalesOrder,
    SalesOrderLine,
)
from inventory.selectors.keyset import encode_cursor
from inventory.services.audit import audit_record
from inventory.services.stock import stock_receive
from inventory.tests.factories import ItemFactory, SupplierFactory

pytestmark = pytest.mark.django_db
LIST = reverse("inventory:ledger_list")
START = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def listed(response):
    return [e.pk for e in response.context["page"]]


def follow(client, response, link):
    """GET the page a pagination link points at, as a reader clicking it would."""
    query = getattr(response.context["page"], f"{link}_query")
    assert f'href="?{query.replace("&", "&amp;")}"' in response.content.decode()
    return client.get(f"{LIST}?{query}")


@pytest.fixture
def movements(manager_user, store, monkeypatch):
    """24 receipts, 10 a page, one a minute except 7 in the middle that share one
    instant (across a page boundary); their pks newest first."""
    monkeypatch.setattr("inventory.views.ledger.PER_PAGE", 10)
    item = ItemFactory()
    for n in range(24):
        at = START + timedelta(minutes=10 if 8 <= n < 15 else n)
        with mock.patch("django.utils.timezone.now", return_value=at):
            stock_receive(actor=manager_user, item=item, store=store, quantity=1, lot_code=f"L{n}")
    return [e.pk for e in LedgerEntry.objects.order_by("-created_at", "-pk")]


def test_older_pages_walk_the_whole_list_once_through_tied_times(staff_client, movements):
    first = staff_client.get(LIST)
    second = follow(staff_client, first, "older")
    third = follow(staff_client, second, "older")

    assert listed(first) == movements[:10]
    assert listed(second) == movements[10:20]
    assert listed(third) == movements[20:]
    assert not third.context["page"].has_older
    assert ">Older</a>" not in third.content.decode()
    assert ">Newer</a>" not in first.content.decode()


def test_newer_goes_back_and_oldest_jumps_to_the_end(staff_client, movements):
    second = follow(staff_client, staff_client.get(LIST), "older")

    back = follow(staff_client, second, "newer")
    oldest = follow(staff_client, second, "oldest")
    before_oldest = follow(staff_client, oldest, "newer")
    newest = follow(staff_client, oldest, "newest")

    assert listed(back) == movements[:10]
    assert not back.context["page"].has_newer
    assert listed(oldest) == movements[-10:]
    assert not oldest.context["page"].has_older and oldest.context["page"].has_newer
    assert listed(before_oldest) == movements[4:14]
    assert listed(newest) == movements[:10]


def test_links_keep_the_filters(staff_client, movements, manager_user, other_store):
    other_item = ItemFactory()
    for _ in range(3):
        stock_receive(actor=manager_user, item=other_item, store=other_store, quantity=1)

    first = staff_client.get(LIST, {"kind": "RECEIVE"})
    filtered = staff_client.get(LIST, {"kind": "RECEIVE", "store": other_store.pk})
    page = first.context["page"]

    assert "kind=RECEIVE" in page.older_query and "older=" in page.older_query
    assert "kind=RECEIVE" in page.oldest_query and "oldest=1" in page.oldest_query
    assert len(listed(filtered)) == 3 and not filtered.context["page"].has_older


@pytest.mark.parametrize(
    "params",
    [
        {"older": "garbage"},
        {"older": "12_"},
        {"newer": "_5"},
        {"older": f"1_{2**63}"},
        {"older": f"{10**20}_1"},
        {"newer": "-99999999999999999999_3"},
        {"page": "999"},
        {"oldest": "yes"},
    ],
)
def test_a_malformed_cursor_shows_the_newest_page(staff_client, movements, params):
    response = staff_client.get(LIST, params)

    assert response.status_code == 200
    assert listed(response) == movements[:10]


def test_newer_than_the_newest_row_shows_the_newest_page(staff_client, movements):
    first = staff_client.get(LIST)
    top = first.context["page"][0]

    response = staff_client.get(LIST, {"newer": encode_cursor(top)})

    assert listed(response) == movements[:10]


@pytest.mark.parametrize("link", ["older", "oldest"])
@pytest.mark.parametrize("count", [5, 25])
def test_deep_pages_cost_as_many_queries_as_the_first(
    staff_client, manager_user, store, django_assert_num_queries, count, link, monkeypatch
):
    monkeypatch.setattr("inventory.views.ledger.PER_PAGE", 10)
    item = ItemFactory()
    for n in range(count):
        stock_receive(actor=manager_user, item=item, store=store, quantity=1, lot_code=f"Q{n}")
    first = staff_client.get(LIST)
    query = getattr(first.context["page"], f"{link}_query") or "oldest=1"

    # session, user with its role, the page's rows, then the item, store and user choices
    with django_assert_num_queries(6):
        response = staff_client.get(f"{LIST}?{query}")

    assert response.status_code == 200


def _orders(count, *, user, store, item):
    supplier = SupplierFactory()
    for _ in range(count):
        po = PurchaseOrder.objects.create(supplier=supplier, store=store, created_by=user)
        PurchaseOrderLine.objects.create(order=po, item=item, quantity_ordered=2, unit_cost=3)
        so = SalesOrder.objects.create(customer=None, store=store, created_by=user)
        SalesOrderLine.objects.create(order=so, item=item, quantity=1, unit_price=5)


@pytest.mark.parametrize("link", ["older", "oldest"])
@pytest.mark.parametrize("count", [5, 30])
@pytest.mark.parametrize(
    "url, queries",
    [
        # session, user with its role, alert badge, Users badge (an Admin's), the page's
        # rows, the stores to filter by
        (reverse("inventory:purchase_list"), 6),
        (reverse("inventory:sales_list"), 6),
        # session, user with its role, alert badge, Users badge, the page's rows
        (reverse("inventory:audit_list"), 5),
    ],
)
def test_order_and_audit_deep_pages_cost_as_many_queries_as_the_first(
    admin_role_client,
    manager_user,
    store,
    item,
    django_assert_num_queries,
    count,
    link,
    url,
    queries,
):
    _orders(count, user=manager_user, store=store, item=item)
    for n in range(count):
        audit_record(actor=manager_user, action="some.event", details={"n": n})
    first = admin_role_client.get(url)
    query = getattr(first.context["page"], f"{link}_query") or "oldest=1"

    with django_assert_num_queries(queries):
        deep = admin_role_client.get(f"{url}?{query}")

    assert deep.status_code == 200
    # (the audit log also holds the admin's login)
    listed = {"/purchases/": (PurchaseOrder, 25), "/sales/": (SalesOrder, 25)}
    model, per_page = listed.get(url, (AuditEvent, 50))
    assert len(first.context["page"]) == min(model.objects.count(), per_page)
