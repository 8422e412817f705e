"""Small helpers shared by the stock service tests: snapshots and balance figures."""

from decimal import Decimal

from inventory.models import AuditEvent, LedgerEntry, Lot, LotDecision, Operation, StockBalance


def D(value) -> Decimal:
    return Decimal(str(value))


def figures(*, store, lot) -> tuple[Decimal, Decimal]:
    """Return (on_hand, reserved) of one (store, lot) balance; (0, 0) when it has no row."""
    row = StockBalance.objects.filter(store=store, lot=lot).values("on_hand", "reserved").first()
    if row is None:
        return D(0), D(0)
    return row["on_hand"], row["reserved"]


def snapshot() -> dict:
    """Everything a refused operation must leave untouched."""
    return {
        "ledger": LedgerEntry.objects.count(),
        "operations": Operation.objects.count(),
        "decisions": LotDecision.objects.count(),
        "audit": AuditEvent.objects.count(),
        "balances": sorted(
            StockBalance.objects.values_list("store_id", "lot_id", "on_hand", "reserved")
        ),
        "lots": sorted(Lot.objects.values_list("pk", "qc_status")),
    }


def deltas(result) -> list[tuple]:
    """Return (kind, store code, lot code, quantity, on_hand_delta, reserved_delta) per entry."""
    return [
        (e.kind, e.store.code, e.lot.code, e.quantity, e.on_hand_delta, e.reserved_delta)
        for e in LedgerEntry.objects.filter(pk__in=[x.pk for x in result.entries])
        .select_related("store", "lot")
        .order_by("pk")
    ]


def receive(user, item, store, quantity, code, **kwargs) -> Lot:
    """Receive `quantity` into lot `code` and return the lot."""
    from inventory.services.stock import stock_receive

    stock_receive(actor=user, item=item, store=store, quantity=quantity, lot_code=code, **kwargs)
    return Lot.objects.get(item=item, code=code)
