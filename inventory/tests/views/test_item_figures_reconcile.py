"""The item page's figures add up: what is on hand is available, reserved, in quarantine,
rejected or expired. Rejected stock had no figure of its own, so PAINT-W5's 30 on hand
read as 10 available and 6 in quarantine, and 14 were nowhere (browser QA pass)."""

import re
from decimal import Decimal

import pytest

from inventory.services.qc import lot_approve, lot_reject
from inventory.services.stock import stock_receive

pytestmark = pytest.mark.django_db
D = Decimal


def test_rejected_stock_has_its_own_figure_and_the_row_adds_up(
    manager_client, manager_user, qc_item, store
):
    # given 10 approved, 6 in quarantine and 14 rejected: 30 on hand
    lots = {}
    for code, quantity in (("OK", "10"), ("WAIT", "6"), ("BAD", "14")):
        received = stock_receive(
            actor=manager_user, item=qc_item, store=store, quantity=quantity, lot_code=code
        )
        lots[code] = received.entries[0].lot
    lot_approve(actor=manager_user, lot=lots["OK"])
    lot_reject(actor=manager_user, lot=lots["BAD"], note="Damaged in transit")

    html = manager_client.get(qc_item.get_absolute_url()).content.decode()

    assert re.search(r'data-testid="rejected">14 \w+<', html)
    row = html.split('data-testid="stock-by-store"', 1)[1].split("</table>", 1)[0]
    cells = dict(re.findall(r'data-label="([^"]+)">([^<]*)</td>', row))
    figures = {k: D(v.split()[0]) for k, v in cells.items() if k != "Store"}
    assert figures == {
        "On hand": D("30"),
        "Reserved": D("0"),
        "Available": D("10"),
        "In quarantine": D("6"),
        "Rejected": D("14"),
        "Expired": D("0"),
    }
