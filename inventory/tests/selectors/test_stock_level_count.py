"""stock_level_count counts exactly the rows stock_level_rows gives, without the figures."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inventory.selectors.levels import stock_level_count, stock_level_rows
from inventory.services.stock import stock_issue, stock_receive
from inventory.tests.factories import ItemFactory, StoreFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def levels(manager_user):
    """Two stores; items with several lots per store, an emptied one, one low, one never
    stocked, one deactivated; names and SKUs to search."""
    main, wh = StoreFactory(code="MAIN"), StoreFactory(code="WH")
    bolt = ItemFactory(sku="BOLT-1", name="Hex bolt", reorder_level=Decimal(50))
    nut = ItemFactory(sku="NUT-1", name="Hex nut", reorder_level=Decimal(2))
    gone = ItemFactory(sku="GONE-1", name="Washer", reorder_level=Decimal(5))
    old = ItemFactory(sku="OLD-1", name="Old bolt", reorder_level=Decimal(5))
    ItemFactory(sku="NEVER-1", name="Never stocked")
    for code in ("L1", "L2", "L3"):  # three lots of one item in one store: one row
        stock_receive(actor=manager_user, item=bolt, store=main, quantity=4, lot_code=code)
    stock_receive(actor=manager_user, item=bolt, store=wh, quantity=60, lot_code="W1")
    stock_receive(actor=manager_user, item=nut, store=main, quantity=9, lot_code="N1")
    stock_receive(actor=manager_user, item=gone, store=wh, quantity=3, lot_code="G1")
    stock_issue(actor=manager_user, item=gone, store=wh, quantity=3)  # emptied: still a row
    stock_receive(actor=manager_user, item=old, store=main, quantity=1, lot_code="O1")
    old.is_active = False
    old.save(update_fields=["is_active"])
    return {"main": main, "wh": wh, "bolt": bolt}


FILTERS = [
    {},
    {"store": "main"},
    {"store": "wh"},
    {"search": "hex"},
    {"search": "BOLT"},
    {"search": "nothing-like-it"},
    {"item": "bolt"},
    {"item": "bolt", "store": "wh"},
    {"low_only": True},
    {"low_only": True, "store": "main"},
    {"low_only": True, "search": "nut"},
]


@pytest.mark.parametrize("filters", FILTERS, ids=[str(f) for f in FILTERS])
def test_the_count_is_the_number_of_rows(levels, filters):
    kwargs = {
        k: levels.get(v, v) if isinstance(v, str) and k != "search" else v
        for k, v in filters.items()
    }

    rows = list(stock_level_rows(**kwargs))

    assert stock_level_count(**kwargs) == len(rows)


def test_the_fixture_has_the_rows_it_claims(levels):
    rows = [(r["item__sku"], r["store__code"]) for r in stock_level_rows()]
    low = [(r["item__sku"], r["store__code"]) for r in stock_level_rows(low_only=True)]

    assert rows == [
        ("BOLT-1", "MAIN"),
        ("BOLT-1", "WH"),
        ("GONE-1", "WH"),
        ("NUT-1", "MAIN"),
        ("OLD-1", "MAIN"),
    ]
    assert low == [("BOLT-1", "MAIN"), ("GONE-1", "WH")]


def test_without_low_only_the_count_reads_no_figures(levels):
    with CaptureQueriesContext(connection) as queries:
        assert stock_level_count() == 5

    (sql,) = [q["sql"] for q in queries.captured_queries]
    assert "SUM(" not in sql.upper() and "inventory_lot" not in sql
