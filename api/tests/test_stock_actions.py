"""Stock actions, QC, alerts and the catalogue over the API, through the same services."""

from decimal import Decimal

import pytest

from inventory.models import (
    Alert,
    AuditEvent,
    Category,
    Item,
    LedgerEntry,
    Lot,
)
from inventory.selectors.stock import stock_available
from inventory.services.alerts import alerts_refresh
from inventory.services.stock import stock_receive
from inventory.tests.factories import (
    CategoryFactory,
    CustomerFactory,
    ItemFactory,
    SupplierFactory,
)

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


def test_a_transfer_naming_a_lot_of_another_item_is_refused_as_such(
    manager_api, manager_user, store, other_store, item
):
    # Found by a QA pass: it answered 409 "Only 0 box of BOLT-M8 unreserved in lot QA-N1".
    other = ItemFactory(sku="NUT-M8")
    receive(manager_user, other, store, 5, lot_code="QA-N1")
    receive(manager_user, item, store, 5, lot_code="MINE")
    entries = LedgerEntry.objects.count()

    response = manager_api.stock_post(
        f"{V1}/transfers/",
        {
            "item": item.pk,
            "from_store": store.pk,
            "to_store": other_store.pk,
            "quantity": "2",
            "lot": Lot.objects.get(code="QA-N1").pk,
        },
    )

    assert response.status_code == 422
    assert response.json()["errors"] == {"lot": ["Lot QA-N1 is a lot of NUT-M8, not of SKU-0042."]}
    assert LedgerEntry.objects.count() == entries


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


def test_qc_approve_reject_with_a_note_and_quarantine(manager_api, manager_user, store, qc_item):
    receive(manager_user, qc_item, store, 5, lot_code="Q1")
    receive(manager_user, qc_item, store, 5, lot_code="Q2")
    q1, q2 = Lot.objects.order_by("code")

    approved = manager_api.post(f"{V1}/lots/{q1.pk}/approve/", {"note": "fine"})
    assert approved.json()["qc_status"] == "APPROVED"
    back = manager_api.post(f"{V1}/lots/{q1.pk}/quarantine/", {})
    assert back.json()["qc_status"] == "QUARANTINE"

    no_note = manager_api.post(f"{V1}/lots/{q2.pk}/reject/", {})
    assert no_note.status_code == 400 and list(no_note.json()["errors"]) == ["note"]
    rejected = manager_api.post(f"{V1}/lots/{q2.pk}/reject/", {"note": "mould"})
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
    alerts_refresh(pairs={(low.pk, store.pk)})  # a receipt short of the level opens none
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
