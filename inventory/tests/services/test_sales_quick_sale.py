"""Sales order services: quick sales, recorded and issued at once."""

import pytest

from inventory.exceptions import ShortLines
from inventory.models import AuditEvent, LedgerEntry, SalesOrder
from inventory.selectors.sales import sales_order_figures
from inventory.services.sales import sales_quick_sale
from inventory.tests.factories import ItemFactory

from .sales_helpers import D, figures, key, receive

pytestmark = pytest.mark.django_db
Status = SalesOrder.Status


# --- quick sale -------------------------------------------------------------------------


def test_quick_sale_records_and_issues_at_once(staff_user, store, item):
    receive(staff_user, item, store, "10", cost="2.00")

    result = sales_quick_sale(
        actor=staff_user,
        store=store,
        customer=None,
        lines=[(item, "3", None)],
        idempotency_key=key("q1"),
    )

    order = result.order
    line = order.lines.get()
    assert order.status == Status.SHIPPED and order.customer is None
    assert (line.quantity_reserved, line.quantity_shipped) == (D("0"), D("3.000"))
    assert figures(item, store)["on_hand"] == D("7.000")
    assert figures(item, store)["reserved"] == D("0")
    assert sales_order_figures(order=order)["cost_of_goods"] == D("6.00")
    assert AuditEvent.objects.filter(action="sales_order.quick_sale").count() == 1


@pytest.mark.parametrize("quantities", [("1", "1", "1"), ("1", "2", "4")])
def test_a_sale_of_several_balances_moves_each_by_its_own_quantity(staff_user, store, quantities):
    # Alike quantities update the balances by one constant, different ones by a CASE.
    items = [ItemFactory() for _ in quantities]
    for item in items:
        receive(staff_user, item, store, "10")

    sales_quick_sale(
        actor=staff_user,
        store=store,
        customer=None,
        lines=[(item, q, None) for item, q in zip(items, quantities, strict=True)],
        idempotency_key=key("q-many"),
    )

    assert [figures(item, store)["on_hand"] for item in items] == [10 - D(q) for q in quantities]
    assert [figures(item, store)["reserved"] for item in items] == [D("0")] * len(items)


def test_quick_sale_replayed_returns_the_first_order(staff_user, store, item):
    receive(staff_user, item, store, "10")
    args = {"actor": staff_user, "store": store, "customer": None, "lines": [(item, "3", None)]}

    first = sales_quick_sale(**args, idempotency_key=key("q2"))
    second = sales_quick_sale(**args, idempotency_key=key("q2"))

    assert second.replayed is True and second.order.pk == first.order.pk
    assert SalesOrder.objects.count() == 1
    assert figures(item, store)["on_hand"] == D("7.000")


def test_quick_sale_short_records_nothing(staff_user, store, item):
    # given 2 in stock of one item and plenty of another
    plenty = ItemFactory(sku="PLENTY")
    receive(staff_user, item, store, "2")
    receive(staff_user, plenty, store, "50")
    ledger, balances = LedgerEntry.objects.count(), figures(item, store)

    # when selling 5 of the first
    with pytest.raises(ShortLines) as caught:
        sales_quick_sale(
            actor=staff_user,
            store=store,
            customer=None,
            lines=[(plenty, "1", None), (item, "5", None)],
            idempotency_key=key("q3"),
        )

    # then the short line is named by its position, and nothing was recorded
    (shortage,) = caught.value.shortages
    assert (shortage.index, shortage.requested, shortage.available) == (1, D("5"), D("2"))
    assert SalesOrder.objects.count() == 0
    assert LedgerEntry.objects.count() == ledger
    assert figures(item, store) == balances
    # and the same token can be used again once the form is corrected
    result = sales_quick_sale(
        actor=staff_user,
        store=store,
        customer=None,
        lines=[(item, "2", None)],
        idempotency_key=key("q3"),
    )
    assert result.replayed is False and result.order.status == Status.SHIPPED
