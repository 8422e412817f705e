"""A count racing a sale of the same lot, with real threads (SQLite and PostgreSQL):
the count either goes first (then the sale draws from the counted figure) or is refused
as stale (the sale moved the stock it was shown). Never a lost sale or a lost count."""

from decimal import Decimal

import pytest

from inventory.exceptions import InventoryError
from inventory.models import LedgerEntry, Lot, StockBalance
from inventory.services.counts import stock_count
from inventory.services.stock import stock_issue, stock_receive
from inventory.tests.concurrency import run_together
from inventory.tests.factories import ItemFactory, StoreFactory, UserFactory

from .test_stock_concurrency import assert_ledger_clean

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("round_", range(10))
def test_a_count_racing_a_sale_is_either_first_or_refused(round_):
    user = UserFactory(role="Manager")
    item, store = ItemFactory(sku=f"COUNT-{round_}"), StoreFactory(code="CNT")
    stock_receive(actor=user, item=item, store=store, quantity=10, lot_code="A")
    lot = Lot.objects.get(item=item)

    counted, sold = run_together(
        [
            lambda: stock_count(
                actor=user,
                store=store,
                counts=[{"lot": lot, "counted": "9", "expected": "10"}],
            ),
            lambda: stock_issue(actor=user, item=item, store=store, quantity=2),
        ]
    )

    assert not isinstance(sold, Exception), sold
    on_hand = StockBalance.objects.get(lot=lot, store=store).on_hand
    if isinstance(counted, Exception):
        # the sale went first: the count saw 10 but 8 were there, and was refused
        assert isinstance(counted, InventoryError) and "10 then, 8 now" in str(counted)
        assert on_hand == Decimal("8")
        assert not LedgerEntry.objects.filter(reason="COUNT").exists()
    else:
        # the count went first (10 → 9), then the sale drew 2 from it
        assert on_hand == Decimal("7")
        assert LedgerEntry.objects.get(reason="COUNT").on_hand_delta == Decimal("-1")
    assert_ledger_clean()
