"""What the crash bench checks after the kill and restart: every answered success is in
the ledger with its exact quantities, and every document agrees with its ledger rows."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from . import harness
from .harness import say

ZERO = Decimal("0")
OP_KIND = {
    "sale": "SO_QUICK_SALE",
    "receive": "PO_RECEIVE",
    "direct": "PO_DIRECT",
    "transfer": "TRANSFER",
}


@dataclass
class Attempt:
    kind: str
    key: str
    outcome: str = "pending"  # success, refusal, lost, down, 5xx, other
    detail: str = ""
    started: float = 0.0
    after_restart: bool = False
    quantity: Decimal = ZERO  # what the form asked to move


# --- checks -------------------------------------------------------------------------


class Checks:
    def __init__(self):
        self.rows: list[tuple[str, int, list[str]]] = []

    def add(self, name: str, checked: int, failures: list[str]) -> None:
        self.rows.append((name, checked, failures))

    @property
    def ok(self) -> bool:
        return all(not failures for _, _, failures in self.rows)

    def show(self) -> None:
        say("checks:")
        for name, checked, failures in self.rows:
            mark = "OK  " if not failures else "FAIL"
            say(f"  {mark} {name}: {checked - len(failures)}/{checked}")
            for failure in failures[:10]:
                say(f"       {failure}")


def check_everything(attempts: list[Attempt]) -> Checks:
    from django.db.models import Count, Q, Sum

    from inventory.models import (
        LedgerEntry,
        Operation,
        PurchaseOrder,
        PurchaseOrderLine,
        SalesOrder,
        SalesOrderLine,
    )

    checks = Checks()
    clean, ledger_line = harness.verify_ledger()
    checks.add(f"verify_ledger ({ledger_line})", 1, [] if clean else [ledger_line])

    operations = {
        op.idempotency_key: op
        for op in Operation.objects.filter(
            idempotency_key__in=[a.key for a in attempts if a.key]
        ).annotate(
            rows=Count("entries"),
            issued=Sum("entries__quantity", filter=Q(entries__kind="ISSUE")),
            received=Sum("entries__quantity", filter=Q(entries__kind="RECEIVE")),
            moved_out=Sum("entries__quantity", filter=Q(entries__kind="TRANSFER_OUT")),
            moved_in=Sum("entries__quantity", filter=Q(entries__kind="TRANSFER_IN")),
        )
    }
    successes = [a for a in attempts if a.outcome == "success"]
    failures = []
    for a in successes:
        op = operations.get(a.key)
        if op is None:
            failures.append(f"{a.kind} {a.key}: answered success, no operation recorded")
            continue
        moved = {
            "sale": op.issued,
            "receive": op.received,
            "direct": op.received,
            "transfer": op.moved_in if op.moved_out == op.moved_in else None,
        }[a.kind]
        if op.kind != OP_KIND[a.kind] or op.rows == 0 or moved != a.quantity:
            failures.append(
                f"{a.kind} {a.key}: operation {op.kind} with {op.rows} ledger rows moved "
                f"{moved}, the form asked for {a.quantity}"
            )
    checks.add(
        "successes with their operation and the quantities they asked for in the ledger",
        len(successes),
        failures,
    )

    refusals = [a for a in attempts if a.outcome == "refusal"]
    failures = [f"{a.kind} {a.key}: refused but recorded" for a in refusals if a.key in operations]
    checks.add("refusals that left no operation", len(refusals), failures)

    # Purchase orders: status against lines, lines against RECEIVE rows.
    received = dict(
        LedgerEntry.objects.filter(kind="RECEIVE", po_line__isnull=False)
        .values_list("po_line_id")
        .annotate(q=Sum("on_hand_delta"))
    )
    lines_by_order = defaultdict(list)
    for line in PurchaseOrderLine.objects.all():
        lines_by_order[line.order_id].append(line)
    failures = []
    orders = list(PurchaseOrder.objects.all())
    for order in orders:
        lines = lines_by_order[order.pk]
        for line in lines:
            if line.quantity_received != received.get(line.pk, ZERO):
                failures.append(
                    f"{order.number} line {line.pk}: received {line.quantity_received}, "
                    f"RECEIVE rows {received.get(line.pk, ZERO)}"
                )
        got = sum((line.quantity_received for line in lines), ZERO)
        full = bool(lines) and all(
            line.quantity_received == line.quantity_ordered for line in lines
        )
        expected = {
            "DRAFT": got == 0,
            "ORDERED": got == 0,
            "CANCELLED": got == 0,
            "PARTIALLY_RECEIVED": got > 0 and not full,
            "RECEIVED": full,
        }.get(order.status, False)
        if not expected:
            failures.append(f"{order.number}: status {order.status} but {got} received")
    checks.add(
        "purchase orders consistent (status, lines, RECEIVE rows per line)", len(orders), failures
    )

    # Sales orders: line quantities against their ledger rows, status against lines.
    sums = {
        row["so_line_id"]: row
        for row in LedgerEntry.objects.filter(so_line__isnull=False)
        .values("so_line_id")
        .annotate(
            issued=Sum("on_hand_delta", filter=Q(kind="ISSUE")),
            returned=Sum("on_hand_delta", filter=Q(kind="RETURN")),
            reserved=Sum("reserved_delta"),
        )
    }
    lines_by_order = defaultdict(list)
    for line in SalesOrderLine.objects.all():
        lines_by_order[line.order_id].append(line)
    failures = []
    orders = list(SalesOrder.objects.all())
    for order in orders:
        lines = lines_by_order[order.pk]
        for line in lines:
            row = sums.get(line.pk, {})
            shipped = -(row.get("issued") or ZERO)
            returned = row.get("returned") or ZERO
            reserved = row.get("reserved") or ZERO
            if (line.quantity_shipped, line.quantity_returned, line.quantity_reserved) != (
                shipped,
                returned,
                reserved,
            ):
                failures.append(
                    f"{order.number} line {line.pk}: shipped/returned/reserved "
                    f"{line.quantity_shipped}/{line.quantity_returned}/{line.quantity_reserved}, "
                    f"ledger {shipped}/{returned}/{reserved}"
                )
        shipped_any = any(line.quantity_shipped > 0 for line in lines)
        all_shipped = bool(lines) and all(line.quantity_shipped == line.quantity for line in lines)
        all_reserved = bool(lines) and all(
            line.quantity_reserved + line.quantity_shipped == line.quantity for line in lines
        )
        nothing_held = all(line.quantity_reserved == 0 for line in lines)
        expected = {
            "DRAFT": nothing_held and not shipped_any,
            "CONFIRMED": all_reserved and not shipped_any,
            "PARTIALLY_SHIPPED": all_reserved and shipped_any and not all_shipped,
            "SHIPPED": all_shipped and nothing_held,
            "CANCELLED": nothing_held,
        }.get(order.status, False)
        if not expected:
            failures.append(f"{order.number}: status {order.status} disagrees with its lines")
    checks.add(
        "sales orders consistent (status, reserved, shipped, ISSUE/RETURN rows per line)",
        len(orders),
        failures,
    )

    # Transfers: what left one store arrived in the other, lot by lot.
    moved = defaultdict(lambda: [ZERO, ZERO])
    for op_id, kind, lot_id, quantity in LedgerEntry.objects.filter(
        kind__in=("TRANSFER_OUT", "TRANSFER_IN"), reverses__isnull=True
    ).values_list("operation_id", "kind", "lot_id", "quantity"):
        moved[(op_id, lot_id)][0 if kind == "TRANSFER_OUT" else 1] += quantity
    transfer_ops = {op for op, _ in moved}
    failures = [
        f"operation {op} lot {lot}: out {out} in {in_}"
        for (op, lot), (out, in_) in moved.items()
        if out != in_
    ]
    checks.add("transfers balanced (out == in per lot)", len(transfer_ops), failures)

    load_ops = Operation.objects.filter(kind__in=OP_KIND.values()).annotate(rows=Count("entries"))
    failures = [f"operation {op.pk} {op.kind}: no ledger rows" for op in load_ops if op.rows == 0]
    checks.add("operations of the load with ledger rows", len(load_ops), failures)
    return checks


# --- main ---------------------------------------------------------------------------
