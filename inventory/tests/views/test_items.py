import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inventory.models import Item, LedgerEntry, StockBalance
from inventory.services.qc import lot_reject
from inventory.services.stock import stock_issue, stock_receive, stock_reserve
from inventory.tests.factories import CategoryFactory, ItemFactory, StoreFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST = "/items/"


def _skus(response):
    return [item.sku for item in response.context["page"]]


def test_the_urls_are_named():
    assert reverse("inventory:item_list") == "/items/"
    assert reverse("inventory:item_detail", args=[7]) == "/items/7/"


@pytest.mark.parametrize("url", [LIST, "/items/{pk}/"])
def test_anonymous_users_are_sent_to_login(client, item, url):
    response = client.get(url.format(pk=item.pk))

    assert response.status_code == 302
    assert response.url.startswith("/login/?next=")


@pytest.mark.parametrize("url", [LIST, "/items/{pk}/"])
def test_users_without_a_role_wait_for_approval(client, roleless_user, item, url):
    client.force_login(roleless_user)

    response = client.get(url.format(pk=item.pk))

    assert response.status_code == 302
    assert response.url == reverse("awaiting_approval")


def test_the_list_shows_figures_per_item(staff_client, manager_user, item, store, other_store):
    stock_receive(actor=manager_user, item=item, store=store, quantity=10)
    stock_receive(actor=manager_user, item=item, store=other_store, quantity=5)
    stock_reserve(actor=manager_user, item=item, store=store, quantity=3)

    response = staff_client.get(LIST)

    assert response.status_code == 200
    row = next(i for i in response.context["page"] if i.pk == item.pk)
    assert (row.on_hand, row.reserved, row.available) == (Decimal(15), Decimal(3), Decimal(12))
    html = response.content.decode()
    assert "SKU-0042" in html
    assert f'href="/items/{item.pk}/"' in html


def test_the_list_searches_sku_and_name(staff_client, db):
    ItemFactory(sku="BOLT-1", name="Hex bolt")
    ItemFactory(sku="NUT-1", name="Wing nut")
    ItemFactory(sku="WASH-1", name="Washer for bolts")

    assert _skus(staff_client.get(LIST, {"q": "bolt"})) == ["BOLT-1", "WASH-1"]
    assert _skus(staff_client.get(LIST, {"q": "nut-1"})) == ["NUT-1"]


def test_the_list_filters_by_category(staff_client, db):
    tools = CategoryFactory(name="Tools")
    ItemFactory(sku="T-1", category=tools)
    ItemFactory(sku="X-1")

    assert _skus(staff_client.get(LIST, {"category": tools.pk})) == ["T-1"]


def test_the_list_filters_by_store_with_that_stores_figures(
    staff_client, manager_user, store, other_store
):
    both = ItemFactory(sku="BOTH")
    ItemFactory(sku="NOWHERE")
    main_only = ItemFactory(sku="MAIN-ONLY")
    stock_receive(actor=manager_user, item=both, store=store, quantity=4)
    stock_receive(actor=manager_user, item=both, store=other_store, quantity=6)
    stock_receive(actor=manager_user, item=main_only, store=store, quantity=1)

    response = staff_client.get(LIST, {"store": other_store.pk})

    assert _skus(response) == ["BOTH"]
    assert response.context["page"][0].on_hand == Decimal(6)


def test_the_list_filters_low_stock_in_stocked_stores(staff_client, manager_user, store):
    low = ItemFactory(sku="LOW", reorder_level=Decimal(5))
    fine = ItemFactory(sku="FINE", reorder_level=Decimal(5))
    ItemFactory(sku="NEVER", reorder_level=Decimal(5))
    stock_receive(actor=manager_user, item=low, store=store, quantity=6)
    stock_reserve(actor=manager_user, item=low, store=store, quantity=2)
    stock_receive(actor=manager_user, item=fine, store=store, quantity=5)

    response = staff_client.get(LIST, {"low": "1"})

    # An item never stocked anywhere is listed too (found by a first-week QA pass: on a
    # first day every item was at 0 and none was "low")
    assert _skus(response) == ["LOW", "NEVER"]
    # It says in which store (a QA pass: 186 available overall, "Low stock", but where?)
    assert f"Low stock in {store.code}</span>" in response.content.decode()
    assert "Never stocked</span>" in response.content.decode()
    narrowed = staff_client.get(LIST, {"low": "1", "store": store.pk})
    assert _skus(narrowed) == ["LOW"]
    assert "Low stock</span>" in narrowed.content.decode()


