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


def test_one_item_on_two_lines_is_judged_on_their_sum(staff_user, store):
    # given 64 pcs of glue
    glue = ItemFactory(sku="GLUE-500")
    receive(staff_user, glue, store, "64")
    ledger, balances = LedgerEntry.objects.count(), figures(glue, store)

    # when two lines ask for 40 each
    with pytest.raises(ShortLines) as caught:
        sales_quick_sale(
            actor=staff_user,
            store=store,
            customer=None,
            lines=[(glue, "40", None), (glue, "40", None)],
            idempotency_key=key("q-twice"),
        )

    # then one shortage names both lines and what they ask for in all; nothing recorded
    (shortage,) = caught.value.shortages
    assert (shortage.indexes, shortage.requested, shortage.available) == ([0, 1], D("80"), D("64"))
    assert str(caught.value) == (
        "Only 64 pcs of GLUE-500 available in Main Store; 2 lines ask for 80 in all (40 + 40)."
    )
    assert SalesOrder.objects.count() == 0
    assert LedgerEntry.objects.count() == ledger
    assert figures(glue, store) == balances


def test_one_item_on_two_lines_that_fit_draws_them_one_after_the_other_fefo(staff_user, store):
    # given two lots of glue, 30 then 34
    glue = ItemFactory(sku="GLUE-500")
    receive(staff_user, glue, store, "30")
    receive(staff_user, glue, store, "34")

    # when two lines ask for 40 and 24 (all of it)
    order = sales_quick_sale(
        actor=staff_user,
        store=store,
        customer=None,
        lines=[(glue, "40", None), (glue, "24", None)],
        idempotency_key=key("q-fit"),
    ).order

    # then the first line takes the first lot and 10 of the second, the next line the rest
    first, second = order.lines.order_by("pk")
    issued = LedgerEntry.objects.filter(kind="ISSUE").order_by("pk")
    assert [(e.so_line_id, e.quantity) for e in issued] == [
        (first.pk, D("30.000")),
        (first.pk, D("10.000")),
        (second.pk, D("24.000")),
    ]
    assert figures(glue, store)["on_hand"] == D("0")
