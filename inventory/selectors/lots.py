"""Read one lot's page: what it is, where its stock is, where it went, what happened to it.

Every query is filtered by the lot (the ledger's lot_id index; the balances', decisions'
and lots' own foreign keys to it), so the page costs the same at a thousand ledger rows
and at a million; the lists that grow with the lot's own history are bounded.
"""

from decimal import Decimal

from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    Max,
    Q,
    Sum,
    When,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from inventory.models import LedgerEntry, Lot, LotDecision, PurchaseOrder

from .purchasing import lot_stock

ZERO = Decimal("0")
CUSTOMERS_SHOWN = 50
DECISIONS_SHOWN = 50
RETURN_LOTS_SHOWN = 20
Kind = LedgerEntry.Kind
Reason = LedgerEntry.Reason
# Reservations move no stock, and a transfer's two rows cancel out: neither says where
# the lot's stock came from or went.
NOT_A_FLOW = (Kind.RESERVE, Kind.UNRESERVE, Kind.TRANSFER_OUT, Kind.TRANSFER_IN)


def lot_detail(*, pk: int) -> Lot:
    """Return the lot with its item, supplier and the lot it came back from; 404 if missing."""
    return get_object_or_404(Lot.objects.select_related("item", "supplier", "origin_lot"), pk=pk)


def lot_purchase_orders(*, lot: Lot) -> list[dict]:
    """Return the purchase orders the lot was received on (number and id), oldest first."""
    order_ids = (
        LedgerEntry.objects.filter(lot=lot, kind=Kind.RECEIVE, po_line__isnull=False)
        .values_list("po_line__order_id", flat=True)
        .order_by("po_line__order_id")
        .distinct()
    )
    return [{"pk": pk, "number": PurchaseOrder.number_of(pk)} for pk in order_ids]


def lot_stock_valued(*, lot: Lot) -> dict:
    """Return the lot's balances by store (lot_stock), each valued at the lot's cost, and
    their totals."""
    balances = lot_stock(lot)
    for balance in balances:
        balance.value = balance.on_hand * lot.unit_cost
    return {
        "balances": balances,
        "on_hand": sum((b.on_hand for b in balances), ZERO),
        "reserved": sum((b.reserved for b in balances), ZERO),
        "value": sum((b.value for b in balances), ZERO),
    }


def lot_return_lots(*, lot: Lot, limit: int = RETURN_LOTS_SHOWN) -> list[Lot]:
    """Return up to `limit` + 1 lots made from this one's stock (customer returns held for
    inspection, found or counted stock of it), oldest first: the extra one says there are more."""
    return list(
        lot.return_lots.only("code", "qc_status", "received_at").order_by("received_at", "pk")[
            : limit + 1
        ]
    )


def lot_customers(*, lot: Lot, limit: int = CUSTOMERS_SHOWN) -> list[dict]:
    """Return who received the lot, per customer (customer id None: walk-in sales), the
    most recent shipment first, at most `limit` + 1 rows (the extra one says there are more).

    Each row: shipped (ISSUE rows of the lot on sales orders), returned (their RETURN rows,
    into the lot itself or into a lot made from it to be inspected), net, the number of
    sales orders and the last shipment. One aggregate over the lot's own rows (the lot_id
    index), whatever the size of the ledger. (A lot made from this one and sold again is
    not followed: its sales are on its own page.)
    """
    # The lot and the lots made from it, as one IN (...) on lot_id: an OR of the two made
    # PostgreSQL scan every sales movement for them (300 ms at a million rows).
    lots = Lot.objects.filter(Q(pk=lot.pk) | Q(origin_lot=lot)).values("pk")
    rows = (
        LedgerEntry.objects.filter(lot__in=lots, so_line__isnull=False)
        .filter(Q(kind=Kind.RETURN) | Q(kind=Kind.ISSUE, lot=lot))
        .values(customer_id=F("so_line__order__customer_id"))
        .annotate(
            customer_name=Max("so_line__order__customer__name"),
            shipped=Coalesce(Sum("quantity", filter=Q(kind=Kind.ISSUE)), ZERO),
            returned=Coalesce(Sum("quantity", filter=Q(kind=Kind.RETURN)), ZERO),
            orders=Count("so_line__order_id", distinct=True),
            last_shipped=Max("created_at", filter=Q(kind=Kind.ISSUE)),
            last_moved=Max("created_at"),
        )
        .order_by(F("last_shipped").desc(nulls_last=True), "-last_moved", "customer_id")
    )
    return [{**row, "net": row["shipped"] - row["returned"]} for row in rows[: limit + 1]]


def _flow_label(kind: str, on_order: bool, reason: str) -> str:
    if kind == Kind.RECEIVE:
        return "Received"
    if kind == Kind.ISSUE:
        return "Shipped to customers" if on_order else "Issued without an order"
    if kind == Kind.RETURN:
        return "Returned by customers into this lot"
    return Reason(reason).label if reason in Reason.values else Kind(kind).label


# The order the rows are listed in: stock in, stock to customers, then adjustments.
_FLOW_ORDER = [Kind.RECEIVE, Kind.ISSUE, Kind.RETURN, Kind.ADJUST]


def lot_flows(*, lot: Lot) -> list[dict]:
    """Return the lot's stock changes summed by what moved them: received, shipped to
    customers, returned, issued without an order, and each reason of adjustment (a
    write-off, a return to the supplier...). A reversal counts under what it reverses.
    Transfers and reservations are left out, so the rows add up to the lot's on hand.

    Each row: label and net (the signed on-hand change). One aggregate over the lot's own
    rows.
    """
    original_reason = Case(
        When(reverses__isnull=False, then=F("reverses__reason")), default=F("reason")
    )
    on_order = ExpressionWrapper(Q(so_line__isnull=False), output_field=BooleanField())
    rows = (
        LedgerEntry.objects.filter(lot=lot)
        .exclude(kind__in=NOT_A_FLOW)
        .values("kind", on_order=on_order, original_reason=original_reason)
        .annotate(net=Sum("on_hand_delta"))
        .order_by()
    )
    merged: dict[tuple, dict] = {}
    for row in rows:
        kind = row["kind"]
        key = (
            kind,
            row["on_order"] if kind == Kind.ISSUE else False,
            row["original_reason"] if kind == Kind.ADJUST else "",
        )
        flow = merged.setdefault(key, {"label": _flow_label(*key), "net": ZERO})
        flow["net"] += row["net"]
    rank = {reason: n for n, reason in enumerate(["", *Reason.values])}
    # Received, shipped on orders, issued without one, returned, then each adjustment reason.
    return [
        merged[key]
        for key in sorted(
            merged, key=lambda k: (_FLOW_ORDER.index(k[0]), not k[1], rank.get(k[2], len(rank)))
        )
    ]


def lot_decisions(*, lot: Lot, limit: int = DECISIONS_SHOWN) -> list[LotDecision]:
    """Return the lot's QC decisions, newest first, at most `limit`."""
    return list(
        LotDecision.objects.filter(lot=lot)
        .select_related("actor")
        .order_by("-created_at", "-pk")[:limit]
    )


def lot_movements(*, lot: Lot):
    """Return the lot's movements for a keyset page, newest first.

    Filtered by item too: by lot alone, PostgreSQL reads a page by walking the whole
    ledger's created_at index for the lot's rows; with the item it walks the item's rows
    in the (item, created_at) index at worst, or reads the lot's through its own index.
    """
    return LedgerEntry.objects.filter(item_id=lot.item_id, lot=lot).select_related("store", "actor")
