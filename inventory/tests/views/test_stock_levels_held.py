"""The stock page's rows add up: on hand is available, reserved, in QC, rejected and
expired stock, each shown."""

from decimal import Decimal as D

import pytest

from inventory.models import Lot
from inventory.services.stock import stock_receive

pytestmark = pytest.mark.django_db
LEVELS = "/stock/"


def test_levels_show_quarantined_and_rejected_so_on_hand_adds_up(
    staff_client, manager_user, store, qc_item
):
    # found by QA: 18 of 20 on hand were in QC or rejected, and the row did not say where
    from inventory.services.qc import lot_approve, lot_reject

    for code, quantity in (("Q", 8), ("R", 4), ("A", 8)):
        stock_receive(
            actor=manager_user, item=qc_item, store=store, quantity=quantity, lot_code=code
        )
    lot_reject(actor=manager_user, lot=Lot.objects.get(code__startswith="R"), note="dented")
    lot_approve(actor=manager_user, lot=Lot.objects.get(code__startswith="A"))

    response = staff_client.get(LEVELS)

    (row,) = response.context["page"]
    figures = [row[k] for k in ("on_hand", "available", "reserved", "quarantined", "rejected")]
    assert figures == [D(20), D(8), D(0), D(8), D(4)]
    assert 'data-testid="held">8 / 4<' in response.content.decode()
