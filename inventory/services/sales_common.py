"""What the sales services share: results, the status machine, line checks, reads."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db.models import Sum
from django.utils import timezone

from inventory import rules
from inventory.exceptions import InvalidTransition, InventoryError, LineChecks
from inventory.models import SALES_TRANSITIONS, Item, LedgerEntry, SalesOrder, SalesOrderLine

from .posting import StockResult, require_active

Status = SalesOrder.Status
ZERO = Decimal("0")

TRANSITIONS = SALES_TRANSITIONS
# A customer return needs something shipped; it does not move the order's status.
RETURNABLE_STATUSES = {Status.PARTIALLY_SHIPPED, Status.SHIPPED, Status.CANCELLED}


@dataclass
class SalesResult:
    """The order a sales service acted on; `replayed` is True for a repeated form token."""

    order: SalesOrder
    stock: StockResult | None = None
    replayed: bool = False
    lines: list | None = None  # the lines written, when the service wrote the order


def check_transition(order: SalesOrder, to_status: str) -> None:
    if to_status not in TRANSITIONS[Status(order.status)]:
        raise InvalidTransition(order, order.status, to_status)


def set_status(order: SalesOrder, to_status: str) -> None:
    check_transition(order, to_status)
    # update() skips auto_now: the time of the change is set here.
    SalesOrder.objects.filter(pk=order.pk).update(status=to_status, updated_at=timezone.now())
    order.status = to_status


def clean_price(value, item: Item) -> Decimal:
    if value in (None, ""):
        return item.unit_price
    try:
        price = Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise InventoryError("Unit price must be a number.", field="unit_price") from None
    if not price.is_finite() or price < 0:
        raise InventoryError("Unit price cannot be negative.", field="unit_price")
    if price != price.quantize(rules.CENT) or price >= Decimal("10000000000"):
        raise InventoryError("Unit price must be a sum of money.", field="unit_price")
    return price


def clean_lines(lines) -> list[tuple[Item, Decimal, Decimal]]:
    """Return [(item, quantity, price)] for (item, quantity[, price]) lines, checked."""
    cleaned, checks = [], LineChecks()
    for index, line in enumerate(lines):
        item, quantity, *rest = line
        price = rest[0] if rest else None
        with checks.on_line(index):
            require_active(item, "Item", field_name="item")
            label = f"Quantity of {item.sku}"
            quantity = rules.clean_quantity(quantity, label=label, unit=item.unit)
            cleaned.append((item, quantity, clean_price(price, item)))
    checks.refuse()
    if not cleaned:
        raise InventoryError("Add at least one line to the order.")
    return cleaned


def require_active_items(lines) -> None:
    """Refuse to reserve a line whose item was deactivated after the draft was saved."""
    checks = LineChecks()
    for index, line in enumerate(lines):
        with checks.on_line(index):
            require_active(line.item, "Item", field_name="item")
    checks.refuse()


def clean_header(store, customer) -> None:
    require_active(store, "Store", field_name="store")
    if customer is not None:
        require_active(customer, "Customer", field_name="customer")


def lines_detail(lines) -> list[dict]:
    return [
        {
            "line": line.pk,
            "item": line.item.sku,
            "quantity": line.quantity,
            "unit_price": line.unit_price,
            "reserved": line.quantity_reserved,
            "shipped": line.quantity_shipped,
            "returned": line.quantity_returned,
        }
        for line in lines
    ]


def order_lines(order: SalesOrder) -> list[SalesOrderLine]:
    return list(order.lines.select_related("item").order_by("pk"))


def held_reservations(*, lines, item=None, store=None) -> dict:
    """Return {so_line_id: {lot_id: reserved}} held by the lines, in one query.

    With lines=None: the reservations of (item, store) held by no order line, under
    the key None.
    """
    if lines is None:
        rows = LedgerEntry.objects.filter(so_line__isnull=True, item=item, store=store)
    else:
        rows = LedgerEntry.objects.filter(so_line_id__in=[line.pk for line in lines])
    sums = (
        rows.exclude(reserved_delta=0)
        .values_list("so_line_id", "lot_id")
        .annotate(held=Sum("reserved_delta"))
        .order_by()
    )
    held = defaultdict(dict)
    for line_id, lot_id, quantity in sums:
        if quantity > 0:
            held[line_id][lot_id] = quantity
    return held


def replay_order(result: StockResult, fallback_pk=None) -> SalesOrder | None:
    """The order a replayed operation acted on (through its first ledger row)."""
    entry = result.operation.entries.select_related("so_line__order").first()
    if entry is not None and entry.so_line_id:
        return entry.so_line.order
    if fallback_pk is not None:
        return SalesOrder.objects.get(pk=fallback_pk)
    return None
