"""Low-stock alerts: one per crossing, closed by recovery or acknowledgement, emailed on commit."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from accounts.tests.factories import UserFactory
from inventory.models import Alert, AuditEvent
from inventory.services.alerts import alert_acknowledge
from inventory.services.stock import stock_issue, stock_receive
from inventory.tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def low_item(db):
    return ItemFactory(sku="SKU-LOW1", name="Red bolt", reorder_level=Decimal("5"), unit="kg")


def _receive(user, item, store, qty):
    return stock_receive(actor=user, item=item, store=store, quantity=Decimal(qty))


def _sell(user, item, store, qty):
    return stock_issue(actor=user, item=item, store=store, quantity=Decimal(qty))


def _run_worker(monkeypatch):
    """Run `manage.py db_worker --batch` inside the test transaction.

    The worker closes stale connections between tasks, which would close the test's.
    """
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    call_command("db_worker", batch=True, no_startup_delay=True, reload=False, verbosity=0)


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
        _receive(staff_user, low_item, store, "4")
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
        _receive(staff_user, low_item, other_store, "2")

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


def test_acknowledging_twice_changes_nothing_the_second_time(
    staff_user, manager_user, low_item, store, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _receive(staff_user, low_item, store, "1")
    alert = alert_acknowledge(actor=manager_user, alert=Alert.objects.get())
    other_manager = UserFactory(role="Manager", username="manager2")

    again = alert_acknowledge(actor=other_manager, alert=alert)

    assert again.closed_by == manager_user
    assert AuditEvent.objects.filter(action="alert.acknowledge").count() == 1


def test_alert_email_goes_to_every_active_manager_after_commit(
    staff_user, manager_user, admin_role_user, low_item, store, mailoutbox,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    # given a second active manager, an inactive one and a manager without an address
    UserFactory(role="Manager", username="manager2", email="m2@example.com")
    UserFactory(role="Manager", username="gone", email="gone@example.com", is_active=False)
    UserFactory(role="Manager", username="noaddress", email="")
    with django_capture_on_commit_callbacks(execute=True):
        _receive(staff_user, low_item, store, "10")

    # when a sale takes the item below its reorder level
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _sell(staff_user, low_item, store, "8")
        # then nothing is sent before the transaction commits
        assert mailoutbox == []

    # then one email goes to the active managers only, once
    assert len(callbacks) == 1
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert sorted(mail.to) == ["m2@example.com", "manager1@example.com"]
    assert mail.subject == "[Inventory] Low stock: SKU-LOW1 at Main Store"
    assert "Available: 2 kg" in mail.body
    assert "Reorder level: 5 kg" in mail.body

    # when two more sales follow, no further email is sent
    with django_capture_on_commit_callbacks(execute=True):
        _sell(staff_user, low_item, store, "1")
        _sell(staff_user, low_item, store, "1")
    assert len(mailoutbox) == 1


def test_no_email_when_the_posting_rolls_back(
    staff_user, manager_user, low_item, store, mailoutbox, django_capture_on_commit_callbacks
):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True):
        _receive(staff_user, low_item, store, "10")

    class Boom(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Boom),
        transaction.atomic(),
    ):
        _sell(staff_user, low_item, store, "8")
        raise Boom

    assert callbacks == []
    assert mailoutbox == []
    assert Alert.objects.count() == 0


def test_with_the_database_backend_the_email_is_queued_for_the_worker(
    settings, monkeypatch, staff_user, manager_user, low_item, store, mailoutbox,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    # given TASKS_BACKEND=database
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        _receive(staff_user, low_item, store, "10")

    # when a sale opens an alert
    with django_capture_on_commit_callbacks(execute=True):
        _sell(staff_user, low_item, store, "8")

    # then a task is queued and nothing is sent yet
    alert = Alert.objects.get()
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "inventory.tasks.send_low_stock_alert"
    assert queued.args_kwargs == {"args": [alert.pk], "kwargs": {}}
    assert queued.status == "READY"
    assert mailoutbox == []

    # when the worker runs, the email is sent
    _run_worker(monkeypatch)
    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"
    assert [m.to for m in mailoutbox] == [["manager1@example.com"]]


def test_queued_email_is_skipped_when_stock_recovered_before_the_worker_ran(
    settings, monkeypatch, staff_user, manager_user, low_item, store, mailoutbox,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        _receive(staff_user, low_item, store, "10")
        _sell(staff_user, low_item, store, "8")
        _receive(staff_user, low_item, store, "10")

    _run_worker(monkeypatch)

    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert mailoutbox == []


def test_low_stock_report_emails_a_digest_of_every_line_below_its_reorder_level(
    staff_user, manager_user, low_item, store, other_store, mailoutbox, capsys,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    # given two low lines (one item in two stores), one fine line, and a level-0 item
    fine = ItemFactory(sku="SKU-OK01", name="Green nut", reorder_level=Decimal("2"))
    unlimited = ItemFactory(sku="SKU-ZERO", name="Free item", reorder_level=Decimal("0"))
    with django_capture_on_commit_callbacks(execute=True):
        _receive(staff_user, low_item, store, "3")
        _receive(staff_user, low_item, other_store, "1.5")
        _receive(staff_user, fine, store, "2")
        _receive(staff_user, unlimited, store, "1")
    mailoutbox.clear()

    # when the report runs
    call_command("low_stock_report")

    # then it prints the count and emails the managers one digest
    assert capsys.readouterr().out == (
        "low_stock_report: 2 lines below reorder level; emailed 1 manager(s).\n"
    )
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["manager1@example.com"]
    assert mail.subject == "[Inventory] Low-stock digest: 2 lines"
    assert mail.body == (
        "2 item/store line(s) are below their reorder level:\n"
        "\n"
        "- SKU-LOW1 Red bolt at Main Store: available 3 kg, reorder level 5 kg, short 2 kg\n"
        "- SKU-LOW1 Red bolt at Warehouse: available 1.5 kg, reorder level 5 kg, "
        "short 3.5 kg\n"
    )


def test_low_stock_report_sends_nothing_when_nothing_is_low(
    manager_user, low_item, store, mailoutbox, capsys
):
    call_command("low_stock_report")

    assert capsys.readouterr().out == (
        "low_stock_report: 0 lines below reorder level; no email sent.\n"
    )
    assert mailoutbox == []


def test_low_stock_report_for_one_store_and_unknown_store(
    staff_user, manager_user, low_item, store, other_store, mailoutbox, capsys,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    from django.core.management.base import CommandError

    with django_capture_on_commit_callbacks(execute=True):
        _receive(staff_user, low_item, store, "3")
        _receive(staff_user, low_item, other_store, "1")
    mailoutbox.clear()

    call_command("low_stock_report", "--store", "wh")

    assert "1 lines below reorder level" in capsys.readouterr().out
    assert "at Warehouse" in mailoutbox[0].body
    assert "at Main Store" not in mailoutbox[0].body
    with pytest.raises(CommandError, match="No store with code 'NOPE'"):
        call_command("low_stock_report", "--store", "NOPE")


# --- /alerts/ and the navigation badge ---------------------------------------------------


def _open_alert(user, sku, store, *, level="5", stock="2"):
    item = ItemFactory(sku=sku, name=f"Item {sku}", reorder_level=Decimal(level))
    _receive(user, item, store, stock)
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
