"""Purchase screens: list, drafts, place/cancel, receipts, direct purchases and permissions."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from inventory.models import AuditEvent, LedgerEntry, Lot, Operation, PurchaseOrder
from inventory.selectors.stock import stock_totals_for_item
from inventory.services.purchasing import (
    purchase_order_create,
    purchase_order_place,
    purchase_order_receive,
)
from inventory.tests.factories import ItemFactory, StoreFactory, SupplierFactory
from inventory.views.common import ALREADY_RECORDED

pytestmark = pytest.mark.django_db
Status = PurchaseOrder.Status


@pytest.fixture
def supplier(db):
    return SupplierFactory(name="Acme Fasteners")


@pytest.fixture
def draft(manager_user, supplier, store, item):
    return purchase_order_create(
        actor=manager_user, supplier=supplier, store=store, lines=[(item, "10", "2.00")]
    )


@pytest.fixture
def ordered(manager_user, draft):
    return purchase_order_place(actor=manager_user, order=draft)


def replayed(what, preposition, order):
    """The message a replayed form gets, naming and linking the order it concerned."""
    return (
        f'{what} {ALREADY_RECORDED} {preposition} <a href="/purchases/{order.pk}/" '
        f'class="alert-link">{order.number}</a>; nothing was changed the second time.'
    )


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def state(order):
    order.refresh_from_db()
    return (
        order.status,
        [ln.quantity_received for ln in order.lines.order_by("pk")],
        LedgerEntry.objects.count(),
        Operation.objects.count(),
        PurchaseOrder.objects.count(),
    )


def line_management(prefix, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def receive_post(order, *rows, token="tok-1"):
    data = {"idempotency_key": token, **line_management("receipts", len(rows), len(rows))}
    for i, (line, quantity, lot_code) in enumerate(rows):
        data |= {
            f"receipts-{i}-line": str(line.pk),
            f"receipts-{i}-quantity": quantity,
            f"receipts-{i}-lot_code": lot_code,
            f"receipts-{i}-expires_on": "",
        }
    return data


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
    assert numbers(status="NONSENSE", date_from="not-a-date") == [elsewhere.number, ordered.number]


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
    assert "cannot go from ordered to ordered" in " ".join(messages_of(response))
    assert state(ordered) == before


def test_place_and_cancel_are_post_only(manager_client, draft):
    assert (
        manager_client.get(reverse("inventory:purchase_place", args=[draft.pk])).status_code == 405
    )
    assert (
        manager_client.get(reverse("inventory:purchase_cancel", args=[draft.pk])).status_code == 405
    )


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


# --- receiving --------------------------------------------------------------------------------


def test_staff_receives_part_of_an_order(staff_client, ordered, store, item):
    line = ordered.lines.get()
    page = staff_client.get(reverse("inventory:purchase_receive", args=[ordered.pk]))
    assert page.status_code == 200
    assert 'aria-label="Quantity now of SKU-0042"' in page.content.decode()

    response = staff_client.post(
        reverse("inventory:purchase_receive", args=[ordered.pk]),
        receive_post(ordered, (line, "4", "")),
        follow=True,
    )

    assert response.redirect_chain[-1][0] == ordered.get_absolute_url()
    text = " ".join(messages_of(response))
    assert "received 4 pcs SKU-0042 into lot L" in text
    ordered.refresh_from_db()
    line.refresh_from_db()
    assert ordered.status == Status.PARTIALLY_RECEIVED
    assert line.quantity_received == Decimal("4.000")
    assert stock_totals_for_item(item=item, store=store)["on_hand"] == Decimal("4.000")


def _with_blank_extra_row(data):
    """The post with one more, blank, row than the order has lines (a tampered or
    stale form). Django leaves a blank extra row unvalidated, without a line."""
    return {**data, "receipts-TOTAL_FORMS": str(int(data["receipts-TOTAL_FORMS"]) + 1)}


def test_a_blank_extra_row_is_skipped_and_the_receipt_recorded(staff_client, ordered, store, item):
    """Found by the hostile-input test (it was a KeyError, a 500)."""
    line = ordered.lines.get()
    url = reverse("inventory:purchase_receive", args=[ordered.pk])

    response = staff_client.post(url, _with_blank_extra_row(receive_post(ordered, (line, "4", ""))))

    assert response.status_code == 302
    line.refresh_from_db()
    assert line.quantity_received == Decimal("4.000")
    assert stock_totals_for_item(item=item, store=store)["on_hand"] == Decimal("4.000")


def test_a_blank_extra_row_and_no_quantity_is_refused_and_changes_nothing(staff_client, ordered):
    line = ordered.lines.get()
    url = reverse("inventory:purchase_receive", args=[ordered.pk])
    before = state(ordered)

    response = staff_client.post(url, _with_blank_extra_row(receive_post(ordered, (line, "", ""))))

    assert response.status_code == 200
    assert "Enter a quantity received for at least one line." in response.content.decode()
    assert state(ordered) == before


def test_the_same_receipt_submitted_twice_is_recorded_once(staff_client, ordered):
    line = ordered.lines.get()
    url = reverse("inventory:purchase_receive", args=[ordered.pk])
    data = receive_post(ordered, (line, "4", "LOT-1"), token="double-click")

    staff_client.post(url, data)
    after_first = state(ordered)
    second = staff_client.post(url, data, follow=True)

    assert messages_of(second)[-1] == replayed("This receipt", "on", ordered)
    assert state(ordered) == after_first
    assert LedgerEntry.objects.filter(po_line=line).count() == 1


def test_over_receipt_is_shown_on_the_form_and_changes_nothing(staff_client, ordered):
    line = ordered.lines.get()
    before = state(ordered)

    response = staff_client.post(
        reverse("inventory:purchase_receive", args=[ordered.pk]),
        receive_post(ordered, (line, "11", "")),
    )

    assert response.status_code == 200
    assert "Only 10 pcs of SKU-0042 are outstanding" in response.content.decode()
    assert state(ordered) == before


@pytest.mark.parametrize("quantity", ["0", "-1", "abc"])
def test_a_bad_quantity_is_a_form_error(staff_client, ordered, quantity):
    line = ordered.lines.get()
    before = state(ordered)

    response = staff_client.post(
        reverse("inventory:purchase_receive", args=[ordered.pk]),
        receive_post(ordered, (line, quantity, "")),
    )

    assert response.status_code == 200
    assert response.context["formset"].errors[0]["quantity"]
    assert state(ordered) == before


def test_all_blank_lines_are_refused(staff_client, ordered):
    line = ordered.lines.get()
    before = state(ordered)

    response = staff_client.post(
        reverse("inventory:purchase_receive", args=[ordered.pk]),
        receive_post(ordered, (line, "", "")),
    )

    assert "at least one line" in response.content.decode()
    assert state(ordered) == before


def test_a_tampered_line_id_is_refused(staff_client, ordered, manager_user, supplier, store, item):
    other = purchase_order_create(
        actor=manager_user, supplier=supplier, store=store, lines=[(item, "5", None)]
    )
    purchase_order_place(actor=manager_user, order=other)
    before = state(ordered)

    response = staff_client.post(
        reverse("inventory:purchase_receive", args=[ordered.pk]),
        receive_post(ordered, (other.lines.get(), "1", "")),
    )

    assert response.status_code == 200
    assert "does not belong" in response.content.decode()
    assert state(ordered) == before


def test_a_missing_token_is_refused(staff_client, ordered):
    line = ordered.lines.get()
    data = receive_post(ordered, (line, "1", ""))
    del data["idempotency_key"]
    before = state(ordered)

    response = staff_client.post(reverse("inventory:purchase_receive", args=[ordered.pk]), data)

    assert response.status_code == 200
    assert "form token" in response.content.decode()
    assert state(ordered) == before


@pytest.mark.parametrize("status", ["DRAFT", "CANCELLED"])
def test_receiving_a_draft_or_cancelled_order_is_refused(staff_client, manager_user, draft, status):
    if status == "CANCELLED":
        from inventory.services.purchasing import purchase_order_cancel

        purchase_order_cancel(actor=manager_user, order=draft)
    line = draft.lines.get()
    url = reverse("inventory:purchase_receive", args=[draft.pk])
    before = state(draft)

    page = staff_client.get(url, follow=True)
    posted = staff_client.post(url, receive_post(draft, (line, "1", "")))

    assert "it cannot be received" in " ".join(messages_of(page))
    assert "cannot go from" in posted.content.decode()
    assert state(draft) == before


# --- direct purchase --------------------------------------------------------------------------


def direct_data(supplier, store, item, token="direct-1", quantity="6"):
    return {
        "idempotency_key": token,
        "supplier": supplier.pk,
        "store": store.pk,
        "note": "",
        **line_management("lines", 1),
        "lines-0-item": item.pk,
        "lines-0-quantity": quantity,
        "lines-0-unit_cost": "1.25",
        "lines-0-lot_code": "SHOP-1",
        "lines-0-expires_on": "",
    }


def test_staff_records_a_direct_purchase(staff_client, supplier, store, item):
    page = staff_client.get(reverse("inventory:purchase_new"))
    assert page.status_code == 200
    assert 'id="lines-empty-form"' in page.content.decode()

    response = staff_client.post(
        reverse("inventory:purchase_new"), direct_data(supplier, store, item), follow=True
    )

    order = PurchaseOrder.objects.get()
    assert response.redirect_chain[-1][0] == order.get_absolute_url()
    assert order.status == Status.RECEIVED
    assert Lot.objects.get(item=item).code == "SHOP-1"
    assert stock_totals_for_item(item=item, store=store)["available"] == Decimal("6.000")


def test_a_direct_purchase_submitted_twice_is_recorded_once(staff_client, supplier, store, item):
    data = direct_data(supplier, store, item, token="twice")

    staff_client.post(reverse("inventory:purchase_new"), data)
    second = staff_client.post(reverse("inventory:purchase_new"), data, follow=True)

    assert messages_of(second)[-1] == replayed("This purchase", "as", PurchaseOrder.objects.get())
    assert PurchaseOrder.objects.count() == 1
    assert LedgerEntry.objects.count() == 1


def test_a_direct_purchase_without_lines_is_refused(staff_client, supplier, store, item):
    data = direct_data(supplier, store, item)
    data |= {
        "lines-0-item": "",
        "lines-0-quantity": "",
        "lines-0-unit_cost": "",
        "lines-0-lot_code": "",
    }

    response = staff_client.post(reverse("inventory:purchase_new"), data)

    assert response.status_code == 200
    assert "Add at least one line." in response.content.decode()
    assert (PurchaseOrder.objects.count(), LedgerEntry.objects.count()) == (0, 0)


def test_a_direct_purchase_into_a_deactivated_store_is_refused(staff_client, supplier, item):
    closed = StoreFactory(code="OLD", is_active=False)
    audit_before = AuditEvent.objects.count()

    response = staff_client.post(
        reverse("inventory:purchase_new"), direct_data(supplier, closed, item)
    )

    assert response.status_code == 200
    assert response.context["form"].errors["store"]
    assert (PurchaseOrder.objects.count(), LedgerEntry.objects.count()) == (0, 0)
    assert AuditEvent.objects.count() == audit_before


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
