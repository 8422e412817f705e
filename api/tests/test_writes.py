"""Every write of the API goes through the web screens' services and answers their result."""

from decimal import Decimal

import pytest

from inventory.models import (
    Alert,
    AuditEvent,
    Category,
    Item,
    LedgerEntry,
    Lot,
    PurchaseOrder,
    SalesOrder,
    StockBalance,
)
from inventory.selectors.stock import stock_available, stock_totals_for_item
from inventory.services.stock import stock_receive
from inventory.tests.factories import CategoryFactory, CustomerFactory, SupplierFactory

pytestmark = pytest.mark.django_db
V1 = "/api/v1"


@pytest.fixture
def supplier(db):
    return SupplierFactory(name="Acme")


@pytest.fixture
def customer(db):
    return CustomerFactory(name="Bob")


def receive(user, item, store, quantity, **kwargs):
    return stock_receive(actor=user, item=item, store=store, quantity=quantity, **kwargs)


# --- purchase orders -----------------------------------------------------------------------


def draft_po(api, supplier, store, item, quantity="10"):
    response = api.post(
        f"{V1}/purchase-orders/",
        {
            "supplier": supplier.pk,
            "store": store.pk,
            "lines": [{"item": item.pk, "quantity": quantity, "unit_cost": "1.25"}],
        },
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_a_purchase_order_is_drafted_edited_placed_received_in_part_then_in_full(
    manager_api, staff_api, supplier, store, item
):
    order = draft_po(manager_api, supplier, store, item)
    assert (order["status"], order["number"]) == ("DRAFT", f"PO-{order['id']:06d}")

    edited = manager_api.put(
        f"{V1}/purchase-orders/{order['id']}/",
        {
            "supplier": supplier.pk,
            "store": store.pk,
            "note": "urgent",
            "lines": [{"item": item.pk, "quantity": "6"}],
        },
    )
    assert edited.status_code == 200
    assert edited.json()["note"] == "urgent"
    assert edited.json()["lines"][0]["unit_cost"] == "2.50"  # the item's, left blank

    placed = manager_api.post(f"{V1}/purchase-orders/{order['id']}/place/")
    assert placed.json()["status"] == "ORDERED"

    line = edited.json()["lines"][0]["id"]
    part = staff_api.stock_post(
        f"{V1}/purchase-orders/{order['id']}/receive/",
        {"receipts": [{"line": line, "quantity": "2", "lot_code": "A-1"}]},
    )
    assert part.status_code == 201
    assert part.json()["order"]["status"] == "PARTIALLY_RECEIVED"
    assert len(part.json()["movements"]) == 1

    rest = staff_api.stock_post(f"{V1}/purchase-orders/{order['id']}/receive/", {})
    assert rest.status_code == 201
    assert rest.json()["order"]["status"] == "RECEIVED"
    assert stock_available(item=item, store=store) == Decimal("6")
    assert Lot.objects.filter(item=item, code="A-1").exists()


def test_staff_cannot_draft_place_or_cancel_a_purchase_order(
    staff_api, manager_api, supplier, store, item
):
    order = draft_po(manager_api, supplier, store, item)

    assert staff_api.post(f"{V1}/purchase-orders/", {}).status_code == 403
    assert staff_api.post(f"{V1}/purchase-orders/{order['id']}/place/").status_code == 403
    assert staff_api.post(f"{V1}/purchase-orders/{order['id']}/cancel/").status_code == 403
    assert PurchaseOrder.objects.get().status == "DRAFT"


def test_cancelling_a_received_order_is_a_409_naming_the_transition(
    manager_api, supplier, store, item
):
    order = draft_po(manager_api, supplier, store, item, quantity="1")
    manager_api.post(f"{V1}/purchase-orders/{order['id']}/place/")
    manager_api.stock_post(f"{V1}/purchase-orders/{order['id']}/receive/", {})

    response = manager_api.post(f"{V1}/purchase-orders/{order['id']}/cancel/")

    assert response.status_code == 409
    assert response.json()["type"] == "urn:inventory:problem:invalid-transition"
    assert "received" in response.json()["detail"] and "cancelled" in response.json()["detail"]
    assert PurchaseOrder.objects.get().status == "RECEIVED"


def test_receiving_more_than_outstanding_is_refused_and_records_nothing(
    manager_api, supplier, store, item
):
    order = draft_po(manager_api, supplier, store, item, quantity="2")
    manager_api.post(f"{V1}/purchase-orders/{order['id']}/place/")
    line = order["lines"][0]["id"]

    response = manager_api.stock_post(
        f"{V1}/purchase-orders/{order['id']}/receive/",
        {"receipts": [{"line": line, "quantity": "3"}]},
    )

    assert response.status_code == 422
    assert response.json()["errors"] == {"quantity": [response.json()["detail"]]}
    assert "outstanding" in response.json()["detail"]
    assert LedgerEntry.objects.count() == 0


def test_a_direct_purchase_receives_at_once(staff_api, supplier, store, qc_item):
    response = staff_api.stock_post(
        f"{V1}/purchase-orders/direct/",
        {
            "supplier": supplier.pk,
            "store": store.pk,
            "lines": [{"item": qc_item.pk, "quantity": "4", "lot_code": "Q-1"}],
        },
    )

    assert response.status_code == 201
    assert response.json()["order"]["status"] == "RECEIVED"
    totals = stock_totals_for_item(item=qc_item, store=store)
    assert (totals["on_hand"], totals["quarantined"], totals["available"]) == (4, 4, 0)


# --- sales orders ----------------------------------------------------------------------------


def test_a_sales_order_is_drafted_edited_confirmed_shipped_in_part_and_returned(
    staff_api, manager_user, store, item, customer
):
    receive(manager_user, item, store, 10)
    created = staff_api.post(
        f"{V1}/sales-orders/",
        {"store": store.pk, "customer": customer.pk, "lines": [{"item": item.pk, "quantity": "3"}]},
    )
    assert created.status_code == 201
    order = created.json()
    edited = staff_api.put(
        f"{V1}/sales-orders/{order['id']}/",
        {"store": store.pk, "lines": [{"item": item.pk, "quantity": "5", "unit_price": "9.99"}]},
    )
    assert edited.json()["customer"] is None
    line = edited.json()["lines"][0]["id"]

    confirmed = staff_api.stock_post(f"{V1}/sales-orders/{order['id']}/confirm/")
    assert confirmed.status_code == 200
    assert confirmed.json()["order"]["status"] == "CONFIRMED"
    assert stock_available(item=item, store=store) == Decimal("5")

    shipped = staff_api.stock_post(
        f"{V1}/sales-orders/{order['id']}/ship/", {"lines": [{"line": line, "quantity": "2"}]}
    )
    assert shipped.json()["order"]["status"] == "PARTIALLY_SHIPPED"

    returned = staff_api.stock_post(
        f"{V1}/sales-orders/{order['id']}/returns/", {"line": line, "quantity": "1"}
    )
    assert returned.status_code == 201
    assert returned.json()["order"]["lines"][0]["quantity_returned"] == "1.000"

    cancelled = staff_api.stock_post(f"{V1}/sales-orders/{order['id']}/cancel/")
    assert cancelled.json()["order"]["status"] == "CANCELLED"
    totals = stock_totals_for_item(item=item, store=store)
    assert (totals["on_hand"], totals["reserved"]) == (Decimal("9"), Decimal("0"))


def test_shipping_without_lines_ships_everything_reserved(staff_api, manager_user, store, item):
    receive(manager_user, item, store, 10)
    order = staff_api.post(
        f"{V1}/sales-orders/", {"store": store.pk, "lines": [{"item": item.pk, "quantity": "4"}]}
    ).json()
    staff_api.stock_post(f"{V1}/sales-orders/{order['id']}/confirm/")

    shipped = staff_api.stock_post(f"{V1}/sales-orders/{order['id']}/ship/", {})

    assert shipped.json()["order"]["status"] == "SHIPPED"
    assert StockBalance.objects.get(item=item, store=store).on_hand == Decimal("6")


def test_confirming_a_short_order_reserves_nothing_and_names_the_shortage(
    staff_api, manager_user, store, item
):
    receive(manager_user, item, store, 2)
    order = staff_api.post(
        f"{V1}/sales-orders/", {"store": store.pk, "lines": [{"item": item.pk, "quantity": "5"}]}
    ).json()

    response = staff_api.stock_post(f"{V1}/sales-orders/{order['id']}/confirm/")

    assert response.status_code == 409
    body = response.json()
    assert body["detail"] == "Only 2 pcs of SKU-0042 available in Main Store; 5 requested."
    assert (body["requested"], body["available"]) == ("5.000", "2.000")
    assert body["item"] == {"id": item.pk, "sku": "SKU-0042"}
    assert body["store"] == {"id": store.pk, "code": "MAIN"}
    assert SalesOrder.objects.get().status == "DRAFT"
    assert StockBalance.objects.get(item=item, store=store).reserved == 0


def test_a_quick_sale_issues_at_once_and_a_refused_one_records_nothing(
    staff_api, manager_user, store, item
):
    receive(manager_user, item, store, 3)
    sold = staff_api.stock_post(
        f"{V1}/sales-orders/quick/",
        {"store": store.pk, "lines": [{"item": item.pk, "quantity": "2"}]},
    )
    refused = staff_api.stock_post(
        f"{V1}/sales-orders/quick/",
        {"store": store.pk, "lines": [{"item": item.pk, "quantity": "2"}]},
    )

    assert sold.status_code == 201 and sold.json()["order"]["status"] == "SHIPPED"
    assert refused.status_code == 409
    assert refused["Content-Type"] == "application/problem+json"
    assert refused.json()["shortages"] == [
        {
            "item": {"id": item.pk, "sku": "SKU-0042"},
            "store": {"id": store.pk, "code": "MAIN"},
            "requested": "2.000",
            "available": "1.000",
            "line": 0,
        }
    ]
    assert SalesOrder.objects.count() == 1


def test_a_return_of_a_line_of_another_order_is_a_400(staff_api, manager_user, store, item):
    receive(manager_user, item, store, 5)
    one = staff_api.stock_post(
        f"{V1}/sales-orders/quick/",
        {"store": store.pk, "lines": [{"item": item.pk, "quantity": "1"}]},
    ).json()["order"]
    two = staff_api.stock_post(
        f"{V1}/sales-orders/quick/",
        {"store": store.pk, "lines": [{"item": item.pk, "quantity": "1"}]},
    ).json()["order"]

    response = staff_api.stock_post(
        f"{V1}/sales-orders/{one['id']}/returns/",
        {"line": two["lines"][0]["id"], "quantity": "1"},
    )

    assert response.status_code == 400
    assert "line" in response.json()["errors"]
    assert LedgerEntry.objects.filter(kind="RETURN").count() == 0


# --- stock actions ---------------------------------------------------------------------------


def test_a_manager_transfers_adjusts_and_reverses(
    manager_api, manager_user, store, other_store, item
):
    receive(manager_user, item, store, 10, lot_code="L1")
    lot = Lot.objects.get(item=item)

    moved = manager_api.stock_post(
        f"{V1}/transfers/",
        {"item": item.pk, "from_store": store.pk, "to_store": other_store.pk, "quantity": "4"},
    )
    assert moved.status_code == 201
    assert [m["kind"] for m in moved.json()["movements"]] == ["TRANSFER_OUT", "TRANSFER_IN"]

    adjusted = manager_api.stock_post(
        f"{V1}/adjustments/",
        {"lot": lot.pk, "store": store.pk, "quantity": "-1", "reason": "DAMAGE", "note": "dropped"},
    )
    assert adjusted.status_code == 201
    entry = adjusted.json()["movements"][0]
    assert (entry["kind"], entry["on_hand_delta"], entry["reason"]) == (
        "ADJUST",
        "-1.000",
        "DAMAGE",
    )

    reversed_ = manager_api.stock_post(f"{V1}/movements/{entry['id']}/reverse/", {"note": "oops"})
    assert reversed_.status_code == 201
    assert reversed_.json()["movements"][0]["reverses"] == entry["id"]
    assert stock_available(item=item, store=store) == Decimal("6")
    assert stock_available(item=item, store=other_store) == Decimal("4")

    again = manager_api.stock_post(f"{V1}/movements/{entry['id']}/reverse/", {})
    assert again.status_code == 409


def test_staff_cannot_transfer_adjust_or_reverse(staff_api, manager_user, store, other_store, item):
    receive(manager_user, item, store, 10)
    entry = LedgerEntry.objects.get()
    count = LedgerEntry.objects.count()

    responses = [
        staff_api.stock_post(
            f"{V1}/transfers/",
            {"item": item.pk, "from_store": store.pk, "to_store": other_store.pk, "quantity": "1"},
        ),
        staff_api.stock_post(
            f"{V1}/adjustments/",
            {"lot": entry.lot_id, "store": store.pk, "quantity": "1", "reason": "FOUND"},
        ),
        staff_api.stock_post(f"{V1}/movements/{entry.pk}/reverse/", {}),
    ]

    assert [r.status_code for r in responses] == [403, 403, 403]
    assert LedgerEntry.objects.count() == count


# --- lots, alerts, catalogue ---------------------------------------------------------------


def test_qc_approve_reject_with_a_reason_and_quarantine(manager_api, manager_user, store, qc_item):
    receive(manager_user, qc_item, store, 5, lot_code="Q1")
    receive(manager_user, qc_item, store, 5, lot_code="Q2")
    q1, q2 = Lot.objects.order_by("code")

    approved = manager_api.post(f"{V1}/lots/{q1.pk}/approve/", {"note": "fine"})
    assert approved.json()["qc_status"] == "APPROVED"
    back = manager_api.post(f"{V1}/lots/{q1.pk}/quarantine/", {})
    assert back.json()["qc_status"] == "QUARANTINE"

    no_reason = manager_api.post(f"{V1}/lots/{q2.pk}/reject/", {})
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["errors"]
    rejected = manager_api.post(f"{V1}/lots/{q2.pk}/reject/", {"reason": "mould"})
    assert rejected.json()["qc_status"] == "REJECTED"
    assert q2.decisions.get().note == "mould"

    final = manager_api.post(f"{V1}/lots/{q2.pk}/approve/", {})
    assert final.status_code == 409
    assert Lot.objects.get(pk=q2.pk).qc_status == "REJECTED"


def test_staff_cannot_decide_qc(staff_api, manager_user, store, qc_item):
    receive(manager_user, qc_item, store, 5)
    lot = Lot.objects.get()

    assert staff_api.post(f"{V1}/lots/{lot.pk}/approve/", {}).status_code == 403
    assert Lot.objects.get().qc_status == "QUARANTINE"


def test_an_alert_is_acknowledged_once(manager_api, manager_user, store):
    from inventory.tests.factories import ItemFactory

    low = ItemFactory(sku="LOW-1", reorder_level=Decimal("5"))
    receive(manager_user, low, store, 2)
    alert = Alert.objects.get(item=low)

    done = manager_api.post(f"{V1}/alerts/{alert.pk}/acknowledge/")
    again = manager_api.post(f"{V1}/alerts/{alert.pk}/acknowledge/")

    assert done.status_code == 200
    assert (done.json()["status"], done.json()["closed_by"]) == ("ACKNOWLEDGED", "manager1")
    assert again.status_code == 409
    assert AuditEvent.objects.filter(action="alert.acknowledge").count() == 1


def test_catalogue_create_update_deactivate_through_the_services(manager_api, staff_api):
    category = CategoryFactory(name="Tools")
    created = manager_api.post(
        f"{V1}/items/", {"sku": "HAM-1", "name": "Hammer", "category": category.pk}
    )
    assert created.status_code == 201, created.content
    item_id = created.json()["id"]
    assert created.json()["available"] == "0.000"

    duplicate = manager_api.post(
        f"{V1}/items/", {"sku": "ham-1", "name": "Other", "category": category.pk}
    )
    assert duplicate.status_code == 422
    assert duplicate.json()["errors"] == {"sku": [duplicate.json()["detail"]]}

    patched = manager_api.patch(f"{V1}/items/{item_id}/", {"unit_price": "12.50"})
    assert patched.json()["unit_price"] == "12.50"
    negative = manager_api.patch(f"{V1}/items/{item_id}/", {"unit_price": "-1"})
    assert negative.status_code == 422

    assert staff_api.post(f"{V1}/items/{item_id}/deactivate/").status_code == 403
    off = manager_api.post(f"{V1}/items/{item_id}/deactivate/")
    assert off.json()["is_active"] is False
    assert manager_api.post(f"{V1}/items/{item_id}/deactivate/").status_code == 422
    assert manager_api.send("delete", f"{V1}/items/{item_id}/").status_code == 405
    assert Item.objects.filter(pk=item_id, is_active=False).exists()
    assert AuditEvent.objects.filter(action__startswith="item.").count() == 3

    store = manager_api.post(f"{V1}/stores/", {"code": "NEW", "name": "New shop"})
    assert store.status_code == 201
    assert manager_api.post(f"{V1}/categories/", {"name": "tools"}).status_code == 422
    assert Category.objects.count() == 1
