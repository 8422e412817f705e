"""List endpoints make the same number of queries for 5 rows as for 50 (no N+1)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inventory.services.moves import ledger_entry_reverse
from inventory.services.purchasing import purchase_order_create
from inventory.services.sales import sales_order_create
from inventory.services.stock import stock_receive
from inventory.tests.factories import (
    CategoryFactory,
    CustomerFactory,
    ItemFactory,
    StoreFactory,
    SupplierFactory,
)

pytestmark = pytest.mark.django_db
LISTS = [
    "/api/v1/items/",
    "/api/v1/categories/",
    "/api/v1/stores/",
    "/api/v1/suppliers/",
    "/api/v1/customers/",
    "/api/v1/stock/",
    "/api/v1/stock/by_store/{store}/",
    "/api/v1/stock/by_lot/",
    "/api/v1/lots/",
    "/api/v1/lots/?in_stock=true",
    "/api/v1/lots/?in_stock=false",
    "/api/v1/lots/?awaiting_qc=true",
    "/api/v1/lots/?awaiting_qc=true&in_stock=true&qc_status=QUARANTINE",
    "/api/v1/movements/",
    "/api/v1/purchase-orders/",
    "/api/v1/sales-orders/",
    "/api/v1/audit-events/",
    "/api/v1/alerts/",
]


def add_rows(count, *, user, store, start):
    """`count` more of every listed thing: items stocked (and low), orders, parties, lots
    waiting for QC and lots emptied."""
    for n in range(start, start + count):
        item = ItemFactory(sku=f"Q-{n:03d}", reorder_level=Decimal("100"))
        stock_receive(actor=user, item=item, store=store, quantity=5)
        checked = ItemFactory(sku=f"QC-{n:03d}", qc_required=True)
        stock_receive(actor=user, item=checked, store=store, quantity=3)  # awaits QC
        gone = stock_receive(actor=user, item=checked, store=store, quantity=2)
        ledger_entry_reverse(actor=user, entry=gone.entries[0])  # an emptied lot
        supplier, customer = SupplierFactory(), CustomerFactory()
        CategoryFactory()
        purchase_order_create(actor=user, supplier=supplier, store=store, lines=[(item, 2, None)])
        sales_order_create(actor=user, store=store, customer=customer, lines=[(item, 1, None)])
        if n % 10 == 0:  # more stores too, a few
            StoreFactory(code=f"QS{n:03d}")


def count_queries(client, path) -> int:
    separator = "&" if "?" in path else "?"
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{path}{separator}page_size=100")
    assert response.status_code == 200, (path, response.content[:200])
    return len(queries)


def test_list_endpoints_make_the_same_queries_for_5_and_50_rows(
    manager_api, manager_user, store, monkeypatch
):
    # The token's last-used time is written at most once a minute: keep that write out.
    monkeypatch.setattr("api.authentication.LAST_USED_RESOLUTION", timedelta(days=1))
    manager_api.get("/api/v1/stores/")
    add_rows(5, user=manager_user, store=store, start=0)
    paths = [p.format(store=store.pk) for p in LISTS]
    few = {path: count_queries(manager_api, path) for path in paths}
    rows = manager_api.get("/api/v1/items/").json()["count"]

    add_rows(45, user=manager_user, store=store, start=5)
    many = {path: count_queries(manager_api, path) for path in paths}

    assert manager_api.get("/api/v1/items/").json()["count"] == rows + 90  # two items a row
    assert manager_api.get("/api/v1/movements/", {"page_size": 100}).json()["results"]
    lots = {
        query: len(manager_api.get(f"/api/v1/lots/?{query}&page_size=200").json()["results"])
        for query in ("in_stock=true", "in_stock=false", "awaiting_qc=true")
    }
    assert lots == {"in_stock=true": 100, "in_stock=false": 50, "awaiting_qc=true": 50}
    assert many == few
    assert max(few.values()) <= 6
