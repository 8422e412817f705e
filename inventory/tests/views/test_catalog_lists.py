"""Catalogue lists: search, status and kind filters, sorting and pagination."""

import pytest
from django.urls import reverse

from inventory.models import Category
from inventory.tests.factories import CategoryFactory, CustomerFactory, ItemFactory, SupplierFactory

pytestmark = pytest.mark.django_db


# Lists: search, filters, sorting, pagination


def _names(response):
    return [obj.name for obj in response.context["object_list"]]


def test_search_matches_name_or_email(manager_client):
    # given
    SupplierFactory(name="Acme Fasteners", email="x@one.example")
    SupplierFactory(name="Brite", email="sales@acme.example")
    SupplierFactory(name="Coat", email="c@coat.example")
    # when
    response = manager_client.get(reverse("inventory:supplier_list"), {"q": "acme"})
    # then
    assert _names(response) == ["Acme Fasteners", "Brite"]


def test_status_filter_shows_active_or_inactive(manager_client):
    # given
    CategoryFactory(name="Old", is_active=False)
    CategoryFactory(name="New")
    # when
    active = manager_client.get(reverse("inventory:category_list"), {"status": "active"})
    inactive = manager_client.get(reverse("inventory:category_list"), {"status": "inactive"})
    every = manager_client.get(reverse("inventory:category_list"))
    # then
    assert _names(active) == ["New"]
    assert _names(inactive) == ["Old"]
    assert _names(every) == ["New", "Old"]


def test_store_kind_filter(manager_client, store, other_store):
    # when
    response = manager_client.get(reverse("inventory:store_list"), {"kind": "WAREHOUSE"})
    # then
    assert _names(response) == ["Warehouse"]


def test_sort_by_whitelisted_columns_both_ways(manager_client):
    # given
    for name in ["Beta", "Alpha", "Gamma"]:
        CategoryFactory(name=name)
    ItemFactory.create_batch(2, category=Category.objects.get(name="Gamma"))
    # when
    by_name_desc = manager_client.get(reverse("inventory:category_list"), {"sort": "-name"})
    by_items_desc = manager_client.get(reverse("inventory:category_list"), {"sort": "-items"})
    # then
    assert _names(by_name_desc) == ["Gamma", "Beta", "Alpha"]
    assert _names(by_items_desc)[0] == "Gamma"


def test_unknown_sort_is_ignored_not_an_error(manager_client):
    # given
    CustomerFactory(name="Zed")
    CustomerFactory(name="Amy")
    # when
    response = manager_client.get(
        reverse("inventory:customer_list"), {"sort": "password;drop", "status": "bogus"}
    )
    # then
    assert response.status_code == 200
    assert _names(response) == ["Amy", "Zed"]


def test_sort_header_links_toggle_direction(manager_client):
    # given
    CategoryFactory(name="One")
    # when
    response = manager_client.get(reverse("inventory:category_list"), {"sort": "name"})
    # then
    assert 'href="?sort=-name"' in response.content.decode()


def test_lists_paginate_by_25(manager_client):
    # given
    CustomerFactory.create_batch(30)
    # when
    first = manager_client.get(reverse("inventory:customer_list"))
    second = manager_client.get(reverse("inventory:customer_list"), {"page": 2})
    # then
    assert len(first.context["object_list"]) == 25
    assert len(second.context["object_list"]) == 5
    assert not set(_names(first)) & set(_names(second))
