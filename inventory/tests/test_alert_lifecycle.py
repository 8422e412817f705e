"""Low-stock alerts: one per crossing, closed by recovery or acknowledgement."""

from decimal import Decimal

import pytest

from accounts.tests.factories import UserFactory
from inventory.exceptions import InvalidTransition
from inventory.models import Alert, AuditEvent
from inventory.services.alerts import alert_acknowledge
from inventory.services.stock import stock_receive
from inventory.tests.alerts_helpers import (
    _receive,
    _sell,
)

pytestmark = pytest.mark.django_db


def test_alert_opens_once_when_available_crosses_below_reorder_level(
    staff_user, low_item, store, django_capture_on_commit_callbacks
):
    # given 10 in stock, reorder level 5
    with django_capture_on_commit_callbacks(execute=True):
        _receive(staff_user, low_item, store, "10")
        _sell(staff_user, low_item, store, "5")  # available 5: not below the level
    assert Alert.objects.count() == 0

    # when a sale takes available to 4, then two more sales follow
    with django_capture_on_commit_callbacks(execute=True):
        _sell(staff_user, low_item, store, "1")
        _sell(staff_user, low_item, store, "1")
        _sell(staff_user, low_item, store, "1")

    # then exactly one alert is open, recording the figures at opening
    alert = Alert.objects.get()
    assert (alert.item, alert.store, alert.status) == (low_item, store, Alert.Status.OPEN)
    assert alert.available_at_open == Decimal("4.000")
    assert alert.reorder_level == Decimal("5.000")
    assert alert.closed_at is None


def test_alert_resolves_when_a_receipt_recovers_stock_and_a_new_drop_opens_another(
    staff_user, low_item, store, django_capture_on_commit_callbacks
):
    # given an open alert at available 3
    with django_capture_on_commit_callbacks(execute=True):
        _receive(staff_user, low_item, store, "10")
        _sell(staff_user, low_item, store, "7")
    first = Alert.objects.get()

    # when a receipt brings available back to 13
    with django_capture_on_commit_callbacks(execute=True):
        _receive(staff_user, low_item, store, "10")

    # then the alert is resolved and none is open
    first.refresh_from_db()
    assert first.status == Alert.Status.RESOLVED
    assert first.closed_at is not None
    assert first.closed_by is None
    assert Alert.objects.exclude(status=Alert.Status.RESOLVED).count() == 0

    # when stock falls below the level again, a new alert opens
    with django_capture_on_commit_callbacks(execute=True):
        _sell(staff_user, low_item, store, "12")
    second = Alert.objects.exclude(pk=first.pk).get()
    assert second.status == Alert.Status.OPEN
    assert second.available_at_open == Decimal("1.000")