def test_the_list_hides_deactivated_items_unless_asked(staff_client, db):
    ItemFactory(sku="OLD", is_active=False)
    ItemFactory(sku="NEW")

    assert _skus(staff_client.get(LIST)) == ["NEW"]
    assert _skus(staff_client.get(LIST, {"inactive": "1"})) == ["NEW", "OLD"]


def test_junk_filters_list_nothing_and_say_why(staff_client, item):
    # A store or category that names nothing is refused, as on every list (it used to be
    # ignored, listing everything as if it were the answer); a junk page is page 1.
    response = staff_client.get(LIST, {"category": "x", "store": "1; drop", "page": "zz"})

    assert response.status_code == 200
    assert _skus(response) == []
    assert "Category: choose one from the list." in response.context["refusal"]
    assert _skus(staff_client.get(LIST, {"page": "zz"})) == ["SKU-0042"]


def test_the_list_is_paginated(staff_client, db):
    for n in range(30):
        ItemFactory(sku=f"P-{n:02d}")

    first = staff_client.get(LIST)
    second = staff_client.get(LIST, {"page": 2})

    assert len(first.context["page"]) == 25
    assert _skus(second) == [f"P-{n:02d}" for n in range(25, 30)]
    assert "Page 1 of 2" in first.content.decode()


def _list_queries(client, count, manager_user):
    stores = [StoreFactory(code="QA"), StoreFactory(code="QB")]
    for n in range(count):
        item = ItemFactory(sku=f"Q{count}-{n:03d}", reorder_level=Decimal(3))
        stock_receive(actor=manager_user, item=item, store=stores[n % 2], quantity=5)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(LIST, {"low": ""})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_list_runs_the_same_number_of_queries_for_5_or_50_items(staff_client, manager_user):
    few = _list_queries(staff_client, 5, manager_user)
    Item.objects.update(is_active=False)
    many = _list_queries(staff_client, 50, manager_user)

    assert few == many


def test_the_detail_shows_stores_lots_with_qc_status_and_movements(
    staff_client, manager_user, qc_item, store, other_store
):
    stock_receive(
        actor=manager_user,
        item=qc_item,
        store=store,
        quantity=8,
        lot_code="HELD-1",
        expires_on=datetime.date(2031, 3, 4),
    )
    stock_receive(actor=manager_user, item=qc_item, store=other_store, quantity=2, lot_code="BAD")
    lot_reject(actor=manager_user, lot=qc_item.lots.get(code="BAD"), note="Damaged")

    response = staff_client.get(f"/items/{qc_item.pk}/")

    assert response.status_code == 200
    assert response.context["totals"]["on_hand"] == Decimal(10)
    assert [(r["store__code"], r["on_hand"]) for r in response.context["by_store"]] == [
        ("MAIN", Decimal(8)),
        ("WH", Decimal(2)),
    ]
    html = response.content.decode()
    assert '<span class="badge badge-qc-QUARANTINE">Quarantine</span>' in html
    assert '<span class="badge badge-qc-REJECTED">Rejected</span>' in html
    assert "2031-03-04" in html
    assert len(response.context["page"]) == 2


def test_the_detail_paginates_movements_newest_first(staff_client, manager_user, item, store):
    stock_receive(actor=manager_user, item=item, store=store, quantity=100, lot_code="A")
    for _ in range(26):
        stock_issue(actor=manager_user, item=item, store=store, quantity=1)

    first = staff_client.get(f"/items/{item.pk}/")
    second = staff_client.get(f"/items/{item.pk}/?{first.context['page'].older_query}")
    oldest = staff_client.get(f"/items/{item.pk}/", {"oldest": "1"})

    assert first.context["page"][0].kind == "ISSUE"
    assert [e.kind for e in second.context["page"]] == ["ISSUE", "RECEIVE"]
    assert [e.pk for e in oldest.context["page"]] == [e.pk for e in first.context["page"]][2:] + [
        e.pk for e in second.context["page"]
    ]
    assert ">Older</a>" in first.content.decode()
    assert LedgerEntry.objects.filter(item=item).count() == 27


