"""Read one lot's page: what it is, where its stock is, where it went, what happened to it.

Every query is filtered by the lot, or by it and the lots made from it (the ledger's
lot_id index; the balances', decisions' and lots' own foreign keys to it), so the page
costs the same at a thousand ledger rows and at a million; the lists that grow with the
lot's own history are bounded, and so is how far down the lots made from it are followed.
"""

from collections.abc import Sequence
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
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from inventory.models import (
    LedgerEntry,
    Lot,
    LotDecision,
    PurchaseOrder,
    QCStatus,
    StockBalance,
)
from inventory.models.stock import sold_lot

from .purchasing import lot_stock

ZERO = Decimal("0")
CUSTOMERS_SHOWN = 50
DECISIONS_SHOWN = 50
MADE_SHOWN = 20
# How far down the lots made from a lot (and from those...) its page follows the batch.
DEPTH_FOLLOWED = 5
LOTS_FOLLOWED = 500
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


def lot_made_from(*, lot: Lot) -> dict:
    """Return the lots made from this one's stock (customer returns held for inspection,
    found or counted stock of it) and the lots made from those in turn, DEPTH_FOLLOWED
    levels deep and at most LOTS_FOLLOWED of them, shallowest and oldest first.

    {"lots": [{pk, code, qc_status, qc_label, depth, origin (the lot it was made from,
    None: this one), on_hand (all stores)}, ...], "on_hand": theirs together, "deeper":
    whether some lot made from them is not followed (past the last level, or past
    LOTS_FOLLOWED)}. Two queries: a UNION of one join chain per level, each walked down
    from this lot through the origin_lot index, then their balances through the
    balances' lot index (none without lots made from it).
    """
    levels = [
        Lot.objects.filter(**{"__".join(["origin_lot"] * depth): lot})
        .annotate(depth=Value(depth))
        .values("pk", "code", "qc_status", "origin_lot_id", "received_at", "depth")
        .order_by()
        # one level past the last followed: whether the chain goes deeper
        for depth in range(1, DEPTH_FOLLOWED + 2)
    ]
    found = list(
        levels[0]
        .union(*levels[1:], all=True)
        .order_by("depth", "received_at", "pk")[: LOTS_FOLLOWED + 1]
    )
    made = [m for m in found if m["depth"] <= DEPTH_FOLLOWED][:LOTS_FOLLOWED]
    on_hand = dict(
        StockBalance.objects.filter(lot_id__in=[m["pk"] for m in made])
        .values_list("lot_id")
        .annotate(Sum("on_hand"))
        .order_by()
    )
    by_pk = {m["pk"]: m for m in made}
    for m in made:
        m["origin"] = by_pk.get(m["origin_lot_id"])
        m["qc_label"] = QCStatus(m["qc_status"]).label
        m["on_hand"] = on_hand.get(m["pk"], ZERO)
    return {
        "lots": made,
        "on_hand": sum(on_hand.values(), ZERO),
        "deeper": len(made) < len(found),
    }


def lot_customers(
    *, lot: Lot, made: Sequence[dict] = (), limit: int = CUSTOMERS_SHOWN
) -> list[dict]:
    """Return who holds units of the batch, per customer (customer id None: walk-in
    sales), the most recent shipment first, at most `limit` + 1 rows (the extra one says
    there are more). `made`: the lots made from it (lot_made_from's), followed too.

    Each row: shipped (ISSUE rows on sales orders of the lot and of the lots made from
    it), returned (their RETURN rows, into any of those lots), net, the number of sales
    orders, the last shipment; `direct` (some shipped from the lot itself) and `via` (the
    newest lot made from it they were shipped from, None if none) with `via_more` (how
    many others). A customer is one row whichever lots their units left: a unit shipped
    from the lot, returned into a lot made from it and sold on to another customer counts
    once for each, net 0 for the first. What came back into this lot when it was made
    (from its origin's shipments) is not a return of its own. One aggregate over the
    lots' own rows (the lot_id index), whatever the size of the ledger.
    """
    family = [lot.pk, *(m["pk"] for m in made)]
    by_pk = {m["pk"]: m for m in made}
    issue = Q(kind=Kind.ISSUE)
    elsewhere = issue & ~Q(lot_id=lot.pk)
    # The lots as a subquery, read through the lot_id index lot by lot: a list of several
    # made PostgreSQL combine that index with the so_line and kind ones, half the ledger's
    # entries each (140 ms instead of 25 for five lots at a million rows).
    rows = (
        LedgerEntry.objects.filter(
            lot__in=Lot.objects.filter(pk__in=family).values("pk"), so_line__isnull=False
        )
        # A return counts where the goods had left (models.stock.sold_lot, as the return
        # service reads it): the one that made this lot counts against its origin.
        .alias(sold=sold_lot())
        .filter(issue | Q(kind=Kind.RETURN, sold__in=family))
        .values(customer_id=F("so_line__order__customer_id"))
        .annotate(
            customer_name=Max("so_line__order__customer__name"),
            shipped=Coalesce(Sum("quantity", filter=issue), ZERO),
            returned=Coalesce(Sum("quantity", filter=Q(kind=Kind.RETURN)), ZERO),
            orders=Count("so_line__order_id", distinct=True),
            last_shipped=Max("created_at", filter=issue),
            last_moved=Max("created_at"),
            direct=Count("pk", filter=issue & Q(lot_id=lot.pk)),
            via_lot=Max("lot_id", filter=elsewhere),
            via_lots=Count("lot_id", distinct=True, filter=elsewhere),
        )
        .order_by(F("last_shipped").desc(nulls_last=True), "-last_moved", "customer_id")
    )
    return [
        {
            **row,
            "net": row["shipped"] - row["returned"],
            "direct": row["direct"] > 0,
            "via": by_pk.get(row["via_lot"]),
            "via_more": max(row["via_lots"] - 1, 0),
        }
        for row in rows[: limit + 1]
    ]


def _flow_label(kind: str, on_order: bool, reason: str, *, into: str) -> str:
    if kind == Kind.RECEIVE:
        return "Received"
    if kind == Kind.ISSUE:
        return "Shipped to customers" if on_order else "Issued without an order"
    if kind == Kind.RETURN:
        return f"Returned by customers into {into}"
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
    return _flows(LedgerEntry.objects.filter(lot=lot), into="this lot")


def lot_made_flows(*, made: Sequence[dict]) -> list[dict]:
    """Return lot_flows' rows for the lots made from a lot (lot_made_from's) together:
    they add up to what those lots hold. One aggregate over their own rows (the lot_id
    index), apart from the lot's so that its own stays as fast; none without lots."""
    return _flows(LedgerEntry.objects.filter(lot__in=[m["pk"] for m in made]), into="them")


def _flows(entries, *, into: str) -> list[dict]:
    original_reason = Case(
        When(reverses__isnull=False, then=F("reverses__reason")), default=F("reason")
    )
    on_order = ExpressionWrapper(Q(so_line__isnull=False), output_field=BooleanField())
    rows = (
        entries.exclude(kind__in=NOT_A_FLOW)
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
        flow = merged.setdefault(key, {"label": _flow_label(*key, into=into), "net": ZERO})
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
