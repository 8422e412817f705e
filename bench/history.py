"""A growing business's history, bulk-inserted for the dashboard and page benches.

The same daily volume (about 333 movements a day) over any span: receipts against
purchase order lines, reservations, issues and returns against sales order lines,
adjustments, with their orders; balances then set to the sums of the ledger, as the
services would have left them. Rows go in with INSERT ... SELECT generate_series
(the append-only triggers refuse only UPDATE and DELETE).
"""

from datetime import timedelta
from decimal import Decimal

from . import harness

STORES = 3
ITEMS = 200
LOTS_PER_ITEM = 5
DAY_SECONDS = 86400
WINDOW_DAYS = 30

# One block of 10 consecutive rows per (store, lot): 4 receipts of 10, 3 issues of 3,
# 1 return of 1, 1 reservation of 2, 1 count adjustment of -1. Every balance stays
# at on hand >= reserved >= 0.
KIND_SQL = """
CASE WHEN g % 10 < 4 THEN 'RECEIVE' WHEN g % 10 < 7 THEN 'ISSUE'
     WHEN g % 10 = 7 THEN 'RETURN' WHEN g % 10 = 8 THEN 'RESERVE' ELSE 'ADJUST' END
"""


def _table(model) -> str:
    return model._meta.db_table


def seed_catalog():
    """Create the manager, stores, items and lots (a few in quarantine); return them."""
    from django.utils import timezone

    from inventory.models import Item, Lot

    manager, _ = harness.make_user("bench-manager", "Manager")
    stores, items, _supplier, _customer = harness.make_catalog(
        items=ITEMS, stores=STORES, prefix="DASH"
    )
    Item.objects.filter(pk__in=[i.pk for i in items[:20]]).update(reorder_level=Decimal("5000"))
    received = timezone.now() - timedelta(days=9 * 366)
    Lot.objects.bulk_create(
        Lot(
            item=items[n % ITEMS],
            code=f"DASH-L{n:05d}",
            qc_status="QUARANTINE" if n % 100 == 99 else "APPROVED",
            unit_cost=Decimal("1.00") + Decimal("0.50") * (n % 17),
            received_at=received,
        )
        for n in range(ITEMS * LOTS_PER_ITEM)
    )
    lots = list(Lot.objects.filter(code__startswith="DASH-L").order_by("code"))
    return manager, stores, lots


def _lookup_tables(cursor, stores, lots):
    """Temporary tables mapping a row's store and lot numbers to their ids."""
    cursor.execute("CREATE TEMP TABLE IF NOT EXISTS bench_store (n int PRIMARY KEY, id bigint)")
    cursor.execute(
        "CREATE TEMP TABLE IF NOT EXISTS bench_lot "
        "(n int PRIMARY KEY, id bigint, item_id bigint, unit_cost numeric)"
    )
    cursor.execute("TRUNCATE bench_store, bench_lot")
    cursor.executemany(
        "INSERT INTO bench_store VALUES (%s, %s)", [(n, s.pk) for n, s in enumerate(stores)]
    )
    cursor.executemany(
        "INSERT INTO bench_lot VALUES (%s, %s, %s, %s)",
        [(n, lot.pk, lot.item_id, lot.unit_cost) for n, lot in enumerate(lots)],
    )


