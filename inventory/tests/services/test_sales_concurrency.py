"""Two orders competing for the same last units, confirmed at the same moment.

Runs on SQLite (IMMEDIATE transactions queue the writers) and on PostgreSQL (the
balance rows are locked with SELECT ... FOR UPDATE): exactly one order wins.
"""

from decimal import Decimal

import pytest

from inventory.exceptions import ShortLines
from inventory.models import LedgerEntry, SalesOrder
from inventory.quantities import fmt_qty
from inventory.selectors.stock import stock_totals_for_item
from inventory.services.sales import sales_order_confirm, sales_order_create
from inventory.services.stock import stock_receive
from inventory.tests.concurrency import run_together

Status = SalesOrder.Status


@pytest.mark.django_db(transaction=True)
def test_two_orders_for_the_last_units_exactly_one_is_confirmed(staff_user, store, item):
    # given 5 in stock and two drafts of 4 each
    stock_receive(actor=staff_user, item=item, store=store, quantity="5")
    orders = [
        sales_order_create(actor=staff_user, store=store, customer=None, lines=[(item, "4", None)])
        for _ in range(2)
    ]

    def confirm(order):
        try:
            sales_order_confirm(actor=staff_user, order=order, idempotency_key=f"race-{order.pk}")
        except ShortLines as exc:
            return fmt_qty(exc.shortages[0].available)
        return "confirmed"

    # when both are confirmed at the same moment
    results = run_together([lambda order=order: confirm(order) for order in orders], timeout=60)
    outcomes = {order.pk: result for order, result in zip(orders, results, strict=True)}

    # then one is confirmed and the other is told that only 1 is left
    assert sorted(outcomes.values()) == ["1", "confirmed"], outcomes
    statuses = sorted(SalesOrder.objects.values_list("status", flat=True))
    assert statuses == [Status.CONFIRMED, Status.DRAFT]
    assert LedgerEntry.objects.filter(kind="RESERVE").count() == 1
    totals = stock_totals_for_item(item=item, store=store)
    assert (totals["reserved"], totals["available"]) == (Decimal("4.000"), Decimal("1.000"))
