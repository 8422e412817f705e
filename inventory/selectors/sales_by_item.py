"""Sales by item: what each item sold in a range of days, with its cost and margin.

The dashboard's figures item by item, read the same way: the period's ISSUE and RETURN
rows of sales order lines only (through the created_at index, so the report costs the
same with a month of history or ten years of it), each at its share of its line's value
and at its own unit cost. The rows of a period add up to the dashboard's sold, cost of
goods and gross margin for that period and store.
"""

from django.db.models import F, Q

from inventory.models import LedgerEntry

from .dashboard import (
    MONEY,
    RETURNED,
    SOLD,
    Period,
    at_cost,
    at_price,
    dashboard_movements,
    sum_or_zero,
)
from .money import QUANTITY

# The orders a page of the report can take: value sold, then margin, largest first.
ORDERS = {"value": "-value", "margin": "-margin"}


def sales_by_item(*, period: Period, store=None, order: str = "value"):
    """Per item sold or returned in the period (and store): quantity shipped, returned
    and net, in its unit; value sold net of returns, cost of goods and gross margin.
    A queryset of one aggregate query, largest `order` first, then by SKU."""
    # A RETURN row's price share is negative (it brings stock back), so one sum nets it.
    cost = sum_or_zero(at_cost(), SOLD, MONEY) - sum_or_zero(at_cost(), RETURNED, MONEY)
    return (
        dashboard_movements(period=period, store=store)
        .filter(SOLD | RETURNED)
        .values("item_id", "item__sku", "item__name", "item__unit")
        .annotate(
            shipped=sum_or_zero(-F("on_hand_delta"), Q(kind=LedgerEntry.Kind.ISSUE), QUANTITY),
            returned=sum_or_zero(F("on_hand_delta"), Q(kind=LedgerEntry.Kind.RETURN), QUANTITY),
            value=sum_or_zero(at_price(), None, MONEY),
            cost=cost,
        )
        .annotate(net=F("shipped") - F("returned"), margin=F("value") - F("cost"))
        .order_by(ORDERS.get(order, ORDERS["value"]), "item__sku")
    )