def insert_rows(
    *, first, last, newest, oldest, window, manager, stores, lots, customers=()
) -> None:
    """Insert ledger rows g in [first, last), spread evenly from `newest` back to `oldest`,
    with their operations (1 per 10 rows) and orders (1 PO per 20 rows, 1 SO per 10), and
    an audit event per operation. Sales orders go round `customers` (ids), every fifth
    one to a walk-in; all are walk-ins when `customers` is empty."""
    from django.db import connection

    from inventory.models import (
        AuditEvent,
        LedgerEntry,
        Operation,
        PurchaseOrder,
        PurchaseOrderLine,
        SalesOrder,
        SalesOrderLine,
    )

    span = (newest - oldest).total_seconds()
    count = last - first
    params = {
        "first": first,
        "last": last - 1,
        "count": count,
        "newest": newest,
        "step": span / count,
        "stores": len(stores),
        "lots": len(lots),
        "window": window,
        "actor": manager.pk,
        "supplier": lots[0].item.supplier_id,
        "customers": len(customers),
    }
    # the time of row g: newest for g = first, going back by `step` seconds per row
    at = "(%(newest)s::timestamptz - ((g - %(first)s) * %(step)s) * interval '1 second')"
    store_of = "(SELECT id FROM bench_store WHERE n = (g / 10) %% %(stores)s)"
    lot_n = "((g / (10 * %(stores)s)) %% %(lots)s)"
    customer_of = (
        "CASE WHEN (g / 10) %% 5 = 0 OR %(customers)s = 0 THEN NULL ELSE "
        "(SELECT id FROM bench_customer WHERE n = (g / 10) %% GREATEST(%(customers)s, 1)) END"
    )
    with connection.cursor() as cursor:
        _lookup_tables(cursor, stores, lots)
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS bench_customer (n int PRIMARY KEY, id bigint)"
        )
        cursor.execute("TRUNCATE bench_customer")
        cursor.executemany("INSERT INTO bench_customer VALUES (%s, %s)", list(enumerate(customers)))
        # one audit event per operation, as each posting writes
        cursor.execute(
            f"""
            INSERT INTO {_table(AuditEvent)} (actor_id, actor_username, action, object_type,
                object_id, object_repr, details, ip_address, user_agent, created_at)
            SELECT %(actor)s, 'bench-manager',
                   CASE WHEN g %% 20 = 0 THEN 'stock.receive' ELSE 'stock.issue' END,
                   'Operation', (10000000 + g / 10)::text, '', '{{}}'::jsonb, NULL, '', {at}
            FROM generate_series(%(first)s, %(last)s) AS g WHERE g %% 10 = 0
            """,
            params,
        )
        # operations (one per block of 10 rows): ids from 10,000,000 keep them apart
        cursor.execute(
            f"""
            INSERT INTO {_table(Operation)}
                (id, kind, idempotency_key, submission, actor_id, created_at)
            SELECT 10000000 + g / 10, 'BENCH', NULL, '', %(actor)s, {at}
            FROM generate_series(%(first)s, %(last)s) AS g WHERE g %% 10 = 0
            """,
            params,
        )
        # purchase orders and their lines: PO number p covers rows 20p .. 20p + 19
        cursor.execute(
            f"""
            INSERT INTO {_table(PurchaseOrder)}
                (id, supplier_id, store_id, status, note, created_by_id, created_at, updated_at)
            SELECT 10000000 + g / 20, %(supplier)s, {store_of},
                   CASE WHEN {at} >= %(window)s AND (g / 20) %% 4 = 0 THEN 'ORDERED'
                        ELSE 'RECEIVED' END,
                   '', %(actor)s, {at}, {at}
            FROM generate_series(%(first)s, %(last)s) AS g WHERE g %% 20 = 0
            """,
            params,
        )
        cursor.execute(
            f"""
            INSERT INTO {_table(PurchaseOrderLine)}
                (id, order_id, item_id, quantity_ordered, unit_cost, quantity_received)
            SELECT 10000000 + g / 20, 10000000 + g / 20,
                   (SELECT item_id FROM bench_lot WHERE n = {lot_n}), 1000, 2.00, 0
            FROM generate_series(%(first)s, %(last)s) AS g WHERE g %% 20 = 0
            """,
            params,
        )
        cursor.execute(
            f"""
            INSERT INTO {_table(SalesOrder)}
                (id, customer_id, store_id, status, note, created_by_id, created_at, updated_at)
            SELECT 10000000 + g / 10, {customer_of}, {store_of},
                   CASE WHEN {at} >= %(window)s AND (g / 10) %% 4 = 0 THEN 'CONFIRMED'
                        ELSE 'SHIPPED' END,
                   '', %(actor)s, {at}, {at}
            FROM generate_series(%(first)s, %(last)s) AS g WHERE g %% 10 = 0
            """,
            params,
        )
        cursor.execute(
            f"""
            INSERT INTO {_table(SalesOrderLine)}
                (id, order_id, item_id, quantity, unit_price, quantity_reserved,
                 quantity_shipped, quantity_returned)
            SELECT 10000000 + g / 10, 10000000 + g / 10,
                   (SELECT item_id FROM bench_lot WHERE n = {lot_n}), 1000, 5.00, 0, 0, 0
            FROM generate_series(%(first)s, %(last)s) AS g WHERE g %% 10 = 0
            """,
            params,
        )
        kind = KIND_SQL.replace("%", "%%")
        cursor.execute(
            f"""
            INSERT INTO {_table(LedgerEntry)}
                (operation_id, kind, item_id, store_id, lot_id, quantity, on_hand_delta,
                 reserved_delta, unit_cost, actor_id, created_at, po_line_id, so_line_id,
                 reason, note, reverses_id)
            SELECT 10000000 + g / 10, {kind}, l.item_id, s.id, l.id,
                   CASE WHEN g %% 10 < 4 THEN 10 WHEN g %% 10 < 7 THEN 3
                        WHEN g %% 10 = 8 THEN 2 ELSE 1 END,
                   CASE WHEN g %% 10 < 4 THEN 10 WHEN g %% 10 < 7 THEN -3
                        WHEN g %% 10 = 7 THEN 1 WHEN g %% 10 = 8 THEN 0 ELSE -1 END,
                   CASE WHEN g %% 10 = 8 THEN 2 ELSE 0 END,
                   l.unit_cost, %(actor)s, {at},
                   CASE WHEN g %% 10 < 4 THEN 10000000 + g / 20 END,
                   CASE WHEN g %% 10 BETWEEN 4 AND 8 THEN 10000000 + g / 10 END,
                   CASE WHEN g %% 10 = 9 THEN 'COUNT' ELSE '' END, '', NULL
            FROM generate_series(%(first)s, %(last)s) AS g
            JOIN bench_lot AS l ON l.n = {lot_n}
            JOIN bench_store AS s ON s.n = (g / 10) %% %(stores)s
            """,
            params,
        )
        for model in (Operation, PurchaseOrder, PurchaseOrderLine, SalesOrder, SalesOrderLine):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{_table(model)}', 'id'), "
                f"(SELECT max(id) FROM {_table(model)}))"
            )


