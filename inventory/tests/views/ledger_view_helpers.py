"""Shared by the movement (ledger) view tests: URLs, the CSV header, receipts and a history."""

import contextlib
from datetime import UTC, datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from inventory.models import LedgerEntry, Lot
from inventory.services.stock import stock_adjust, stock_receive
from inventory.tests.factories import ItemFactory

D = Decimal
LIST = reverse("inventory:ledger_list")
EXPORT = reverse("inventory:ledger_export")
HEADER = (
    "id,created_at,kind,sku,item,store,lot,quantity,on_hand_delta,reserved_delta,"
    "unit_cost,reason,note,user,reverses,operation,order,unit_price"
)


@contextlib.contextmanager
def moved_at(when):
    with mock.patch("django.utils.timezone.now", return_value=when):
        yield


def receive(user, item, store, quantity, code, **kwargs):
    stock_receive(actor=user, item=item, store=store, quantity=quantity, lot_code=code, **kwargs)
    return Lot.objects.get(item=item, code=code)


def texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def listed(response):
    return [e.pk for e in response.context["page"]]


@pytest.fixture(name="history")
def history_fixture(manager_user, staff_user, store, other_store, item):
    """Four movements by two people in two stores over two days."""
    widget = ItemFactory(sku="W-1", name="Widget")
    with moved_at(datetime(2026, 3, 1, 9, 30, tzinfo=UTC)):
        lot_a = receive(manager_user, item, store, 10, "A", unit_cost="2.50")
    with moved_at(datetime(2026, 3, 2, 14, 0, tzinfo=UTC)):
        lot_b = receive(staff_user, widget, other_store, 5, "B", unit_cost="1.00")
        stock_adjust(
            actor=manager_user,
            lot=lot_a,
            store=store,
            quantity=-2,
            reason="DAMAGE",
            note="=cmd|' /C calc'!A0",
        )
    entries = list(LedgerEntry.objects.order_by("pk"))
    return {"lot_a": lot_a, "lot_b": lot_b, "widget": widget, "entries": entries}
