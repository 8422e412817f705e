"""Prove every balance equals the sum of its ledger rows. Exit 1 on drift; never repair."""

from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db.models import Sum

from inventory.exceptions import fmt_qty
from inventory.models import LedgerEntry, StockBalance

ZERO = Decimal("0")


def ledger_drift() -> list[dict]:
    """Return one dict per (store, lot) whose balance differs from its ledger sums."""
    sums = {
        (row["store_id"], row["lot_id"]): row
        for row in LedgerEntry.objects.order_by()
        .values("store_id", "lot_id")
        .annotate(on_hand=Sum("on_hand_delta"), reserved=Sum("reserved_delta"))
    }
    drift = []
    balances = StockBalance.objects.values(
        "store_id", "store__code", "lot_id", "lot__code", "item__sku", "on_hand", "reserved"
    )
    seen = set()
    for b in balances:
        key = (b["store_id"], b["lot_id"])
        seen.add(key)
        expected = sums.get(key, {"on_hand": ZERO, "reserved": ZERO})
        if b["on_hand"] != expected["on_hand"] or b["reserved"] != expected["reserved"]:
            drift.append(
                {
                    "store": b["store__code"],
                    "lot": b["lot__code"],
                    "item": b["item__sku"],
                    "expected_on_hand": expected["on_hand"],
                    "actual_on_hand": b["on_hand"],
                    "expected_reserved": expected["reserved"],
                    "actual_reserved": b["reserved"],
                }
            )
    for key, row in sums.items():
        if key not in seen and (row["on_hand"] or row["reserved"]):
            drift.append(
                {
                    "store": key[0],
                    "lot": key[1],
                    "item": "?",
                    "expected_on_hand": row["on_hand"],
                    "actual_on_hand": None,
                    "expected_reserved": row["reserved"],
                    "actual_reserved": None,
                }
            )
    return drift


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
