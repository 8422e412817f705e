"""The /alerts/ list, its acknowledge action and the navigation badge."""

from decimal import Decimal

import pytest
from django.shortcuts import get_object_or_404

from inventory.models import Alert, AuditEvent
from inventory.services.alerts import alert_acknowledge
from inventory.tests.alerts_helpers import _receive, _sell
from inventory.tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


def _open_alert(user, sku, store, *, level="5", stock="2"):
    """An alert opens on a drop: `level` received, then sold down to `stock`."""
    item = ItemFactory(sku=sku, name=f"Item {sku}", reorder_level=Decimal(level))
    _receive(user, item, store, level)
    _sell(user, item, store, str(Decimal(level) - Decimal(stock)))
    return Alert.objects.get(item=item, store=store)


def test_alert_list_shows_open_and_acknowledged_alerts_with_available_now(
    manager_client, manager_user, staff_user, store, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        open_alert = _open_alert(staff_user, "SKU-A1", store)
        acknowledged = _open_alert(staff_user, "SKU-A2", store)
        resolved = _open_alert(staff_user, "SKU-A3", store)
        _receive(staff_user, resolved.item, store, "10")
    alert_acknowledge(actor=manager_user, alert=acknowledged)

    response = manager_client.get("/alerts/")

    assert response.status_code == 200
    rows = response.context["rows"]
    assert [(a.item.sku, a.status, available) for a, available in rows] == [
        ("SKU-A1", "OPEN", Decimal("2.000")),
        ("SKU-A2", "ACKNOWLEDGED", Decimal("2.000")),
    ]
    html = response.content.decode()
    assert f'action="/alerts/{open_alert.pk}/acknowledge/"' in html
    assert f'action="/alerts/{acknowledged.pk}/acknowledge/"' not in html
    assert "by manager1" in html
    # the badge counts open alerts only, and links to this list
    assert '<a class="nav-link" href="/alerts/" title="Open low-stock alerts">' in html
    assert 'data-testid="alert-badge">1</span>' in html


@pytest.mark.parametrize("count", [1, 12])
def test_alert_list_query_count_does_not_grow_with_alerts(
    manager_client, staff_user, store, count, django_assert_num_queries,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(count):
            _open_alert(staff_user, f"SKU-N{n:02d}", store)

    # session, user with its role, alert badge, alerts with item/store/user, available now
    with django_assert_num_queries(5):
        response = manager_client.get("/alerts/")

    assert len(response.context["rows"]) == count


def test_staff_see_no_alert_badge_and_cannot_open_the_list(
    staff_client, staff_user, store, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _open_alert(staff_user, "SKU-B1", store)

    assert "alert-badge" not in staff_client.get("/").content.decode()
    assert staff_client.get("/alerts/").status_code == 403


def test_acknowledge_is_post_only(manager_client, staff_user, store):
    alert = _open_alert(staff_user, "SKU-C1", store)

    response = manager_client.get(f"/alerts/{alert.pk}/acknowledge/")

    assert response.status_code == 405
    alert.refresh_from_db()
    assert alert.status == Alert.Status.OPEN


def test_acknowledging_an_unknown_alert_is_a_404(manager_client):
    assert manager_client.post("/alerts/999999/acknowledge/").status_code == 404


def test_an_alert_resolved_while_being_acknowledged_says_so_and_stays_resolved(
    manager_client, manager_user, store, monkeypatch
):
    # given an open alert whose stock recovers just after the page read it
    alert = _open_alert(manager_user, "SKU-R1", store)

    def read_then_recover(*args, **kwargs):
        found = get_object_or_404(*args, **kwargs)
        _receive(manager_user, alert.item, store, "10")
        return found

    monkeypatch.setattr("inventory.views.audit.get_object_or_404", read_then_recover)

    # when the manager acknowledges it
    page = manager_client.post(f"/alerts/{alert.pk}/acknowledge/", follow=True)

    # then the page says it was not acknowledged, and the stock's resolution stands
    text = page.content.decode()
    assert "is resolved, so it cannot be acknowledged; nothing was changed." in text
    assert "acknowledged; a new one opens" not in text
    alert.refresh_from_db()
    assert (alert.status, alert.closed_by) == (Alert.Status.RESOLVED, None)
    assert not AuditEvent.objects.filter(action="alert.acknowledge").exists()
