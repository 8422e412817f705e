"""Four weeks of demo trading, so the dashboard's chart and figures have a history."""

import random

from inventory.exceptions import InventoryError
from inventory.services.purchasing import purchase_direct
from inventory.services.sales import sales_quick_sale

from .clock import days_ago_at, frozen_clock

DAYS = 28
WEEKLY_RESTOCK = {
    # supplier key: [(sku, quantity, store code)]
    "acme": [("BOLT-M8", "30", "MAIN"), ("NUT-M8", "30", "NORTH")],
    "brite": [("LAMP-LED9", "40", "MAIN"), ("CABLE-3G", "150", "MAIN")],
}
COUNTER_ITEMS = ["BOLT-M8", "NUT-M8", "LAMP-LED9", "CABLE-3G", "TAPE-50"]


def seed(users, context) -> dict:
    staff = users["Staff"]
    stores, items, suppliers = context["stores"], context["items"], context["suppliers"]
    rng = random.Random(2026)
    sales = 0
    for days_ago in range(DAYS, 0, -1):
        if days_ago % 7 == 0:
            for supplier_key, lines in WEEKLY_RESTOCK.items():
                for store_code in {code for _, _, code in lines}:
                    store_lines = [
                        {
                            "item": items[sku],
                            "quantity": quantity,
                            "unit_cost": str(items[sku].unit_cost),
                            "lot_code": "",
                            "expires_on": None,
                        }
                        for sku, quantity, code in lines
                        if code == store_code
                    ]
                    with frozen_clock(days_ago_at(days_ago, 8)):
                        purchase_direct(
                            actor=staff,
                            supplier=suppliers[supplier_key],
                            store=stores[store_code],
                            lines=store_lines,
                            note="Weekly restock.",
                            idempotency_key=None,
                        )
        for n in range(rng.randint(1, 4)):
            store = stores[rng.choice(["MAIN", "MAIN", "NORTH"])]
            picks = rng.sample(COUNTER_ITEMS, rng.randint(1, 2))
            lines = [(items[sku], str(rng.randint(1, 4)), None) for sku in picks]
            try:
                with frozen_clock(days_ago_at(days_ago, 9 + 2 * n, rng.randint(0, 59))):
                    sales_quick_sale(
                        actor=staff, store=store, customer=None, lines=lines, idempotency_key=None
                    )
                sales += 1
            except InventoryError:
                continue  # that store ran short that day: the counter sale simply did not happen
    return {"history_sales": sales}
