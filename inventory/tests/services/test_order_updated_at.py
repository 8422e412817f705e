"""An order's updated_at moves with every change to it, so an API client that syncs by
it sees each one. The status changes write with update(), which skips auto_now: found
by a QA pass (a shipped order still showed the time it was created)."""

import pytest

from inventory.models import PurchaseOrder, SalesOrder
from inventory.services.purchasing import (
    purchase_order_create,
    purchase_order_place,
    purchase_order_receive,
)
from inventory.services.sales import (
    sales_order_confirm,
    sales_order_create,
    sales_order_return,
    sales_order_ship,
    sales_order_update,
)
from inventory.services.stock import stock_receive

pytestmark = pytest.mark.django_db


def _stamp(model, order):
    return model.objects.values_list("updated_at", flat=True).get(pk=order.pk)


def test_each_change_to_a_sales_order_moves_its_updated_at(staff_user, store, item):
    stock_receive(actor=staff_user, item=item, store=store, quantity="10")
    order = sales_order_create(
        actor=staff_user, store=store, customer=None, lines=[(item, "4", "1.00")]
    )
    stamps = [_stamp(SalesOrder, order)]

    sales_order_update(
        actor=staff_user, order=order, store=store, customer=None, lines=[(item, "5", "1.00")]
    )
    stamps.append(_stamp(SalesOrder, order))
    sales_order_confirm(actor=staff_user, order=order, idempotency_key="c")
    stamps.append(_stamp(SalesOrder, order))
    line = order.lines.get()
    sales_order_ship(actor=staff_user, order=order, shipments={line.pk: "5"}, idempotency_key="s")
    stamps.append(_stamp(SalesOrder, order))
    sales_order_return(actor=staff_user, line=line, quantity="1", idempotency_key="r")
    stamps.append(_stamp(SalesOrder, order))

    assert stamps == sorted(set(stamps))  # five different times, in order


def test_each_change_to_a_purchase_order_moves_its_updated_at(manager_user, supplier, store, item):
    order = purchase_order_create(
        actor=manager_user, supplier=supplier, store=store, lines=[(item, "10", "2.00")]
    )
    stamps = [_stamp(PurchaseOrder, order)]

    purchase_order_place(actor=manager_user, order=order)
    stamps.append(_stamp(PurchaseOrder, order))
    purchase_order_receive(
        actor=manager_user,
        order=order,
        receipts=[{"line": order.lines.get(), "quantity": "4"}],
        idempotency_key="r",
    )
    stamps.append(_stamp(PurchaseOrder, order))

    assert stamps == sorted(set(stamps))
