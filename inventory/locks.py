"""Every row lock the services take, in one global order.

Order: the document row (purchase or sales order), then the store a draft opens in,
then lot rows, then balance rows by primary key. Services call these helpers instead
of select_for_update() so that two services can never wait on each other in opposite
orders. On SQLite the transactions are IMMEDIATE, so writers are serialised and these
are no-ops.

A document takes its locks through inventory.services.posting.Posting.lock():
one statement per table, whatever its number of lines.
"""

from inventory.models import Lot, PurchaseOrder, SalesOrder, StockBalance, Store


def lock_purchase_order(pk) -> PurchaseOrder:
    return (
        PurchaseOrder.objects.select_for_update(of=("self",))
        .select_related("supplier", "store")
        .get(pk=pk)
    )


def lock_sales_order(pk) -> SalesOrder:
    return (
        SalesOrder.objects.select_for_update(of=("self",))
        .select_related("customer", "store")
        .get(pk=pk)
    )


def lock_store(pk) -> Store:
    """Lock the store a draft opens in (and re-read it). Closing a store locks it too,
    then looks for unfinished orders: so either the close sees the draft and is refused,
    or the draft sees the store closed. FOR NO KEY UPDATE, as lock_lot: the foreign-key
    checks of rows naming the store must not wait on it."""
    return Store.objects.select_for_update(no_key=True).get(pk=pk)


def lock_lot(pk) -> Lot:
    """Lock a lot for a QC decision (or a receipt into it).

    FOR NO KEY UPDATE, not FOR UPDATE: every ledger row inserted for the lot takes
    FOR KEY SHARE on it (the foreign key check), which FOR UPDATE would block. A stock
    service holding a balance lock would then wait on the lot while the QC decision
    holding the lot waits on the balance: a deadlock, seen on PostgreSQL.
    """
    return (
        Lot.objects.select_for_update(of=("self",), no_key=True).select_related("item").get(pk=pk)
    )


def lock_lots(pks) -> dict:
    """Lock lots (a receipt into them, an adjustment) in primary-key order; by pk.

    FOR NO KEY UPDATE, as lock_lot: ledger inserts' foreign-key checks must not wait.
    """
    rows = (
        Lot.objects.filter(pk__in=set(pks))
        .select_for_update(of=("self",), no_key=True)
        .order_by("pk")
    )
    return {lot.pk: lot for lot in rows}


def lock_balances(queryset) -> list[StockBalance]:
    """Lock the balances the queryset selects, in primary-key order, and return them fresh."""
    return list(
        queryset.select_for_update(of=("self",)).select_related("store", "item").order_by("pk")
    )
