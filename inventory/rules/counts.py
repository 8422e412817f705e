"""Counts: a figure found of an item, all lots together, shared out over its lots."""

from inventory.models import QCStatus

from .quantities import ZERO


def newest_key(balance):
    """Latest received first: the lot received last, then the highest lot id."""
    return (balance.lot.received_at, balance.lot.pk)


def on_shelf(balances) -> list:
    """The balances counted together by item: APPROVED lots holding stock, expired or
    not. Lots in QC or rejected are kept apart on the shelves and counted by lot. The
    same rule in SQL: selectors.stock.on_shelf_q."""
    return [b for b in balances if b.lot.qc_status == QCStatus.APPROVED and b.on_hand > 0]


def spread_count(counted, balances) -> list[tuple]:
    """Share `counted` (what was found of an item in one store, all lots together) over
    its lots on the shelf (on_shelf): newest first, each keeping at most what it holds,
    so the oldest lots are counted down first (the oldest stock leaves a bin first). A
    surplus goes to the newest lot. Return [(balance, counted for it)] for every such
    lot, newest first, unchanged ones included; [] when there is none."""
    lots = sorted(on_shelf(balances), key=newest_key, reverse=True)
    spread, left = [], counted
    for balance in lots:
        keep = min(balance.on_hand, max(left, ZERO))
        spread.append([balance, keep])
        left -= keep
    if spread and left > 0:
        spread[0][1] += left
    return [(balance, keep) for balance, keep in spread]
