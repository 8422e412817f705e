"""Catalogue screens: who may open them, deactivate and activate by POST only, no delete URLs."""

import pytest
from django.urls import reverse

from inventory.tests.factories import (
    CategoryFactory,
    CustomerFactory,
    ItemFactory,
    StoreFactory,
    SupplierFactory,
)
from inventory.tests.views.catalog_view_helpers import _catalogue_events

pytestmark = pytest.mark.django_db


FACTORIES = {
    "category": CategoryFactory,
    "store": StoreFactory,
    "supplier": SupplierFactory,
    "customer": CustomerFactory,
    "item": ItemFactory,
}


LISTS = ["category_list", "store_list", "supplier_list", "customer_list"]


def _screens():
    """Every GET screen of the catalogue, as (url name, kind of row it needs or None)."""
    screens = [(name, None) for name in LISTS]
    for key in FACTORIES:
        screens += [(f"{key}_create", None), (f"{key}_edit", key)]
    screens += [("supplier_detail", "supplier"), ("customer_detail", "customer")]
    return screens


def _url(name, key):
    if key is None:
        return reverse(f"inventory:{name}")
    return reverse(f"inventory:{name}", args=[FACTORIES[key]().pk])


@pytest.mark.parametrize(("name", "key"), _screens())
def test_staff_is_refused_every_catalogue_screen(staff_client, name, key):
    # when
    response = staff_client.get(_url(name, key))
    # then
    assert response.status_code == 403


@pytest.mark.parametrize(("name", "key"), _screens())
def test_manager_and_admin_open_every_catalogue_screen(manager_client, admin_role_user, name, key):
    # given
    url = _url(name, key)
    # when
    as_manager = manager_client.get(url)
    manager_client.force_login(admin_role_user)
    as_admin = manager_client.get(url)
    # then
    assert as_manager.status_code == 200
    assert as_admin.status_code == 200


@pytest.mark.parametrize("name", LISTS)
def test_anonymous_users_are_sent_to_login(client, name):
    # when
    response = client.get(reverse(f"inventory:{name}"))
    # then
    assert response.status_code == 302
    assert response.url.startswith("/login/")


@pytest.mark.parametrize("key", list(FACTORIES))
def test_staff_cannot_deactivate_and_nothing_changes(staff_client, key):
    # given
    obj = FACTORIES[key]()
    # when
    response = staff_client.post(reverse(f"inventory:{key}_deactivate", args=[obj.pk]))
    # then
    assert response.status_code == 403
    obj.refresh_from_db()
    assert obj.is_active
    assert not _catalogue_events()


@pytest.mark.parametrize("key", list(FACTORIES))
def test_deactivate_and_activate_accept_post_only(manager_client, key):
    # given
    obj = FACTORIES[key]()
    # when
    response = manager_client.get(reverse(f"inventory:{key}_deactivate", args=[obj.pk]))
    # then
    assert response.status_code == 405
    obj.refresh_from_db()
    assert obj.is_active


def test_no_delete_urls_exist():
    # then
    from inventory.views.catalog import urlpatterns

    assert not [p for p in urlpatterns if "delete" in str(p.pattern)]
