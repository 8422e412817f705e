"""One submission, one movement: the same form posted twice at once, or replayed later.

Each stock-changing form carries a one-time idempotency key. Two identical posts
racing each other record one operation; a post replayed later records nothing and
its response tells the user it was already recorded. Covered: quick sale, sales
order confirm, ship and return, purchase receipt, direct purchase, transfer,
adjustment and reversal.
"""

from decimal import Decimal

import pytest
from django.contrib.messages import constants as levels
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import UserFactory
from inventory.models import LedgerEntry, Operation, StockBalance
from inventory.services.purchasing import purchase_order_create, purchase_order_place
from inventory.services.sales import sales_order_confirm, sales_order_create, sales_quick_sale
from inventory.services.stock import stock_receive
from inventory.tests.concurrency import run_together
from inventory.tests.factories import ItemFactory, StoreFactory
from inventory.tests.views.transfer_view_helpers import one_line
from inventory.views.common import ALREADY_RECORDED

KEY = "replay-0123456789abcdef"


class Setup:
    def __init__(self):
        self.manager = UserFactory(role="Manager", username="replay-manager")
        self.staff = UserFactory(role="Staff", username="replay-staff")
        self.store = StoreFactory(code="MAIN", name="Main Store")
        self.other_store = StoreFactory(code="WH", name="Warehouse")
        self.item = ItemFactory(sku="SKU-0042", reorder_level=Decimal(0))
        stock_receive(
            actor=self.manager, item=self.item, store=self.store, quantity=20, lot_code="L1"
        )
        self.lot = self.item.lots.get(code="L1")
        self.receipt = LedgerEntry.objects.get(kind="RECEIVE")


def quick_sale(s: Setup):
    return (
        s.staff,
        reverse("inventory:sales_quick"),
        {
            "idempotency_key": KEY,
            "store": s.store.pk,
            "customer": "",
            "note": "",
            "lines-TOTAL_FORMS": 1,
            "lines-INITIAL_FORMS": 0,
            "lines-MIN_NUM_FORMS": 1,
            "lines-MAX_NUM_FORMS": 1000,
            "lines-0-item": s.item.pk,
            "lines-0-quantity": "2",
            "lines-0-unit_price": "",
        },
    )


def _draft(s: Setup):
    return sales_order_create(
        actor=s.manager, store=s.store, customer=None, lines=[(s.item, 3, None)]
    )


def sales_confirm(s: Setup):
    order = _draft(s)
    return s.staff, reverse("inventory:sales_confirm", args=[order.pk]), {"idempotency_key": KEY}


def sales_ship(s: Setup):
    order = _draft(s)
    sales_order_confirm(actor=s.manager, order=order, idempotency_key="setup-confirm")
    line = order.lines.get()
    return (
        s.staff,
        reverse("inventory:sales_ship", args=[order.pk]),
        {
            "idempotency_key": KEY,
            f"line_{line.pk}": "2",
        },
    )


def sales_return(s: Setup):
    order = sales_quick_sale(
        actor=s.manager,
        store=s.store,
        customer=None,
        lines=[(s.item, 3, None)],
        idempotency_key="setup-sale",
    ).order
    line = order.lines.get()
    url = reverse("inventory:sales_return", args=[order.pk, line.pk])
    return s.staff, url, {"idempotency_key": KEY, "quantity": "1", "note": "damaged box"}


def purchase_receive(s: Setup):
    order = purchase_order_create(
        actor=s.manager, supplier=s.item.supplier, store=s.store, lines=[(s.item, 10, None)]
    )
    purchase_order_place(actor=s.manager, order=order)
    line = order.lines.get()
    return (
        s.staff,
        reverse("inventory:purchase_receive", args=[order.pk]),
        {
            "idempotency_key": KEY,
            "receipts-TOTAL_FORMS": 1,
            "receipts-INITIAL_FORMS": 1,
            "receipts-MIN_NUM_FORMS": 0,
            "receipts-MAX_NUM_FORMS": 500,
            "receipts-0-line": line.pk,
            "receipts-0-quantity": "4",
            "receipts-0-lot_code": "",
            "receipts-0-expires_on": "",
        },
    )


