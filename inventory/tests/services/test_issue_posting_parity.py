"""The one-call direct issue (inventory_issue_posting) against stock_issue's own rule.

On PostgreSQL a direct issue draws inside the database; every other issue, and every
issue on SQLite, draws in Python (stock_issue: APPROVED lots, posting.fefo_key, at
most on hand minus reserved each). Here both run on twin items with the same lots,
drawn by hypothesis (expiry dates and receipt times that tie, every QC status,
reservations), and must write the same rows, the same audit details and make the
same refusals.
"""

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inventory.exceptions import InsufficientStock
from inventory.models import AuditEvent, LedgerEntry, Lot, StockBalance
from inventory.services import stock
from inventory.services.stock import stock_issue
from inventory.tests.factories import ItemFactory

from .stock_helpers import snapshot

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the one-call issue exists on PostgreSQL only"
    ),
]

BASE = dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC)  # receipts straddle midnight

lot_shapes = st.fixed_dictionaries(
    {
        "expires_in": st.one_of(st.none(), st.integers(0, 3)),  # days after BASE: ties
        "received_after": st.integers(0, 4).map(lambda hours: dt.timedelta(hours=hours)),
        "qc_status": st.sampled_from(["APPROVED", "APPROVED", "QUARANTINE", "REJECTED"]),
        "on_hand": st.integers(0, 6),
        "reserved_share": st.integers(0, 2),  # of 2: none, half or all reserved
    }
)
_skus = itertools.count()


def _twin(lots, store) -> object:
    """An item of its own with these lots in the store (rows made directly: the
    drawing, not the receipts, is under test)."""
    item = ItemFactory(sku=f"TWIN-{next(_skus)}", reorder_level=Decimal("4"))
    for number, shape in enumerate(lots):
        lot = Lot.objects.create(
            item=item,
            code=f"L{number}",
            qc_status=shape["qc_status"],
            expires_on=(
                None
                if shape["expires_in"] is None
                else BASE.date() + dt.timedelta(days=shape["expires_in"])
            ),
            received_at=BASE + shape["received_after"],
            unit_cost=Decimal("1.50") + number,
        )
        on_hand = Decimal(shape["on_hand"])
        StockBalance.objects.create(
            store=store,
            lot=lot,
            item=item,
            on_hand=on_hand,
            reserved=(on_hand * shape["reserved_share"] / 2).quantize(Decimal("0.001")),
        )
    return item


def _outcome(item, store, user, quantity, *, one_call: bool, monkeypatch):
    """What the issue did: its rows, the balances after and its audit details; or the
    refusal's message and available figure, having checked that it changed nothing."""
    before = snapshot()
    with monkeypatch.context() as patch:
        patch.setattr(stock, "uses_functions", lambda: one_call)
        try:
            result = stock_issue(
                actor=user, item=item, store=store, quantity=quantity, note="counter 2"
            )
        except InsufficientStock as refusal:
            assert snapshot() == before  # no operation, ledger row, audit event or balance
            return ("refused", refusal.message.replace(item.sku, "SKU"), refusal.available)
    rows = [
        (e.lot.code, e.quantity, e.on_hand_delta, e.reserved_delta, e.unit_cost, e.note)
        for e in LedgerEntry.objects.filter(operation=result.operation)
        .select_related("lot")
        .order_by("pk")
    ]
    assert rows == [
        (e.lot.code, e.quantity, e.on_hand_delta, e.reserved_delta, e.unit_cost, e.note)
        for e in result.entries
    ]  # the returned entries are the rows written
    balances = sorted(
        StockBalance.objects.filter(item=item).values_list("lot__code", "on_hand", "reserved")
    )
    details = AuditEvent.objects.get(action="stock.issue", object_id=str(item.pk)).details
    details.pop("operation")
    return ("issued", rows, balances, details)


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(lots=st.lists(lot_shapes, max_size=6), quantity=st.integers(1, 20))
def test_the_one_call_issue_draws_as_stock_issue_does(
    lots, quantity, staff_user, store, monkeypatch
):
    in_python = _outcome(
        _twin(lots, store), store, staff_user, quantity, one_call=False, monkeypatch=monkeypatch
    )
    in_one_call = _outcome(
        _twin(lots, store), store, staff_user, quantity, one_call=True, monkeypatch=monkeypatch
    )

    assert in_one_call == in_python


def test_a_fractional_issue_splits_across_lots_alike(staff_user, store, monkeypatch):
    lots = [
        {"expires_in": 1, "received_after": dt.timedelta(0), "qc_status": "APPROVED"},
        {"expires_in": None, "received_after": dt.timedelta(0), "qc_status": "APPROVED"},
    ]
    lots = [{**shape, "on_hand": 2, "reserved_share": 1} for shape in lots]  # 1 of 2 free

    outcomes = [
        _outcome(
            _twin(lots, store), store, staff_user, "1.375", one_call=flag, monkeypatch=monkeypatch
        )
        for flag in (False, True)
    ]

    assert outcomes[0] == outcomes[1]
    assert outcomes[1][1][0][:2] == ("L0", Decimal("1.000"))  # the expiring lot first
    assert outcomes[1][1][1][:2] == ("L1", Decimal("0.375"))


def test_the_earlier_receipt_goes_first_whatever_the_lot_number(staff_user, store, monkeypatch):
    later, earlier = dt.timedelta(hours=3), dt.timedelta(hours=2)  # same day, no expiry
    lots = [
        {"expires_in": None, "received_after": later, "qc_status": "APPROVED"},
        {"expires_in": None, "received_after": earlier, "qc_status": "APPROVED"},
    ]
    lots = [{**shape, "on_hand": 3, "reserved_share": 0} for shape in lots]

    outcomes = [
        _outcome(_twin(lots, store), store, staff_user, 2, one_call=flag, monkeypatch=monkeypatch)
        for flag in (False, True)
    ]

    assert outcomes[0] == outcomes[1]
    assert [row[:2] for row in outcomes[1][1]] == [("L1", Decimal("2.000"))]
