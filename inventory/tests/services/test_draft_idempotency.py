"""Draft orders take an idempotency key: the same key saves one draft, and says so.

sales_order_create and purchase_order_create claim the key like every stock service;
a repeated key writes nothing and returns the first order with `replayed` set.
"""

import pytest

from inventory.exceptions import InventoryError
from inventory.models import AuditEvent, Operation, PurchaseOrder, SalesOrder
from inventory.services.purchasing import purchase_order_create
from inventory.services.sales import sales_order_create, sales_quick_sale
from inventory.services.stock import stock_receive


def sales_draft(user, store, item, **kwargs):
    return sales_order_create(
        actor=user, store=store, customer=None, lines=[(item, 3, None)], **kwargs
    )


def purchase_draft(user, store, item, **kwargs):
    return purchase_order_create(
        actor=user, supplier=item.supplier, store=store, lines=[(item, 3, None)], **kwargs
    )


CREATES = [
    (sales_draft, SalesOrder, "SO_CREATE", "sales_order.create"),
    (purchase_draft, PurchaseOrder, "PO_CREATE", "purchase_order.create"),
]
IDS = ["sales", "purchase"]


def written(model):
    return (
        model.objects.count(),
        Operation.objects.count(),
        AuditEvent.objects.filter(action__endswith="order.create").count(),
    )


@pytest.mark.parametrize("create, model, kind, action", CREATES, ids=IDS)
def test_a_repeated_key_returns_the_first_draft_and_writes_nothing(
    manager_user, store, item, create, model, kind, action
):
    # given a draft saved with a key
    first = create(manager_user, store, item, idempotency_key="draft-1")
    assert getattr(first, "replayed", False) is False
    after_first = written(model)
    assert after_first == (1, 1, 1)
    assert Operation.objects.get().kind == kind
    event = AuditEvent.objects.get(action=action)
    assert event.details["operation"] == Operation.objects.get().pk

    # when the same key comes again (Back and submit, a double click)
    again = create(manager_user, store, item, idempotency_key="draft-1")

    # then the first draft comes back, marked replayed, and nothing more is written
    assert again.pk == first.pk and again.replayed is True
    assert written(model) == after_first
    assert again.lines.count() == 1


@pytest.mark.parametrize("create, model, kind, action", CREATES, ids=IDS)
def test_without_a_key_each_call_saves_a_draft_and_claims_nothing(
    manager_user, store, item, create, model, kind, action
):
    create(manager_user, store, item)
    create(manager_user, store, item, idempotency_key=None)

    assert written(model) == (2, 0, 2)
    assert "operation" not in AuditEvent.objects.filter(action=action).first().details


@pytest.mark.parametrize("create, model, kind, action", CREATES, ids=IDS)
def test_a_key_already_used_by_another_kind_of_form_is_refused(
    manager_user, store, item, create, model, kind, action
):
    # given a key used by a quick sale
    stock_receive(actor=manager_user, item=item, store=store, quantity="5")
    sales_quick_sale(
        actor=manager_user,
        store=store,
        customer=None,
        lines=[(item, 1, None)],
        idempotency_key="shared-key",
    )
    before = written(model)

    # when a draft is saved with it, then it is refused and nothing is written
    with pytest.raises(InventoryError, match="already used for another operation"):
        create(manager_user, store, item, idempotency_key="shared-key")
    assert written(model) == before