def test_the_detail_of_an_unknown_item_is_404(staff_client, db):
    assert staff_client.get("/items/999999/").status_code == 404


def test_managers_see_links_to_create_and_edit_items(manager_client, item):
    list_html = manager_client.get(LIST).content.decode()
    detail_html = manager_client.get(f"/items/{item.pk}/").content.decode()

    assert 'href="/items/new/"' in list_html
    assert f'href="/items/{item.pk}/edit/"' in detail_html


def test_staff_do_not_see_links_to_create_or_edit_items(staff_client, item):
    list_html = staff_client.get(LIST).content.decode()
    detail_html = staff_client.get(f"/items/{item.pk}/").content.decode()

    assert 'href="/items/new/"' not in list_html
    assert f'href="/items/{item.pk}/edit/"' not in detail_html


def test_the_screens_change_nothing(staff_client, manager_user, item, store):
    stock_receive(actor=manager_user, item=item, store=store, quantity=3)
    before = (LedgerEntry.objects.count(), list(StockBalance.objects.values_list("on_hand")))

    staff_client.get(LIST)
    staff_client.get(f"/items/{item.pk}/")
    post = staff_client.post(LIST)

    assert post.status_code == 405
    assert (
        LedgerEntry.objects.count(),
        list(StockBalance.objects.values_list("on_hand")),
    ) == before


def test_item_list_sorts_by_a_whitelisted_column_and_ignores_others(staff_client, store):
    from inventory.services.stock import stock_receive

    # given three items with different available quantities
    user = UserFactory(role="Staff", username="sorter")
    for sku, quantity in [("SORT-A", 5), ("SORT-B", 9), ("SORT-C", 1)]:
        stock_receive(actor=user, item=ItemFactory(sku=sku), store=store, quantity=quantity)

    def skus(query):
        page = staff_client.get(f"/items/?{query}").context["page"]
        return [item.sku for item in page]

    # then ?sort=-available lists the most available first, and junk keeps SKU order
    assert skus("sort=-available") == ["SORT-B", "SORT-A", "SORT-C"]
    assert skus("sort=available") == ["SORT-C", "SORT-A", "SORT-B"]
    assert skus("sort=password") == ["SORT-A", "SORT-B", "SORT-C"]


@pytest.mark.parametrize(
    ("query", "chosen"), [("sort=-available", "-available"), ("", "sku"), ("sort=junk", "sku")]
)
def test_the_filters_sort_menu_shows_and_keeps_the_order(staff_client, query, chosen):
    """A phone hides the column headers: the menu in the filter form sorts instead, and
    submitting the filters keeps the order."""
    page = staff_client.get(f"/items/?{query}").content.decode()

    menu = re.search(r'<select name="sort" id="id_sort".*?</select>', page, re.S).group()
    assert re.findall(r'<option value="([^"]*)" selected>', menu) == [chosen]
    assert len(re.findall(r"<option ", menu)) == 14  # 7 columns, both ways
    form = re.search(r'<form method="get"[^>]*aria-label="Item filters">.*?</form>', page, re.S)
    assert 'name="sort"' in form.group()


def test_the_list_in_sku_order_counts_apart_and_sorted_by_a_figure_in_the_page(
    staff_client, manager_user
):
    """In SKU order an index serves the page, so no window makes the database build every
    row; sorted by a figure every row is computed anyway, and the page counts them."""
    for n in range(3):
        ItemFactory(sku=f"ORD-{n}")

    def statements(params):
        with CaptureQueriesContext(connection) as ctx:
            response = staff_client.get(LIST, params)
        assert response.status_code == 200
        # No stock anywhere: the figures tie, and the SKU orders them.
        assert [i.sku for i in response.context["page"]] == ["ORD-0", "ORD-1", "ORD-2"]
        return [q["sql"] for q in ctx.captured_queries]

    by_sku = statements({})
    by_figure = statements({"sort": "on_hand"})

    assert not any("OVER ()" in sql for sql in by_sku)
    assert sum("COUNT(*)" in sql for sql in by_sku) == 1
    assert sum("OVER ()" in sql for sql in by_figure) == 1
    assert len(by_figure) == len(by_sku) - 1
