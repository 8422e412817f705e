"""Small helpers shared by the sales order service tests: stock, drafts and snapshots."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from inventory.models import LedgerEntry, Lot, StockBalance
from inventory.selectors.stock import stock_totals_for_item
from inventory.services.sales import sales_order_confirm, sales_order_create
from inventory.services.stock import stock_receive

D = Decimal


def receive(user, item, store, quantity, cost="2.50", expires_in=None, code=""):
    expires = timezone.localdate() + timedelta(days=expires_in) if expires_in else None
    result = stock_receive(
        actor=user,
        item=item,
        store=store,
        quantity=quantity,
        unit_cost=cost,
        expires_on=expires,
        lot_code=code,
    )
    return result.entries[0].lot


def figures(item, store):
    return stock_totals_for_item(item=item, store=store)


def snapshot(order):
    """Everything a refused operation must leave alone."""
    order.refresh_from_db()
    return {
        "status": order.status,
        "ledger": LedgerEntry.objects.count(),
        "balances": sorted(StockBalance.objects.values_list("pk", "on_hand", "reserved")),
        "lines": list(
            order.lines.order_by("pk").values_list(
                "quantity", "quantity_reserved", "quantity_shipped", "quantity_returned"
            )
        ),
        "lots": Lot.objects.count(),
    }


def draft(user, store, *lines, customer=None):
    return sales_order_create(actor=user, store=store, customer=customer, note="", lines=lines)


def confirmed(user, store, *lines):
    order = draft(user, store, *lines)
    sales_order_confirm(actor=user, order=order, idempotency_key=None)
    order.refresh_from_db()
    return order


def key(name):
    return f"test-{name}"
