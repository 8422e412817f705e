"""Catalogue text searches can use the trigram indexes of migration 0013 (PostgreSQL).

The planner picks a scan for tables this small, so for the EXPLAIN every way to read
inventory_item but a bitmap scan is switched off (sequential and index scans, and the
nested loops that would drive a bitmap scan of another index by the join's key): a
bitmap scan then needs an index that fits the search's own condition. The question is
whether the search is written so that one fits, not what the planner picks today.
"""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from inventory.selectors.pickers import picker_items
from inventory.tests.factories import ItemFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm and GIN"),
]
TRIGRAM = ("item_sku_trgm", "item_name_trgm")


def _plans(run) -> list[str]:
    """EXPLAIN each search statement on inventory_item that run() executes."""
    with CaptureQueriesContext(connection) as queries:
        run()
    plans = []
    with transaction.atomic(), connection.cursor() as cursor:
        for setting in ("seqscan", "indexscan", "indexonlyscan", "nestloop"):
            cursor.execute(f"SET LOCAL enable_{setting} = off")
        for query in queries.captured_queries:
            sql = query["sql"]
            if "LIKE" in sql and '"inventory_item"' in sql:
                cursor.execute("EXPLAIN " + sql)
                plans.append("\n".join(row[0] for row in cursor.fetchall()))
    return plans


def test_the_indexes_exist():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'inventory_item' "
            "AND indexdef LIKE '%%gin_trgm_ops%%' ORDER BY 1"
        )
        assert [row[0] for row in cursor.fetchall()] == sorted(TRIGRAM)


def test_the_item_picker_search_fits_them():
    ItemFactory(sku="TRG-001", name="Trigram widget")

    plans = _plans(lambda: picker_items(query="widg"))

    assert plans and all(any(name in plan for name in TRIGRAM) for plan in plans), plans


@pytest.mark.parametrize("path", ["/items/", "/stock/"])
def test_the_list_searches_fit_them(staff_client, path):
    ItemFactory(sku="TRG-002", name="Trigram gadget")

    plans = _plans(lambda: staff_client.get(path, {"q": "gadg"}))

    assert plans and all(any(name in plan for name in TRIGRAM) for plan in plans), plans
