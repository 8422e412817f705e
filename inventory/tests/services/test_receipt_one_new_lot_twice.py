"""Two lines of one receipt naming the same new lot code make one lot, not a crash.

They used to stage two balances of the one new lot in the store, and the UNIQUE
(store, lot) index refused the second with an IntegrityError: a 500 on the direct
purchase and receive screens and in the API. Found by the API QA pass (lot DUP2).
"""

from datetime import date
from decimal import Decimal

import pytest

from inventory.exceptions import InventoryError
from inventory.models import LedgerEntry, Lot, StockBalance
from inventory.selectors.stock import stock_totals_for_item
from inventory.services.purchasing import purchase_direct, purchase_order_receive

from .purchasing_helpers import make_order, snapshot

pytestmark = pytest.mark.django_db
D = Decimal


def _direct(actor, supplier, store, *lines):
    return purchase_direct(actor=actor, supplier=supplier, store=store, lines=list(lines))


def test_a_direct_purchase_naming_one_new_lot_on_two_lines_makes_one_lot(
    staff_user, supplier, store, item
):
    result = _direct(
        staff_user,
        supplier,
        store,
        {"item": item, "quantity": "1", "unit_cost": "2.00", "lot_code": "DUP2"},
        {"item": item, "quantity": "2", "unit_cost": "2.00", "lot_code": "dup2"},
    )

    lot = Lot.objects.get(item=item)
    assert lot.code == "DUP2"
    assert StockBalance.objects.get(lot=lot, store=store).on_hand == D("3")
    receipts = LedgerEntry.objects.filter(kind="RECEIVE").order_by("pk")
    assert [(e.lot_id, e.quantity) for e in receipts] == [(lot.pk, D("1")), (lot.pk, D("2"))]
    assert [e.po_line_id for e in receipts] == [ln.pk for ln in result.order.lines.order_by("pk")]
    assert stock_totals_for_item(item=item, store=store)["available"] == D("3")


def test_an_expiry_date_on_the_second_line_only_is_the_lots(staff_user, supplier, store, item):
    _direct(
        staff_user,
        supplier,
        store,
        {"item": item, "quantity": "1", "unit_cost": "2.00", "lot_code": "E-1"},
        {
            "item": item,
            "quantity": "1",
            "unit_cost": "2.00",
            "lot_code": "E-1",
            "expires_on": date(2031, 5, 1),
        },
    )

    lot = Lot.objects.get(item=item)
    assert lot.expires_on == date(2031, 5, 1)
    assert StockBalance.objects.get(lot=lot).on_hand == D("2")


@pytest.mark.parametrize(
    ("second", "field", "words"),
    [
        ({"unit_cost": "2.50"}, "lot_code", "different costs"),
        ({"expires_on": date(2031, 6, 1)}, "expires_on", "2031-05-01 and 2031-06-01"),
    ],
)
def test_one_new_lot_at_two_costs_or_expiry_dates_is_refused_and_changes_nothing(
    staff_user, supplier, store, item, second, field, words
):
    first = {
        "item": item,
        "quantity": "1",
        "unit_cost": "2.00",
        "lot_code": "X-1",
        "expires_on": date(2031, 5, 1),
    }
    before = (Lot.objects.count(), LedgerEntry.objects.count(), StockBalance.objects.count())

    with pytest.raises(InventoryError) as refused:
        _direct(staff_user, supplier, store, first, {**first, **second})

    assert refused.value.field == field
    assert words in str(refused.value)
    assert (
        Lot.objects.count(),
        LedgerEntry.objects.count(),
        StockBalance.objects.count(),
    ) == before


def test_a_receipt_naming_one_new_lot_for_two_order_lines_makes_one_lot(
    staff_user, manager_user, supplier, store, item
):
    order = make_order(manager_user, supplier, store, (item, "5", "2.00"), (item, "4", "2.00"))
    first, second = order.lines.order_by("pk")

    purchase_order_receive(
        actor=staff_user,
        order=order,
        receipts=[
            {"line": first, "quantity": "5", "lot_code": "RDUP"},
            {"line": second, "quantity": "3", "lot_code": "RDUP"},
        ],
    )

    lot = Lot.objects.get(item=item)
    assert StockBalance.objects.get(lot=lot, store=store).on_hand == D("8")
    state = snapshot(order)
    assert state["status"] == "PARTIALLY_RECEIVED"
    assert state["received"] == [D("5"), D("3")]
