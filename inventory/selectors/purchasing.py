"""Read purchase orders, their receipts and history, and the QC queue (a constant few queries)."""

from datetime import timedelta
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone

from accounts.roles import Role, user_role
from inventory.models import (
    EDITABLE_PURCHASE_STATUSES,
    OPEN_PURCHASE_STATUSES,
    PURCHASE_TRANSITIONS,
    AuditEvent,
    LedgerEntry,
    Lot,
    LotDecision,
    PurchaseOrder,
    PurchaseOrderLine,
    QCStatus,
    StockBalance,
)
from inventory.models.orders import overdue_purchases

from . import money
from .sales import start_of_day
from .stock import stock_available_by_pair

ZERO = Decimal("0")
MONEY = DecimalField(max_digits=18, decimal_places=2)


def line_value(*, lines: str = "", status: str = "order__status"):
    """A purchase line's value (`money.line_value`): once cancelled, what was received."""
    return money.line_value(
        ordered="quantity_ordered",
        moved="quantity_received",
        price="unit_cost",
        cancelled=PurchaseOrder.Status.CANCELLED,
        lines=lines,
        status=status,
    )


LINE_VALUE = line_value()


def received_any() -> Exists:
    """Whether an order has received anything: a cancelled one that has was closed short
    (PurchaseOrder.status_label reads this annotation)."""
    return Exists(PurchaseOrderLine.objects.filter(order=OuterRef("pk"), quantity_received__gt=0))


# The order list's "To receive" status filter: what a receipt can still arrive against.
TO_RECEIVE = "TO_RECEIVE"
# Its "Overdue" one: of those, the ones expected before today (models.orders).
OVERDUE = "OVERDUE"


def overdue():
    """Whether an order is overdue today, as an annotation (models.orders.overdue_purchases)."""
    return ExpressionWrapper(overdue_purchases(timezone.localdate()), output_field=BooleanField())


def _per_order(aggregate, output_field):
    """A subquery of one figure over the order's lines (read for the page's rows only)."""
    lines = (
        PurchaseOrderLine.objects.filter(order=OuterRef("pk"))
        .order_by()
        .values("order")
        .annotate(figure=aggregate)
        .values("figure")[:1]
    )
    return Subquery(lines, output_field=output_field)


def purchase_order_list(
    *, status=None, supplier=None, store=None, date_from=None, date_to=None, search=None
):
    """Return orders newest first with supplier, store, line count and value (one query).

    The line count and value are subqueries per row, not a GROUP BY over every order's
    lines, so a page costs the same at 50 orders and at 50,000. Dates are whole local
    days turned into created_at bounds, which the created_at index serves.
    """
    qs = PurchaseOrder.objects.select_related("supplier", "store", "created_by")
    if status == TO_RECEIVE:
        qs = qs.filter(status__in=OPEN_PURCHASE_STATUSES)
    elif status == OVERDUE:
        qs = qs.filter(overdue_purchases(timezone.localdate()))
    elif status:
        qs = qs.filter(status=status)
    if supplier is not None:
        qs = qs.filter(supplier=supplier)
    if store is not None:
        qs = qs.filter(store=store)
    if date_from is not None:
        qs = qs.filter(created_at__gte=start_of_day(date_from))
    if date_to is not None:
        qs = qs.filter(created_at__lt=start_of_day(date_to + timedelta(days=1)))
    return qs.annotate(
        received_any=received_any(),
        overdue=overdue(),
        line_count=Coalesce(_per_order(Count("pk"), None), Value(0)),
        value=Coalesce(_per_order(Sum(LINE_VALUE), MONEY), Value(ZERO), output_field=MONEY),
    ).order_by("-created_at", "-pk")


def purchase_order_detail(*, pk) -> PurchaseOrder:
    """Return the order with supplier, store and creator; raise DoesNotExist if missing."""
    return (
        PurchaseOrder.objects.select_related("supplier", "store", "created_by")
        .annotate(overdue=overdue())
        .get(pk=pk)
    )


def purchase_order_lines(*, order) -> list[PurchaseOrderLine]:
    """Return the lines with their value and the item's available stock in the order's store."""
    lines = list(order.lines.select_related("item").annotate(value=LINE_VALUE).order_by("pk"))
    available = stock_available_by_pair(pairs={(line.item_id, order.store_id) for line in lines})
    for line in lines:
        line.available = available.get((line.item_id, order.store_id), ZERO)
    return lines


def purchase_order_value(lines) -> Decimal:
    return sum((line.value for line in lines), ZERO)


def purchase_order_receipts(*, order):
    """Return the order's RECEIVE movements with their lots, oldest first."""
    return (
        LedgerEntry.objects.filter(po_line__order=order, kind=LedgerEntry.Kind.RECEIVE)
        .select_related("lot", "item", "store", "actor")
        .order_by("created_at", "pk")
    )


def purchase_order_history(*, order):
    """Return the audit events recorded against the order, oldest first."""
    return AuditEvent.objects.filter(object_type="PurchaseOrder", object_id=str(order.pk)).order_by(
        "created_at", "pk"
    )


def purchase_order_actions(*, order, user) -> set[str]:
    """Return the actions this user may take on the order now: edit, place, cancel, receive."""
    role, targets = user_role(user), PURCHASE_TRANSITIONS[order.status]
    actions = set()
    if role >= Role.STAFF and order.status in OPEN_PURCHASE_STATUSES:
        actions.add("receive")
    if role >= Role.MANAGER:
        if order.status in EDITABLE_PURCHASE_STATUSES:
            actions.add("edit")
        if PurchaseOrder.Status.ORDERED in targets:
            actions.add("place")
        if PurchaseOrder.Status.CANCELLED in targets:
            actions.add("cancel")
    return actions


def awaiting_qc(store=None):
    """QUARANTINE lots with stock on hand (in `store`): what waits for a decision. A lot
    emptied meanwhile (its receipt reversed, all of it written off) waits for nothing."""
    stocked = {"balances__on_hand__gt": 0}
    if store is not None:
        stocked["balances__store"] = store  # the same balance: one join
    return Lot.objects.filter(qc_status=QCStatus.QUARANTINE, **stocked)


def qc_queue():
    """Return QUARANTINE lots, oldest first, with on-hand quantity, stores and age in days.

    A queryset of constant queries: lots with item and supplier, plus one prefetch of
    their balances with stock.
    """
    balances = (
        StockBalance.objects.filter(on_hand__gt=0)
        .select_related("store")
        .order_by(Lower("store__code"))
    )
    return (
        awaiting_qc()
        .select_related("item", "supplier")
        .annotate(
            on_hand=Coalesce(
                Sum("balances__on_hand"),
                Value(ZERO),
                output_field=DecimalField(max_digits=14, decimal_places=3),
            )
        )
        .prefetch_related(Prefetch("balances", queryset=balances, to_attr="stocked"))
        .order_by("received_at", "pk")
    )


def with_age(lots, *, today=None):
    """Set `age_days` on each lot of a page: whole days since it was received."""
    today = today or timezone.localdate()
    for lot in lots:
        lot.age_days = (today - timezone.localtime(lot.received_at).date()).days
    return lots


def recent_lot_decisions(*, limit: int = 20):
    return LotDecision.objects.select_related("lot__item", "actor").order_by("-created_at", "-pk")[
        :limit
    ]


def lot_stock(lot):
    """Return the lot's balances that hold stock or reservations, by store code."""
    return list(
        StockBalance.objects.filter(Q(on_hand__gt=0) | Q(reserved__gt=0), lot=lot)
        .select_related("store")
        .order_by(Lower("store__code"))
    )
