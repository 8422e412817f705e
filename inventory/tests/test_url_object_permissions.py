"""Object-level permissions: guessing ids lets staff act on no lot, order, entry or alert."""

import pytest
from django.contrib.auth import get_user_model

from accounts.roles import Role
from inventory.models import Alert, AuditEvent, LedgerEntry, Lot, PurchaseOrder

pytestmark = pytest.mark.django_db


# --- (6) object-level permissions: guessing ids does not help ---------------------------


def test_staff_cannot_approve_or_reject_a_lot_by_its_id(staff_client, seeded):
    lot = Lot.objects.filter(qc_status="QUARANTINE").first() or Lot.objects.first()
    status, decisions = lot.qc_status, lot.decisions.count()

    for action in ("approve", "reject"):
        assert staff_client.post(f"/lots/{lot.pk}/{action}/", {"note": "x"}).status_code == 403

    lot.refresh_from_db()
    assert (lot.qc_status, lot.decisions.count()) == (status, decisions)


def test_staff_cannot_cancel_a_purchase_order_by_its_id(staff_client, seeded):
    order = PurchaseOrder.objects.order_by("pk").first()
    status = order.status

    assert staff_client.post(f"/purchases/{order.pk}/cancel/").status_code == 403

    order.refresh_from_db()
    assert order.status == status


def test_staff_cannot_reverse_a_ledger_entry_by_its_id(staff_client, seeded):
    entry = LedgerEntry.objects.filter(kind="RECEIVE").order_by("pk").first()
    count = LedgerEntry.objects.count()

    response = staff_client.post(f"/ledger/{entry.pk}/reverse/", {"note": "x"})

    assert response.status_code == 403
    assert LedgerEntry.objects.count() == count
    assert not LedgerEntry.objects.filter(reverses=entry).exists()


def test_staff_and_managers_cannot_change_roles_by_user_id(
    client, seeded, staff_user, manager_user
):
    target = get_user_model().objects.get(username="staff")
    groups = list(target.groups.values_list("name", flat=True))

    for user in (staff_user, manager_user):
        client.force_login(user)
        response = client.post(f"/users/{target.pk}/role/", {"role": str(Role.ADMIN.value)})
        assert response.status_code == 403
        # nor promote themselves
        response = client.post(f"/users/{user.pk}/role/", {"role": str(Role.ADMIN.value)})
        assert response.status_code == 403

    assert list(target.groups.values_list("name", flat=True)) == groups
    assert list(staff_user.groups.values_list("name", flat=True)) == ["Staff"]
    assert list(manager_user.groups.values_list("name", flat=True)) == ["Manager"]
    assert not AuditEvent.objects.filter(action="user.set_role").exists()


def test_staff_cannot_acknowledge_an_alert_by_its_id(staff_client, seeded):
    alert = Alert.objects.filter(status=Alert.Status.OPEN).order_by("pk").first()

    assert staff_client.post(f"/alerts/{alert.pk}/acknowledge/").status_code == 403

    alert.refresh_from_db()
    assert (alert.status, alert.closed_by) == (Alert.Status.OPEN, None)


def test_managers_can_acknowledge_an_alert_from_the_list(manager_client, seeded):
    alert = Alert.objects.filter(status=Alert.Status.OPEN).order_by("pk").first()
    page = manager_client.get("/alerts/").content.decode()
    assert f'action="/alerts/{alert.pk}/acknowledge/"' in page

    response = manager_client.post(f"/alerts/{alert.pk}/acknowledge/", follow=True)

    assert response.redirect_chain == [("/alerts/", 302)]
    alert.refresh_from_db()
    assert alert.status == Alert.Status.ACKNOWLEDGED
    assert alert.closed_by.username == "manager1"
    assert f"Alert for {alert.item.sku} at {alert.store.name} acknowledged" in (
        response.content.decode()
    )
    again = manager_client.post(f"/alerts/{alert.pk}/acknowledge/", follow=True)
    assert "is already acknowledged; nothing was changed." in again.content.decode()
