"""A manager corrects a lot's expiry date keyed wrong on the receipt. Found by a QA pass:
a lot received as expiring 2025 instead of 2027 was out of sale with no way back but a
reversal of the receipt, impossible once part of it was sold."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from inventory.models import Alert, AuditEvent, Lot
from inventory.selectors.stock import stock_totals_for_item
from inventory.services.qc import lot_set_expiry
from inventory.services.stock import stock_issue, stock_receive
from inventory.tests.services.stock_helpers import snapshot

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def lot(manager_user, item, store):
    """An approved lot E-1 of 10, then 3 sold: 7 left, expiring in 30 days."""
    lot = (
        stock_receive(
            actor=manager_user, item=item, store=store, quantity="10", lot_code="E-1",
            expires_on=timezone.localdate() + datetime.timedelta(days=30),
        ).entries[0].lot
    )  # fmt: skip
    stock_issue(actor=manager_user, item=item, store=store, quantity="3")
    return lot


def _url(lot):
    return reverse("inventory:lot_expiry", args=[lot.pk])


def _available(item):
    return stock_totals_for_item(item=item)["available"]


def test_a_date_moved_into_the_past_takes_the_lot_out_of_sale_and_back(manager_client, lot, item):
    past = timezone.localdate() - datetime.timedelta(days=1)

    response = manager_client.post(_url(lot), {"expires_on": past.isoformat(), "note": "Typo"})

    assert response.status_code == 302
    assert response.url == reverse("inventory:lot_detail", args=[lot.pk])
    lot.refresh_from_db()
    assert lot.expires_on == past
    assert _available(item) == D(0)
    assert stock_totals_for_item(item=item)["on_hand"] == D(7)
    event = AuditEvent.objects.get(action="lot.expiry")
    assert event.details["to"] == past.isoformat() and event.details["note"] == "Typo"

    later = timezone.localdate() + datetime.timedelta(days=400)
    manager_client.post(_url(lot), {"expires_on": later.isoformat(), "note": "Certificate"})
    assert _available(item) == D(7)
    assert AuditEvent.objects.filter(action="lot.expiry").count() == 2


def test_an_empty_date_means_the_lot_never_expires(manager_client, lot, item):
    manager_client.post(_url(lot), {"expires_on": "", "note": "Not perishable"})

    lot.refresh_from_db()
    assert lot.expires_on is None
    assert _available(item) == D(7)


def test_the_same_date_sent_twice_is_recorded_once(manager_client, lot):
    later = (timezone.localdate() + datetime.timedelta(days=90)).isoformat()
    data = {"expires_on": later, "note": "Keyed wrong"}

    first = manager_client.post(_url(lot), data, follow=True)
    second = manager_client.post(_url(lot), data, follow=True)

    assert [str(m) for m in first.context["messages"]] == [
        f"Lot E-1 of SKU-0042 now expires on {later}."
    ]
    assert AuditEvent.objects.filter(action="lot.expiry").count() == 1
    assert [str(m) for m in second.context["messages"]] == [
        f"Lot E-1 already expires on {later}: nothing changed."
    ]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"expires_on": "2030-01-01", "note": ""}, "note", "Say why the expiry date changes."),
        ({"expires_on": "2030-01-01", "note": "  "}, "note", "Say why the expiry date changes."),
        (
            {"expires_on": "soon", "note": "x"},
            "expires_on",
            "Enter a valid date as YYYY-MM-DD, e.g. 2026-12-31.",
        ),
        (
            {"expires_on": "99999-01-01", "note": "x"},
            "expires_on",
            "Enter a valid date as YYYY-MM-DD, e.g. 2026-12-31.",
        ),
        ({"expires_on": "2030-01-01\x00", "note": "x"}, "expires_on", None),
        ({"expires_on": "2030-01-01", "note": "x" * 1001}, "note", None),
    ],
)
def test_bad_input_is_refused_next_to_its_field_and_changes_nothing(
    manager_client, lot, data, field, message
):
    before, expires_on = snapshot(), lot.expires_on

    response = manager_client.post(_url(lot), data)

    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert errors and (message is None or errors == [message])
    lot.refresh_from_db()
    assert lot.expires_on == expires_on
    assert snapshot() == before


def test_only_managers_correct_a_date(staff_client, manager_client, lot, item):
    data = {"expires_on": "2030-01-01", "note": "x"}
    assert staff_client.get(_url(lot)).status_code == 403
    assert staff_client.post(_url(lot), data).status_code == 403
    assert Lot.objects.get(pk=lot.pk).expires_on == lot.expires_on
    assert manager_client.get(reverse("inventory:lot_expiry", args=[10**9])).status_code == 404

    page = reverse("inventory:item_detail", args=[item.pk])
    assert _url(lot) in manager_client.get(page).content.decode()
    assert _url(lot) not in staff_client.get(page).content.decode()


def test_expiring_a_stocked_lot_opens_a_low_stock_alert(manager_user, lot, item, store):
    item.reorder_level = D(5)
    item.save(update_fields=["reorder_level"])
    past = timezone.localdate() - datetime.timedelta(days=1)

    lot_set_expiry(actor=manager_user, lot=lot, expires_on=past, note="Found expired")

    assert Alert.objects.filter(item=item, store=store, status=Alert.Status.OPEN).count() == 1
