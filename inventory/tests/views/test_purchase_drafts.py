"""Purchase screens: managers create, edit, place and cancel drafts; others may not."""

from decimal import Decimal

import pytest
from django.urls import reverse

from inventory.models import PurchaseOrder
from inventory.services.purchasing import purchase_order_create
from inventory.tests.factories import ItemFactory
from inventory.tests.views.purchasing_view_helpers import (
    Status,
    line_management,
    messages_of,
    state,
)

pytestmark = pytest.mark.django_db


# --- drafts, place, cancel (managers) -----------------------------------------------------


def test_manager_creates_a_draft_with_lines(manager_client, supplier, store, item):
    other = ItemFactory(sku="SKU-0100")
    data = {
        "supplier": supplier.pk,
        "store": store.pk,
        "expected_on": "2030-02-01",
        "note": "",
        **line_management("lines", 3),
        "lines-0-item": item.pk,
        "lines-0-quantity": "12",
        "lines-0-unit_cost": "1.10",
        "lines-1-item": other.pk,
        "lines-1-quantity": "2",
        "lines-1-unit_cost": "",
        "lines-1-DELETE": "on",  # a removed row
        "lines-2-item": "",  # an empty extra row
        "lines-2-quantity": "",
        "lines-2-unit_cost": "",
    }

    response = manager_client.post(reverse("inventory:purchase_order_new"), data)

    order = PurchaseOrder.objects.get()
    assert response.status_code == 302 and response.url == order.get_absolute_url()
    assert order.status == Status.DRAFT
    assert [(ln.item, ln.quantity_ordered, ln.unit_cost) for ln in order.lines.all()] == [
        (item, Decimal("12.000"), Decimal("1.10"))
    ]


def test_draft_form_with_a_bad_line_rerenders_and_creates_nothing(
    manager_client, supplier, store, item
):
    data = {
        "supplier": supplier.pk,
        "store": store.pk,
        **line_management("lines", 1),
        "lines-0-item": item.pk,
        "lines-0-quantity": "-4",
    }

    response = manager_client.post(reverse("inventory:purchase_order_new"), data)

    assert response.status_code == 200
    assert response.context["formset"].errors[0]["quantity"]
    assert PurchaseOrder.objects.count() == 0


def test_broken_management_form_is_not_a_500(manager_client, staff_client, supplier, store):
    response = manager_client.post(
        reverse("inventory:purchase_order_new"), {"supplier": supplier.pk, "store": store.pk}
    )
    assert response.status_code == 200
    assert PurchaseOrder.objects.count() == 0


def test_manager_edits_a_draft(manager_client, draft, item):
    line = draft.lines.get()
    get = manager_client.get(reverse("inventory:purchase_edit", args=[draft.pk]))
    assert get.context["formset"].initial[0]["quantity"] == line.quantity_ordered
    data = {
        "supplier": draft.supplier_id,
        "store": draft.store_id,
        "note": "more",
        **line_management("lines", 1, 1),
        "lines-0-item": item.pk,
        "lines-0-quantity": "15",
        "lines-0-unit_cost": "2.00",
    }

    response = manager_client.post(reverse("inventory:purchase_edit", args=[draft.pk]), data)

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.note == "more"
    assert draft.lines.get().quantity_ordered == Decimal("15.000")


def test_editing_a_placed_order_is_refused(manager_client, ordered, item):
    before = state(ordered)

    response = manager_client.post(
        reverse("inventory:purchase_edit", args=[ordered.pk]),
        {"supplier": ordered.supplier_id, "store": ordered.store_id, **line_management("lines", 0)},
        follow=True,
    )

    assert "no longer a draft" in " ".join(messages_of(response))
    assert state(ordered) == before
    assert ordered.lines.count() == 1


def test_manager_places_then_cancels(manager_client, draft):
    placed = manager_client.post(reverse("inventory:purchase_place", args=[draft.pk]), follow=True)
    draft.refresh_from_db()
    assert draft.status == Status.ORDERED
    assert f"{draft.number} placed" in " ".join(messages_of(placed))

    manager_client.post(reverse("inventory:purchase_cancel", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == Status.CANCELLED


def test_an_illegal_transition_is_a_message_not_a_500(manager_client, ordered):
    before = state(ordered)

    response = manager_client.post(
        reverse("inventory:purchase_place", args=[ordered.pk]), follow=True
    )

    assert response.status_code == 200
    assert "is already ordered; nothing was changed." in " ".join(messages_of(response))
    assert state(ordered) == before


def test_place_and_cancel_are_done_by_post_only(manager_client, draft):
    # Their addresses opened by GET (a sign-in after the session ended) show the order.
    for action in ("inventory:purchase_place", "inventory:purchase_cancel"):
        response = manager_client.get(reverse(action, args=[draft.pk]))
        assert (response.status_code, response["Location"]) == (302, draft.get_absolute_url())
    draft.refresh_from_db()
    assert draft.status == "DRAFT"


def test_editing_only_the_header_keeps_the_lines_and_remove_drops_one(
    manager_client, manager_user, supplier, store, item
):
    other = ItemFactory(sku="SKU-0200")
    order = purchase_order_create(
        actor=manager_user,
        supplier=supplier,
        store=store,
        lines=[(item, "10", "2.00"), (other, "4", "1.00")],
    )
    url = reverse("inventory:purchase_edit", args=[order.pk])
    data = {
        "supplier": supplier.pk,
        "store": store.pk,
        "note": "header only",
        **line_management("lines", 3, 2),
        "lines-0-item": item.pk,
        "lines-0-quantity": "10.000",
        "lines-0-unit_cost": "2.00",
        "lines-1-item": other.pk,
        "lines-1-quantity": "4.000",
        "lines-1-unit_cost": "1.00",
        "lines-2-item": "",
        "lines-2-quantity": "",
        "lines-2-unit_cost": "",
    }

    manager_client.post(url, data)
    assert [ln.item for ln in order.lines.order_by("pk")] == [item, other]

    manager_client.post(url, data | {"lines-0-DELETE": "on"})
    assert [ln.item for ln in order.lines.order_by("pk")] == [other]


# --- permissions ----------------------------------------------------------------------------


def test_staff_cannot_create_edit_place_or_cancel(staff_client, draft, supplier, store, item):
    before = state(draft)
    data = {"supplier": supplier.pk, "store": store.pk, **line_management("lines", 0)}

    assert staff_client.get(reverse("inventory:purchase_order_new")).status_code == 403
    assert staff_client.post(reverse("inventory:purchase_order_new"), data).status_code == 403
    assert staff_client.get(reverse("inventory:purchase_edit", args=[draft.pk])).status_code == 403
    assert (
        staff_client.post(reverse("inventory:purchase_place", args=[draft.pk])).status_code == 403
    )
    assert (
        staff_client.post(reverse("inventory:purchase_cancel", args=[draft.pk])).status_code == 403
    )

    assert state(draft) == before


@pytest.mark.parametrize("name", ["purchase_list", "purchase_new", "purchase_order_new"])
def test_anonymous_is_sent_to_login(client, name):
    response = client.get(reverse(f"inventory:{name}"))
    assert response.status_code == 302 and response.url.startswith("/login/")


def test_roleless_user_waits_for_approval(client, roleless_user, ordered):
    client.force_login(roleless_user)
    response = client.get(reverse("inventory:purchase_receive", args=[ordered.pk]))
    assert response.status_code == 302 and "login" not in response.url
