"""Found by a QA pass: a store code took any characters (spaces, slashes, emoji, NUL),
and it is a short label in menus, CSV exports and links. One rule (catalog_checks), told
next to the field on the store form, in the Django admin and over the API."""

import pytest
from django.urls import reverse

from inventory.exceptions import InventoryError
from inventory.models import AuditEvent, Store
from inventory.services import catalog

pytestmark = pytest.mark.django_db

RULE = (
    "A store code is letters A-Z, digits, - and _ without spaces, starting with a letter "
    "or digit (20 at most)."
)
BAD = ["MAIN 2", "A/B", "SHOP🏬", "NUL\x00", "-LEAD", "_X", "<b>", "Ü1", "ÉTÉ"]


def _codes():
    return sorted(Store.objects.values_list("code", flat=True))


@pytest.mark.parametrize("code", BAD)
def test_a_store_code_outside_the_rule_is_refused(manager_user, store, code):
    with pytest.raises(InventoryError) as refused:
        catalog.store_create(actor=manager_user, data={"code": code, "name": "Shop"})

    assert (refused.value.field, refused.value.message) == ("code", RULE)
    assert _codes() == ["MAIN"]
    assert not AuditEvent.objects.filter(action="store.create").exists()


@pytest.mark.parametrize("code", ["MAIN-2", "wh_1", "N1", "A" * 20, "7-ELEVEN"])
def test_ordinary_store_codes_are_accepted(manager_user, code):
    created = catalog.store_create(actor=manager_user, data={"code": code, "name": "Shop"})

    assert Store.objects.get(pk=created.pk).code == code


def test_a_changed_code_is_held_to_the_rule(manager_user, store):
    with pytest.raises(InventoryError) as refused:
        catalog.store_update(actor=manager_user, store=store, data={"code": "MAIN/1"})

    assert refused.value.message == RULE
    assert Store.objects.get(pk=store.pk).code == "MAIN"


def test_a_store_whose_old_code_breaks_the_rule_can_still_be_edited(manager_user, store):
    Store.objects.filter(pk=store.pk).update(code="OLD SHOP")  # from before the rule
    store.refresh_from_db()

    catalog.store_update(actor=manager_user, store=store, data={"name": "Renamed"})

    assert Store.objects.filter(pk=store.pk).values_list("code", "name").get() == (
        "OLD SHOP",
        "Renamed",
    )


def test_the_store_form_says_so_next_to_the_code(manager_client, store):
    response = manager_client.post(
        reverse("inventory:store_create"), {"code": "NEW SHOP", "name": "New", "kind": "STORE"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["code"] == [RULE]
    assert _codes() == ["MAIN"]


def test_the_admin_says_so_next_to_the_code(admin_role_client, store):
    response = admin_role_client.post(
        reverse("admin:inventory_store_add"),
        {"code": "A/B", "name": "New", "kind": "STORE", "address": "", "contact": ""},
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["code"] == [RULE]
    assert _codes() == ["MAIN"]


def test_the_api_says_so_by_the_code(manager_user, store):
    from api.tests.conftest import client_for

    response = client_for(manager_user).post("/api/v1/stores/", {"code": "SHOP 2", "name": "New"})

    assert response.status_code == 422
    assert response.json()["errors"] == {"code": [RULE]}
    assert _codes() == ["MAIN"]
