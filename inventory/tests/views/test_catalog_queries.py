"""Every catalogue list runs the same number of queries with 5 rows as with 50."""

import pytest
from django.urls import reverse

from inventory.tests.factories import (
    CategoryFactory,
    CustomerFactory,
    ItemFactory,
    StoreFactory,
    SupplierFactory,
)

pytestmark = pytest.mark.django_db

# session, user with its role, open-alert badge, page count, page rows
LIST_QUERIES = 5


def _categories(n):
    for category in CategoryFactory.create_batch(n):
        ItemFactory(category=category)


def _suppliers(n):
    SupplierFactory.create_batch(n)


def _customers(n):
    CustomerFactory.create_batch(n)


def _stores(n):
    StoreFactory.create_batch(n)


@pytest.mark.parametrize("rows", [5, 50])
@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("category_list", _categories),
        ("store_list", _stores),
        ("supplier_list", _suppliers),
        ("customer_list", _customers),
    ],
)
def test_list_query_count_is_constant(manager_client, django_assert_num_queries, name, make, rows):
    # given
    make(rows)
    url = reverse(f"inventory:{name}")
    # when / then
    with django_assert_num_queries(LIST_QUERIES):
        response = manager_client.get(url, {"status": "active", "sort": "-name"})
    assert response.status_code == 200
    assert len(response.context["object_list"]) == min(rows, 25)
