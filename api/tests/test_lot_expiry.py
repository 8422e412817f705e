"""POST /lots/<id>/expiry/: a Manager corrects a lot's expiry date, as on the web."""

import datetime

import pytest
from django.utils import timezone

from inventory.models import AuditEvent, Lot
from inventory.selectors.stock import stock_totals_for_item
from inventory.services.stock import stock_receive

pytestmark = pytest.mark.django_db
V1 = "/api/v1"


@pytest.fixture
def lot(manager_user, store, item):
    stock_receive(
        actor=manager_user, item=item, store=store, quantity=6, lot_code="X1",
        expires_on=timezone.localdate() + datetime.timedelta(days=10),
    )  # fmt: skip
    return Lot.objects.get(code="X1")


def expiry(api, lot, body):
    return api.post(f"{V1}/lots/{lot.pk}/expiry/", body)


def test_a_manager_moves_the_date_and_available_stock_follows(manager_api, lot, item):
    past = timezone.localdate() - datetime.timedelta(days=2)

    response = expiry(manager_api, lot, {"expires_on": past.isoformat(), "note": "Typo"})

    assert response.status_code == 200, response.content
    assert response.json()["expires_on"] == past.isoformat()
    assert stock_totals_for_item(item=item)["available"] == 0
    assert AuditEvent.objects.get(action="lot.expiry").details["from"] is not None

    response = expiry(manager_api, lot, {"expires_on": None, "note": "Not perishable"})
    assert response.status_code == 200 and response.json()["expires_on"] is None
    assert stock_totals_for_item(item=item)["available"] == 6
    # The same date again: nothing more recorded.
    assert expiry(manager_api, lot, {"expires_on": None, "note": "Again"}).status_code == 200
    assert AuditEvent.objects.filter(action="lot.expiry").count() == 2


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"expires_on": "2030-01-01"}, "note"),
        ({"expires_on": "2030-01-01", "note": "  "}, "note"),
        ({"expires_on": "soon", "note": "x"}, "expires_on"),
        ({"note": "x"}, "expires_on"),
        # Dates as the web takes them only (found by a QA pass: these were recorded).
        ({"expires_on": "20300101", "note": "x"}, "expires_on"),
        ({"expires_on": "2030-W01-1", "note": "x"}, "expires_on"),
        ({"expires_on": "0001-01-01", "note": "x"}, "expires_on"),
        ({"expires_on": "9999-12-31", "note": "x"}, "expires_on"),
        ({"expires_on": "2030-01-01", "note": "x" * 1001}, "note"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(manager_api, lot, body, field):
    before = lot.expires_on

    response = expiry(manager_api, lot, body)

    assert response.status_code == 400
    assert field in response.json()["errors"]
    lot.refresh_from_db()
    assert lot.expires_on == before
    assert not AuditEvent.objects.filter(action="lot.expiry").exists()


def test_staff_may_not_correct_a_date(staff_api, lot):
    response = expiry(staff_api, lot, {"expires_on": "2030-01-01", "note": "x"})

    assert response.status_code == 403
    lot.refresh_from_db()
    assert lot.expires_on != datetime.date(2030, 1, 1)
