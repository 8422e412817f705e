"""Each rule that a page filters or sums in the database is written once in Python
(inventory.rules) and mirrored by one named Q or expression in selectors.stock. Here
both judge every kind of balance (QC status x expiry x stock) and must agree, so the
mirror cannot drift from the rule unseen."""

import itertools
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from inventory import rules
from inventory.models import Lot, QCStatus, StockBalance
from inventory.selectors.stock import available_term, expired_q, on_shelf_q, sellable_q

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def every_kind(item, store):
    """One balance for each QC status, expiry (none, yesterday, today, tomorrow) and
    (on hand, reserved): emptied, stocked, stocked and partly reserved."""
    today = timezone.localdate()
    expiries = [None, today - timedelta(days=1), today, today + timedelta(days=1)]
    stocks = [(D("0"), D("0")), (D("5"), D("0")), (D("5"), D("2"))]
    kinds = itertools.product(QCStatus.values, expiries, stocks)
    for n, (status, expires_on, (on_hand, reserved)) in enumerate(kinds):
        lot = Lot.objects.create(
            item=item,
            code=f"K-{n}",
            qc_status=status,
            expires_on=expires_on,
            unit_cost=D("1.00"),
            received_at=timezone.now(),
        )
        StockBalance.objects.create(
            item=item, store=store, lot=lot, on_hand=on_hand, reserved=reserved
        )
    balances = list(StockBalance.objects.select_related("lot"))
    assert len(balances) == 3 * 4 * 3
    return today, balances


def _ids(balances) -> set[int]:
    return {b.pk for b in balances}


def test_expired_and_sellable_agree(every_kind):
    today, balances = every_kind
    expired = StockBalance.objects.filter(expired_q(today))
    assert _ids(expired) == _ids(b for b in balances if rules.is_expired(b.lot, today))
    sellable = StockBalance.objects.filter(sellable_q(today))
    assert _ids(sellable) == _ids(b for b in balances if rules.is_sellable(b.lot, today))


def test_on_shelf_agrees(every_kind):
    _, balances = every_kind
    shelf = StockBalance.objects.filter(on_shelf_q())
    assert _ids(shelf) == _ids(rules.on_shelf(balances))
    assert len(rules.on_shelf(balances)) == 4 * 2  # APPROVED, any expiry, holding stock


def test_each_balances_part_of_available_agrees(every_kind):
    today, balances = every_kind
    parts = dict(
        StockBalance.objects.annotate(part=available_term(today)).values_list("pk", "part")
    )
    assert parts == {b.pk: rules.available([b], today) for b in balances}
    # 3 sellable kinds (APPROVED: no expiry, today, tomorrow) give 0 + 5 + 3 each; the 9
    # others give only their reservations: 0 + 0 - 2 each.
    assert sum(parts.values()) == rules.available(balances, today) == 3 * D("8") - 9 * D("2")