def purchase_direct(s: Setup):
    return (
        s.staff,
        reverse("inventory:purchase_new"),
        {
            "idempotency_key": KEY,
            "supplier": s.item.supplier.pk,
            "store": s.store.pk,
            "note": "",
            "lines-TOTAL_FORMS": 1,
            "lines-INITIAL_FORMS": 0,
            "lines-MIN_NUM_FORMS": 0,
            "lines-MAX_NUM_FORMS": 100,
            "lines-0-item": s.item.pk,
            "lines-0-quantity": "5",
            "lines-0-unit_cost": "",
            "lines-0-lot_code": "",
            "lines-0-expires_on": "",
        },
    )


def transfer(s: Setup):
    return (
        s.manager,
        reverse("inventory:transfer_new"),
        one_line(s.item, s.store, s.other_store, "3", idempotency_key=KEY),
    )


def adjustment(s: Setup):
    return (
        s.manager,
        reverse("inventory:adjustment_new"),
        {
            "idempotency_key": KEY,
            "item": s.item.pk,
            "lot": s.lot.pk,
            "store": s.store.pk,
            "quantity": "-2",
            "reason": "DAMAGE",
            "note": "dropped",
        },
    )


def reversal(s: Setup):
    url = reverse("inventory:ledger_reverse", args=[s.receipt.pk])
    # The reversal takes the whole receipt back out, so leave nothing else in the way.
    return s.manager, url, {"idempotency_key": KEY, "note": "entered twice"}


FORMS = [
    quick_sale,
    sales_confirm,
    sales_ship,
    sales_return,
    purchase_receive,
    purchase_direct,
    transfer,
    adjustment,
    reversal,
]


def messages_of(response) -> list:
    storage = getattr(response.wsgi_request, "_messages", None)
    return list(getattr(storage, "_queued_messages", []))


def said_success(response) -> bool:
    return response.status_code == 302 and any(
        m.level == levels.SUCCESS for m in messages_of(response)
    )


def said_already_recorded(response) -> bool:
    return response.status_code == 302 and any(
        ALREADY_RECORDED in m.message for m in messages_of(response)
    )


def figures():
    return (
        LedgerEntry.objects.count(),
        list(StockBalance.objects.order_by("pk").values_list("pk", "on_hand", "reserved")),
    )


def post_as(user, url, data) -> object:
    client = Client()
    client.force_login(user)
    return client.post(url, data)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.__name__)
def test_the_same_form_posted_twice_at_once_records_one_movement(form):
    # given a form ready to post, and two browsers posting it at the same moment
    setup = Setup()
    user, url, data = form(setup)
    rows_before = LedgerEntry.objects.count()

    # when both submit
    outcomes = run_together([lambda: post_as(user, url, data)] * 2)
    errors = [repr(o) for o in outcomes if isinstance(o, Exception)]
    responses = [o for o in outcomes if not isinstance(o, Exception)]

    # then one operation and one set of movements; one response says done, the other
    # that it was already recorded
    assert errors == []
    assert sorted(r.status_code for r in responses) == [302, 302]
    operation = Operation.objects.get(idempotency_key=KEY)
    written = operation.entries.count()
    assert written > 0
    assert LedgerEntry.objects.count() == rows_before + written
    assert sum(said_success(r) for r in responses) == 1
    assert sum(said_already_recorded(r) for r in responses) == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.__name__)
def test_the_same_form_replayed_later_records_nothing_and_says_so(form):
    # given a form that was posted and recorded
    setup = Setup()
    user, url, data = form(setup)
    first = post_as(user, url, data)
    assert said_success(first), first
    after_first = figures()

    # when the same post is replayed (back button, resubmit)
    again = post_as(user, url, data)

    # then nothing more is written and the user is told it was already recorded
    assert figures() == after_first
    assert Operation.objects.filter(idempotency_key=KEY).count() == 1
    assert said_already_recorded(again)
    assert not said_success(again)
