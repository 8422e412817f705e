"""Closing a store while a draft opens in it: never a closed store with an open draft.

Real threads, each on its own connection. A pause inside one call puts the other in
its window: on PostgreSQL the store's row lock decides, on SQLite the IMMEDIATE
transactions do.
"""

import time
from unittest import mock

import pytest

from inventory.exceptions import InventoryError
from inventory.models import PurchaseOrder, SalesOrder, Store
from inventory.services import purchasing, sales
from inventory.services.catalog import store_deactivate
from inventory.services.purchasing import purchase_order_create
from inventory.services.sales import sales_order_create
from inventory.tests.concurrency import run_together
from inventory.tests.factories import ItemFactory, StoreFactory, SupplierFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _paused(module, name, seconds=0.4):
    """Patch module.name to pause after it returns."""
    real = getattr(module, name)

    def slow(*args, **kwargs):
        result = real(*args, **kwargs)
        time.sleep(seconds)
        return result

    return mock.patch.object(module, name, slow)


def _later(call, seconds=0.15):
    def run():
        time.sleep(seconds)
        return call()

    return run


def _drafts(store):
    return (
        PurchaseOrder.objects.filter(store=store).count()
        + SalesOrder.objects.filter(store=store).count()
    )


CREATES = {
    "sales": (
        sales,
        "clean_lines",
        lambda user, store, item: sales_order_create(
            actor=user, store=store, customer=None, lines=[(item, 1)], idempotency_key="d"
        ),
    ),
    "purchase": (
        purchasing,
        "_clean_lines",
        lambda user, store, item: purchase_order_create(
            actor=user,
            supplier=SupplierFactory(),
            store=store,
            lines=[(item, "1", "1.00")],
            idempotency_key="d",
        ),
    ),
}


@pytest.mark.parametrize("kind", CREATES)
def test_a_draft_checked_before_the_store_closed_is_refused(kind):
    # given a draft that checked its store, then paused before its transaction
    module, checked_before, create = CREATES[kind]
    manager, store, item = UserFactory(role="Admin"), StoreFactory(code="CLOSE"), ItemFactory()

    # when the store is closed in that pause
    with _paused(module, checked_before):
        drafted, closed = run_together(
            [
                lambda: create(manager, store, item),
                _later(lambda: store_deactivate(actor=manager, store=store)),
            ]
        )

    # then the close went through and the draft was refused, naming the store
    assert not isinstance(closed, Exception), closed
    assert isinstance(drafted, InventoryError) and "is deactivated" in str(drafted), drafted
    assert (Store.objects.get(pk=store.pk).is_active, _drafts(store)) == (False, 0)


@pytest.mark.parametrize("kind", CREATES)
def test_a_store_closed_while_a_draft_is_saved_sees_the_draft(kind):
    # given a draft paused inside its transaction, after its rows are written
    _, _, create = CREATES[kind]
    manager, store, item = UserFactory(role="Admin"), StoreFactory(code="CLOSE"), ItemFactory()
    module = sales if kind == "sales" else purchasing

    # when the store is closed meanwhile
    with _paused(module, "audit_record"):
        drafted, closed = run_together(
            [
                lambda: create(manager, store, item),
                _later(lambda: store_deactivate(actor=manager, store=store)),
            ]
        )

    # then the draft was saved and the close refused, naming it
    assert not isinstance(drafted, Exception), drafted
    assert isinstance(closed, InventoryError) and drafted.number in str(closed), closed
    assert (Store.objects.get(pk=store.pk).is_active, _drafts(store)) == (True, 1)