def sync_balances() -> None:
    """Set every balance to the sums of its ledger rows, as the services keep them."""
    from django.db import connection

    from inventory.models import LedgerEntry, StockBalance

    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {_table(StockBalance)} (store_id, lot_id, item_id, on_hand, reserved)
            SELECT store_id, lot_id, item_id, sum(on_hand_delta), sum(reserved_delta)
            FROM {_table(LedgerEntry)} GROUP BY store_id, lot_id, item_id
            ON CONFLICT (store_id, lot_id)
            DO UPDATE SET on_hand = EXCLUDED.on_hand, reserved = EXCLUDED.reserved
            """
        )
        cursor.execute("ANALYZE")


OPEN_ORDER_INDEXES = [
    "CREATE INDEX bench_po_open ON inventory_purchaseorder (status) "
    "WHERE status IN ('ORDERED', 'PARTIALLY_RECEIVED')",
    "CREATE INDEX bench_so_open ON inventory_salesorder (status) "
    "WHERE status IN ('CONFIRMED', 'PARTIALLY_SHIPPED')",
]


def add_open_order_indexes() -> None:
    """The partial indexes proposed for the open-order counts (not in the schema yet)."""
    from django.db import connection

    with connection.cursor() as cursor:
        for statement in OPEN_ORDER_INDEXES:
            cursor.execute(statement)
        cursor.execute("ANALYZE inventory_purchaseorder, inventory_salesorder")


def counts() -> str:
    from inventory.models import LedgerEntry, PurchaseOrder, SalesOrder, StockBalance

    return (
        f"{LedgerEntry.objects.count():,} ledger rows, {PurchaseOrder.objects.count():,} POs, "
        f"{SalesOrder.objects.count():,} SOs, {StockBalance.objects.count():,} balances"
    )
