"""Found by a QA pass: the adjustment form's lot picker said "0 pcs available" for an
expired, quarantined or rejected lot, when a manager writing it off needs what it holds.
Such a lot now shows its on-hand figure; a sellable lot keeps its available one."""

import datetime

import pytest
from django.urls import reverse

from inventory.models import Lot
from inventory.services.qc import lot_reject
from inventory.services.stock import stock_receive, stock_reserve

pytestmark = pytest.mark.django_db
LOTS = reverse("inventory:picker_lots")


def receive(user, item, store, quantity, code, **extra):
    stock_receive(actor=user, item=item, store=store, quantity=quantity, lot_code=code, **extra)
    return item.lots.get(code=code)


def details(response) -> dict:
    assert response.status_code == 200
    return {row["value"]: row["detail"] for row in response.json()["results"]}


def test_an_expired_lot_shows_what_it_holds_and_a_sellable_one_what_is_available(
    manager_client, manager_user, store, item
):
    # given a sellable lot of 10 with 3 reserved, and a lot of 40 that has since expired
    receive(manager_user, item, store, 10, "GOOD", expires_on=datetime.date(2090, 1, 1))
    stock_reserve(actor=manager_user, item=item, store=store, quantity=3)
    receive(manager_user, item, store, 40, "OLD", expires_on=datetime.date(2090, 6, 1))
    Lot.objects.filter(code="OLD").update(expires_on=datetime.date(2020, 1, 1))

    # when the adjustment form's lot picker asks for the item's lots in the store
    page = manager_client.get(reverse("inventory:adjustment_new")).content.decode()
    response = manager_client.get(LOTS, {"item": item.pk, "store": store.pk})

    # then the expired lot says its 40 on hand, the sellable one its 7 available
    assert f'data-picker="lot" data-picker-url="{LOTS}"' in page
    assert details(response) == {
        "OLD": "Approved · expired 2020-01-01 · 40 pcs on hand",
        "GOOD": "Approved · expires 2090-01-01 · 7 pcs available",
    }
    captions = [row["caption"] for row in response.json()["results"]]
    assert captions[0] == "Approved · expired 2020-01-01 · 40 pcs on hand"


def test_quarantined_and_rejected_lots_show_what_they_hold(
    manager_client, manager_user, store, qc_item
):
    # given two lots of a QC item: one waiting in quarantine, one rejected
    receive(manager_user, qc_item, store, 12, "WAIT")
    bad = receive(manager_user, qc_item, store, 5, "BAD")
    lot_reject(actor=manager_user, lot=bad, note="Damaged")

    # when
    response = manager_client.get(LOTS, {"item": qc_item.pk, "store": store.pk})

    # then each says what it holds, not "0 pcs available"
    assert details(response) == {
        "WAIT": "Quarantine · 12 pcs on hand",
        "BAD": "Rejected · 5 pcs on hand",
    }
    assert [row["available"] for row in response.json()["results"]] == ["0", "0"]
