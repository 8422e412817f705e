"""Purchase screens: the list's filters, value, pages and query count, and an order's page."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from inventory.services.purchasing import purchase_order_create, purchase_order_receive
from inventory.tests.factories import SupplierFactory

pytestmark = pytest.mark.django_db


# --- list ---------------------------------------------------------------------------------


def test_list_filters_by_status_supplier_store_and_date(
    staff_client, manager_user, supplier, store, other_store, item, ordered, draft
):
    other_supplier = SupplierFactory(name="Brite Electrical")
    elsewhere = purchase_order_create(
        actor=manager_user, supplier=other_supplier, store=other_store, lines=[(item, "1", None)]
    )
    url = reverse("inventory:purchase_list")
    today = timezone.localdate()

    def numbers(**params):
        response = staff_client.get(url, params)
        assert response.status_code == 200
        return [o.number for o in response.context["orders"]]

    assert numbers() == [elsewhere.number, ordered.number]
    assert numbers(status="ORDERED") == [ordered.number]
    assert numbers(supplier=other_supplier.pk) == [elsewhere.number]
    assert numbers(store=store.pk) == [ordered.number]
    assert numbers(date_from=today.isoformat(), date_to=today.isoformat()) == [
        elsewhere.number,
        ordered.number,
    ]
    assert numbers(date_from=(today + timedelta(days=1)).isoformat()) == []
    # a filter that cannot be read lists nothing (never everything), never a 500
    assert numbers(status="NONSENSE", date_from="not-a-date") == []


def test_list_shows_value_and_paginates(staff_client, manager_user, supplier, store, item):
    for _ in range(27):
        purchase_order_create(
            actor=manager_user, supplier=supplier, store=store, lines=[(item, "3", "1.50")]
        )

    first = staff_client.get(reverse("inventory:purchase_list"))
    older = first.context["page"].older_query
    second = staff_client.get(f"{reverse('inventory:purchase_list')}?{older}")
    beyond = staff_client.get(reverse("inventory:purchase_list"), {"older": "zzz", "page": "9"})

    assert len(first.context["orders"]) == 25 and len(second.context["orders"]) == 2
    assert first.context["orders"][0].value == Decimal("4.50")
    assert first.context["orders"][0].line_count == 1
    assert [o.pk for o in beyond.context["orders"]] == [o.pk for o in first.context["orders"]]
    assert ">Older</a>" in first.content.decode()
    assert ">Older</a>" not in second.content.decode()


@pytest.mark.parametrize("count", [5, 50])
def test_list_query_count_does_not_grow_with_orders(
    count, staff_client, manager_user, supplier, store, item, django_assert_num_queries
):
    for _ in range(count):
        purchase_order_create(
            actor=manager_user, supplier=supplier, store=store, lines=[(item, "1", "1")]
        )

    # session, user with its role, page of orders (no count), the stores to filter by
    # (suppliers are picked by name: none is listed)
    with django_assert_num_queries(4):
        response = staff_client.get(reverse("inventory:purchase_list"))

    assert response.status_code == 200


# --- detail -------------------------------------------------------------------------------


def test_detail_shows_lines_value_receipts_history_and_legal_actions_for_staff(
    staff_client, staff_user, ordered
):
    line = ordered.lines.get()
    purchase_order_receive(
        actor=staff_user,
        order=ordered,
        receipts=[{"line": line, "quantity": "4", "lot_code": "LOT-A"}],
    )

    response = staff_client.get(ordered.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    (shown,) = response.context["lines"]
    assert (shown.quantity_ordered, shown.quantity_received, shown.outstanding) == (
        Decimal("10.000"),
        Decimal("4.000"),
        Decimal("6.000"),
    )
    assert shown.available == Decimal("4.000")
    assert response.context["order_value"] == Decimal("20.00")
    assert "LOT-A" in html
    assert [e.action for e in response.context["history"]] == [
        "purchase_order.create",
        "purchase_order.place",
        "purchase_order.receive",
    ]
    assert response.context["actions"] == {"receive"}
    assert reverse("inventory:purchase_receive", args=[ordered.pk]) in html
    assert reverse("inventory:purchase_cancel", args=[ordered.pk]) not in html


def test_detail_offers_a_manager_edit_place_and_cancel_on_a_draft(manager_client, draft):
    response = manager_client.get(draft.get_absolute_url())

    html = response.content.decode()
    assert response.context["actions"] == {"edit", "place", "cancel"}
    assert reverse("inventory:purchase_place", args=[draft.pk]) in html
    assert reverse("inventory:purchase_receive", args=[draft.pk]) not in html


def test_detail_of_a_missing_order_is_404(staff_client):
    assert staff_client.get("/purchases/999999/").status_code == 404


def test_the_history_names_each_status_in_words(staff_client, ordered):
    line = ordered.lines.get()
    purchase_order_receive(
        actor=ordered.created_by, order=ordered, receipts=[{"line": line, "quantity": "1"}]
    )

    html = staff_client.get(ordered.get_absolute_url()).content.decode()

    history = html.split('data-testid="po-history"', 1)[1].split("</ul>", 1)[0]
    assert "(Draft → Ordered)" in history
    assert "(Ordered → Partially received)" in history
    assert "PARTIALLY_RECEIVED" not in history and "DRAFT" not in history
