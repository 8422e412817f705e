"""Shared by the sales view tests: formset data, messages, a state snapshot, orders."""

from decimal import Decimal

from django.contrib.messages import get_messages

from inventory.models import LedgerEntry, SalesOrder, SalesOrderLine, StockBalance
from inventory.services.sales import sales_order_confirm, sales_order_create, sales_order_ship
from inventory.services.stock import stock_receive
from inventory.views.common import ALREADY_RECORDED

Status = SalesOrder.Status
D = Decimal


def lines_data(*rows, prefix="lines", initial=0):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "1",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for name, value in row.items():
            data[f"{prefix}-{i}-{name}"] = value
    return data


def replayed(what, preposition, order):
    """The message a replayed form gets, naming and linking the order it concerned."""
    return (
        f'{what} {ALREADY_RECORDED} {preposition} <a href="/sales/{order.pk}/" '
        f'class="alert-link">{order.number}</a>; nothing was changed the second time.'
    )


def msgs(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def state():
    return {
        "orders": list(SalesOrder.objects.order_by("pk").values_list("pk", "status")),
        "lines": list(
            SalesOrderLine.objects.order_by("pk").values_list(
                "quantity", "quantity_reserved", "quantity_shipped", "quantity_returned"
            )
        ),
        "ledger": LedgerEntry.objects.count(),
        "balances": sorted(StockBalance.objects.values_list("pk", "on_hand", "reserved")),
    }


def make_order(user, store, item, quantity="4", status=Status.DRAFT, stock="10"):
    if stock:
        stock_receive(actor=user, item=item, store=store, quantity=stock, unit_cost="2.00")
    order = sales_order_create(
        actor=user, store=store, customer=None, lines=[(item, quantity, None)]
    )
    if status != Status.DRAFT:
        sales_order_confirm(actor=user, order=order, idempotency_key=None)
    if status in (Status.PARTIALLY_SHIPPED, Status.SHIPPED):
        ship = "1" if status == Status.PARTIALLY_SHIPPED else quantity
        sales_order_ship(
            actor=user, order=order, shipments={order.lines.get(): ship}, idempotency_key=None
        )
    order.refresh_from_db()
    return order
