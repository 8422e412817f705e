"""Money figures agree from page to page. Found by an auditor QA pass: a supplier's page
counted a reversed receipt (through its reversal) and a receipt into another supplier's
lot twice; the dashboard and an order's cost of goods rounded differently from the order
lines (three sales of 0.005 kg at 1.00 were 0.01 each on their orders, 0.02 in all)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from inventory.selectors.catalog import supplier_received
from inventory.selectors.dashboard import Period, dashboard_totals
from inventory.selectors.sales import sales_order_figures
from inventory.services.moves import ledger_entry_reverse
from inventory.services.purchasing import purchase_direct
from inventory.services.sales import sales_quick_sale
from inventory.services.stock import stock_receive
from inventory.tests.factories import ItemFactory, SupplierFactory

pytestmark = pytest.mark.django_db
D = Decimal


def _since():
    return timezone.now() - timedelta(days=30)


def test_a_reversed_receipt_is_left_out_with_its_reversal(manager_user, store, item):
    acme = SupplierFactory(name="Acme")
    stock_receive(
        actor=manager_user, item=item, store=store, quantity="5", unit_cost="2.00",
        lot_code="A-1", supplier=acme,
    )  # fmt: skip
    wrong = stock_receive(
        actor=manager_user, item=item, store=store, quantity="2000", unit_cost="0.08",
        lot_code="A-2", supplier=acme,
    )  # fmt: skip

    ledger_entry_reverse(actor=manager_user, entry=wrong.entries[0], note="entered twice")

    received = supplier_received(supplier=acme, since=_since())
    assert [(r["total_quantity"], r["total_value"]) for r in received["rows"]] == [
        (D("5"), D("10.00"))
    ]
    assert (received["receipts"], received["value"]) == (1, D("10.00"))


def test_a_purchase_receipt_taken_back_leaves_the_dashboard_and_the_supplier(
    manager_user, store, item
):
    # found by QA: each reversal of an order's receipt added its value to "Purchased"
    acme = SupplierFactory(name="Acme")
    kept = purchase_direct(
        actor=manager_user, supplier=acme, store=store,
        lines=[{"item": item, "quantity": "5", "unit_cost": "2.00", "lot_code": "A-1"}],
    )  # fmt: skip
    wrong = purchase_direct(
        actor=manager_user, supplier=acme, store=store,
        lines=[{"item": item, "quantity": "12", "unit_cost": "3.30", "lot_code": "A-2"}],
    )  # fmt: skip
    assert kept and wrong.stock.entries[0].po_line_id

    ledger_entry_reverse(actor=manager_user, entry=wrong.stock.entries[0])

    totals = dashboard_totals(period=Period.last_days(30))
    figures = [totals[k] for k in ("purchased_value", "purchased_lines", "purchased_items")]
    assert figures == [D("10.00"), 1, 1]
    received = supplier_received(supplier=acme, since=_since())
    assert (received["receipts"], received["value"]) == (1, D("10.00"))


def test_a_delivery_into_another_suppliers_lot_counts_for_the_one_who_delivered(
    manager_user, store, item
):
    acme, coatco = SupplierFactory(name="Acme"), SupplierFactory(name="CoatCo")
    first = stock_receive(
        actor=manager_user, item=item, store=store, quantity="10", unit_cost="4.20",
        lot_code="L-1", supplier=acme,
    )  # fmt: skip
    lot = first.entries[0].lot

    purchase_direct(
        actor=manager_user,
        supplier=coatco,
        store=store,
        lines=[{"item": item, "quantity": "5", "unit_cost": "4.20", "lot_code": lot.code}],
    )

    by_acme = supplier_received(supplier=acme, since=_since())
    by_coatco = supplier_received(supplier=coatco, since=_since())
    assert (by_acme["receipts"], by_acme["value"]) == (1, D("42.00"))
    assert (by_coatco["receipts"], by_coatco["value"]) == (1, D("21.00"))


def test_the_dashboard_and_the_orders_round_each_movement_alike(manager_user, store):
    sand = ItemFactory(sku="SAND-25", name="Sand", unit="kg")
    purchase_direct(
        actor=manager_user,
        supplier=SupplierFactory(),
        store=store,
        lines=[{"item": sand, "quantity": "0.125", "unit_cost": "1.00"}],
    )
    orders = [
        sales_quick_sale(
            actor=manager_user, store=store, customer=None,
            lines=[(sand, D("0.005"), D("1.00"))], idempotency_key=f"round-{n}",
        ).order
        for n in range(3)
    ]  # fmt: skip

    figures = [sales_order_figures(order=o) for o in orders]
    totals = dashboard_totals(period=Period.last_days(1), store=store)

    # 0.125 kg at 1.00 is 0.13 on its order (half up), and so on the dashboard
    assert totals["purchased_value"] == D("0.13")
    assert [f["shipped_value"] for f in figures] == [D("0.01")] * 3
    assert totals["sold_value"] == sum(f["shipped_value"] for f in figures) == D("0.03")
    assert [f["cost_of_goods"] for f in figures] == [D("0.01")] * 3
    assert totals["cost_of_goods"] == D("0.03")
    assert totals["gross_margin"] == sum(f["margin"] for f in figures) == D("0.00")


def test_an_emptied_quarantine_lot_waits_for_no_decision(manager_user, store, qc_item):
    # Found by an auditor QA pass: the dashboard's QC queue counted a quarantine lot whose
    # found stock had been reversed (0 on hand); the per-store counts did not.
    from inventory.selectors.dashboard import dashboard_queues
    from inventory.selectors.purchasing import qc_queue

    kept = stock_receive(actor=manager_user, item=qc_item, store=store, quantity="3")
    emptied = stock_receive(actor=manager_user, item=qc_item, store=store, quantity="2")
    ledger_entry_reverse(actor=manager_user, entry=emptied.entries[0], note="entered twice")

    assert [lot.pk for lot in qc_queue()] == [kept.entries[0].lot_id]
    assert dashboard_queues()["qc_queue"] == dashboard_queues(store=store)["qc_queue"] == 1


def test_a_line_shipped_in_parts_and_from_two_lots_sums_to_its_order_value(manager_user, store):
    # Left from an auditor QA pass: each movement rounded on its own, so 0.010 kg at 1.00
    # shipped as two 0.005 kg rows (two lots, or two shipments) was 0.02 on the dashboard
    # and 0.01 on its order. Each row now adds the line's value after it less before it.
    from inventory.services.sales_shipping import sales_order_return, sales_order_ship
    from inventory.tests.services.sales_helpers import confirmed, receive

    sand = ItemFactory(sku="SAND-25", name="Sand", unit="kg")
    for code, days in (("S-1", 10), ("S-2", 20), ("S-3", 30)):
        receive(manager_user, sand, store, "0.005", cost="1.00", expires_in=days, code=code)
    one = confirmed(manager_user, store, (sand, "0.010", "1.00"))
    parts = confirmed(manager_user, store, (sand, "0.005", "1.00"))
    sales_order_ship(actor=manager_user, order=one, shipments={one.lines.get(): "0.010"},
                     idempotency_key="ship-both-lots")  # fmt: skip
    line = parts.lines.get()
    sales_order_ship(actor=manager_user, order=parts, shipments={line: "0.005"},
                     idempotency_key="ship-part")  # fmt: skip
    assert one.lines.get().ledger_entries.filter(kind="ISSUE").count() == 2  # two lots

    def agree():
        figures = [sales_order_figures(order=o) for o in (one, parts)]
        totals = dashboard_totals(period=Period.last_days(1), store=store)
        return [f["shipped_value"] for f in figures], totals["sold_value"]

    assert agree() == ([D("0.01"), D("0.01")], D("0.02"))
    sales_order_return(actor=manager_user, line=one.lines.get(), quantity="0.005",
                       idempotency_key="back")  # fmt: skip
    # 0.005 kg kept is still 0.01 (half up), and the return took nothing off it
    assert agree() == ([D("0.01"), D("0.01")], D("0.02"))
    sales_order_return(actor=manager_user, line=one.lines.get(), quantity="0.005",
                       idempotency_key="back-2")  # fmt: skip
    assert agree() == ([D("0.00"), D("0.01")], D("0.01"))


def test_a_line_received_in_parts_sums_to_its_order_value(manager_user, store):
    from inventory.services.moves import ledger_entry_reverse as reverse
    from inventory.services.purchasing import (
        purchase_order_create,
        purchase_order_place,
        purchase_order_receive,
    )

    sand = ItemFactory(sku="SAND-25", name="Sand", unit="kg")
    order = purchase_order_create(
        actor=manager_user, supplier=SupplierFactory(), store=store,
        lines=[(sand, "0.010", "1.00")],
    )  # fmt: skip
    purchase_order_place(actor=manager_user, order=order)
    line = order.lines.get()
    first = purchase_order_receive(
        actor=manager_user, order=order, receipts=[{"line": line, "quantity": "0.005"}]
    )
    purchase_order_receive(
        actor=manager_user, order=order, receipts=[{"line": line, "quantity": "0.005"}]
    )
    purchased = lambda: dashboard_totals(period=Period.last_days(1))["purchased_value"]  # noqa: E731
    assert purchased() == D("0.01")  # 0.010 kg at 1.00, as its order shows; not 0.01 twice

    reverse(actor=manager_user, entry=first.stock.entries[0], note="counted twice")
    assert purchased() == D("0.01")  # 0.005 kg kept is 0.01 (half up)
