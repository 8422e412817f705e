"""Prove every balance equals the sum of its ledger rows. Exit 1 on drift; never repair."""

from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import connection

from inventory.models import StockBalance
from inventory.quantities import fmt_qty

# One aggregate statement: the ledger summed per (store, lot), compared with every
# balance row, plus ledger groups that have no balance row at all. ROUND keeps
# SQLite's floating-point sums from reporting 0.1 + 0.2 as drift.
DRIFT_SQL = """
WITH sums AS (
    SELECT store_id, lot_id, SUM(on_hand_delta) AS on_hand, SUM(reserved_delta) AS reserved
    FROM inventory_ledgerentry GROUP BY store_id, lot_id
)
SELECT s.code, l.code, i.sku, COALESCE(x.on_hand, 0), b.on_hand, COALESCE(x.reserved, 0), b.reserved
FROM inventory_stockbalance b
JOIN inventory_store s ON s.id = b.store_id
JOIN inventory_lot l ON l.id = b.lot_id
JOIN inventory_item i ON i.id = b.item_id
LEFT JOIN sums x ON x.store_id = b.store_id AND x.lot_id = b.lot_id
WHERE ROUND(b.on_hand - COALESCE(x.on_hand, 0), 3) <> 0
   OR ROUND(b.reserved - COALESCE(x.reserved, 0), 3) <> 0
UNION ALL
SELECT s.code, l.code, i.sku, x.on_hand, NULL, x.reserved, NULL
FROM sums x
JOIN inventory_store s ON s.id = x.store_id
JOIN inventory_lot l ON l.id = x.lot_id
JOIN inventory_item i ON i.id = l.item_id
WHERE NOT EXISTS (
    SELECT 1 FROM inventory_stockbalance b WHERE b.store_id = x.store_id AND b.lot_id = x.lot_id
) AND (ROUND(x.on_hand, 3) <> 0 OR ROUND(x.reserved, 3) <> 0)
"""


def _qty(value):
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.001"))


def ledger_drift() -> list[dict]:
    """Return one dict per (store, lot) whose balance differs from its ledger sums."""
    with connection.cursor() as cursor:
        cursor.execute(DRIFT_SQL)
        rows = cursor.fetchall()
    return [
        {
            "store": store,
            "lot": lot,
            "item": sku,
            "expected_on_hand": _qty(exp_on_hand),
            "actual_on_hand": _qty(on_hand),
            "expected_reserved": _qty(exp_reserved),
            "actual_reserved": _qty(reserved),
        }
        for store, lot, sku, exp_on_hand, on_hand, exp_reserved, reserved in rows
    ]


def _show(value) -> str:
    return "missing" if value is None else fmt_qty(value)


class Command(BaseCommand):
    help = "Recompute every balance from the ledger and report drift (exit 1 if any)."

    def handle(self, *args, **options):
        drift = ledger_drift()
        count = StockBalance.objects.count()
        if not drift:
            self.stdout.write(f"verify_ledger: OK, {count} balances match the ledger.")
            return
        for d in drift:
            self.stdout.write(
                f"DRIFT store={d['store']} lot={d['lot']} item={d['item']}: "
                f"on_hand expected {_show(d['expected_on_hand'])} "
                f"actual {_show(d['actual_on_hand'])}; "
                f"reserved expected {_show(d['expected_reserved'])} "
                f"actual {_show(d['actual_reserved'])}"
            )
        self.stderr.write(f"verify_ledger: {len(drift)} balance(s) drifted from the ledger.")
        raise SystemExit(1)
