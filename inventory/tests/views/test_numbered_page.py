"""numbered_page: Django's numbered pages, with the total read by the page's own statement."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from inventory.models import Item
from inventory.tests.factories import CategoryFactory, ItemFactory
from inventory.views.paging import numbered_page

pytestmark = pytest.mark.django_db

NUMBERS = ["1", "2", "3", "4", "99", "0", "-1", "abc", "", None, "1.0", " 2", "9" * 20]


def _shape(page):
    rows = [row["category"] if isinstance(row, dict) else row.pk for row in page]
    return page.number, rows, page.paginator.count, page.paginator.num_pages


@pytest.mark.parametrize("number", NUMBERS)
def test_the_same_page_as_djangos_paginator(number):
    for n in range(7):
        ItemFactory(sku=f"P{n}")
    items = Item.objects.order_by("sku")

    assert _shape(numbered_page(items, number, per_page=3)) == _shape(
        Paginator(items, 3).get_page(number)
    )


@pytest.mark.parametrize("number", ["1", "2", "3"])
def test_grouped_rows_are_counted_as_groups(number):
    for n in range(5):
        ItemFactory.create_batch(n + 1, category=CategoryFactory(name=f"C{n}"))
    groups = Item.objects.values("category").annotate(items=Count("pk")).order_by("category")

    page = numbered_page(groups, number, per_page=2)

    assert _shape(page) == _shape(Paginator(groups, 2).get_page(number))
    assert page.paginator.count == 5


@pytest.mark.parametrize("count", [1, 30])
def test_a_page_in_range_is_one_statement(count):
    for n in range(count):
        ItemFactory(sku=f"Q{n:02}")

    with CaptureQueriesContext(connection) as queries:
        page = numbered_page(Item.objects.order_by("sku"), "1", per_page=25)
        assert page.paginator.num_pages == (1 if count == 1 else 2)

    assert len(queries.captured_queries) == 1
    assert page.paginator.count == count


def test_an_empty_list_is_counted_and_shows_an_empty_first_page():
    page = numbered_page(Item.objects.order_by("sku"), "3", per_page=25)

    assert (page.number, list(page), page.paginator.count) == (1, [], 0)


@pytest.mark.parametrize("number", NUMBERS)
def test_counted_apart_the_same_page_as_djangos_paginator(number):
    for n in range(7):
        ItemFactory(sku=f"P{n}")
    items = Item.objects.order_by("sku")

    assert _shape(numbered_page(items, number, per_page=3, count_apart=True)) == _shape(
        Paginator(items, 3).get_page(number)
    )


def test_counted_apart_the_page_reads_no_window():
    for n in range(30):
        ItemFactory(sku=f"W{n:02}")

    with CaptureQueriesContext(connection) as queries:
        page = numbered_page(Item.objects.order_by("sku"), "2", per_page=25, count_apart=True)
        rows = list(page)

    assert [row.sku for row in rows] == [f"W{n:02}" for n in range(25, 30)]
    assert page.paginator.count == 30
    statements = [q["sql"] for q in queries.captured_queries]
    assert len(statements) == 2 and not any("OVER" in sql for sql in statements)