def test_reaching_exactly_the_reorder_level_resolves_the_alert(
    staff_user, low_item, store, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _receive(staff_user, low_item, store, "10")
        _sell(staff_user, low_item, store, "6")
    alert = Alert.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        _receive(staff_user, low_item, store, "1")

    alert.refresh_from_db()
    assert alert.status == Alert.Status.RESOLVED


def test_alerts_are_per_store(
    staff_user, low_item, store, other_store, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _receive(staff_user, low_item, store, "10")
        _receive(staff_user, low_item, other_store, "4")
        _sell(staff_user, low_item, other_store, "2")

    alert = Alert.objects.get()
    assert alert.store == other_store
    assert alert.available_at_open == Decimal("2.000")


def test_acknowledged_alert_stays_closed_until_recovery_then_a_new_drop_opens_one(
    staff_user, manager_user, low_item, store, django_capture_on_commit_callbacks
):
    # given an open alert
    with django_capture_on_commit_callbacks(execute=True):
        _receive(staff_user, low_item, store, "10")
        _sell(staff_user, low_item, store, "6")
    alert = Alert.objects.get()

    # when a manager acknowledges it
    alert = alert_acknowledge(actor=manager_user, alert=alert)

    # then it is acknowledged by that manager, and audited
    assert alert.status == Alert.Status.ACKNOWLEDGED
    assert alert.closed_by == manager_user
    acknowledged_at = alert.closed_at
    assert acknowledged_at is not None
    event = AuditEvent.objects.get(action="alert.acknowledge")
    assert (event.actor, event.object_type, event.object_id) == (
        manager_user,
        "Alert",
        str(alert.pk),
    )
    assert event.details == {"item": "SKU-LOW1", "store": "MAIN"}

    # when further sales happen, no new alert opens
    with django_capture_on_commit_callbacks(execute=True):
        _sell(staff_user, low_item, store, "1")
        _sell(staff_user, low_item, store, "1")
    assert Alert.objects.count() == 1

    # when stock recovers, the acknowledged alert resolves (keeping who acknowledged it)
    with django_capture_on_commit_callbacks(execute=True):
        _receive(staff_user, low_item, store, "20")
    alert.refresh_from_db()
    assert alert.status == Alert.Status.RESOLVED
    assert alert.closed_by == manager_user
    assert alert.closed_at == acknowledged_at

    # when it drops again, a new alert opens
    with django_capture_on_commit_callbacks(execute=True):
        _sell(staff_user, low_item, store, "19")
    assert Alert.objects.filter(status=Alert.Status.OPEN).count() == 1
    assert Alert.objects.count() == 2


def test_acknowledging_twice_is_refused_and_changes_nothing_the_second_time(
    staff_user, manager_user, low_item, store, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _receive(staff_user, low_item, store, "6")
        _sell(staff_user, low_item, store, "5")
    alert = alert_acknowledge(actor=manager_user, alert=Alert.objects.get())
    other_manager = UserFactory(role="Manager", username="manager2")

    with pytest.raises(InvalidTransition, match="is already acknowledged; nothing was changed"):
        alert_acknowledge(actor=other_manager, alert=alert)

    alert.refresh_from_db()
    assert (alert.status, alert.closed_by) == (Alert.Status.ACKNOWLEDGED, manager_user)
    assert AuditEvent.objects.filter(action="alert.acknowledge").count() == 1


def test_raising_the_reorder_level_opens_an_alert_and_clearing_it_resolves(
    manager_user, staff_user, store
):
    from inventory.services.catalog import item_update
    from inventory.tests.factories import ItemFactory

    # given an item with 5 available and no reorder level
    item = ItemFactory(sku="LEVEL-1", reorder_level=0)
    stock_receive(actor=staff_user, item=item, store=store, quantity=5)
    assert Alert.objects.count() == 0
    # when a manager sets the reorder level above what is available
    item = item_update(actor=manager_user, item=item, data={"reorder_level": Decimal("8")})
    # then one alert opens for that store
    alert = Alert.objects.get()
    assert (alert.status, alert.available_at_open, alert.reorder_level) == (
        Alert.Status.OPEN,
        Decimal("5.000"),
        Decimal("8.000"),
    )
    # and clearing the level resolves it
    item_update(actor=manager_user, item=item, data={"reorder_level": Decimal("0")})
    alert.refresh_from_db()
    assert alert.status == Alert.Status.RESOLVED


def test_a_qc_decision_opens_an_alert_only_when_it_lowers_available(
    manager_user, store, mailoutbox, django_capture_on_commit_callbacks
):
    # Found by an auditor QA pass: rejecting a lot still in quarantine (available 0
    # before and after) opened an alert and e-mailed it.
    from inventory.services.qc import lot_approve, lot_quarantine, lot_reject
    from inventory.tests.factories import ItemFactory

    qc = ItemFactory(sku="QC-TEST", reorder_level=Decimal("5"), qc_required=True)
    held = stock_receive(actor=manager_user, item=qc, store=store, quantity=3).entries[0].lot
    good = stock_receive(actor=manager_user, item=qc, store=store, quantity=4).entries[0].lot
    lot_approve(actor=manager_user, lot=good)
    assert not Alert.objects.exists()  # approved stock arriving is no drop either

    with django_capture_on_commit_callbacks(execute=True):
        lot_reject(actor=manager_user, lot=held, note="dented")  # was never available
    assert not Alert.objects.exists()
    assert mailoutbox == []

    with django_capture_on_commit_callbacks(execute=True):
        lot_quarantine(actor=manager_user, lot=good, note="recall")  # 4 -> 0 available
    alert = Alert.objects.get()
    assert (alert.status, alert.available_at_open) == (Alert.Status.OPEN, Decimal("0"))
    assert len(mailoutbox) == 1
