"""Purchase and sales orders. Status moves only through the services' transition tables."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse

from inventory.quantities import fmt_qty

from .catalog import Customer, Item, Store, Supplier
from .fields import MoneyField, QuantityField


class PurchaseStatus(models.TextChoices):
    DRAFT = "DRAFT", "Draft"
    ORDERED = "ORDERED", "Ordered"
    PARTIALLY_RECEIVED = "PARTIALLY_RECEIVED", "Partially received"
    RECEIVED = "RECEIVED", "Received"
    CANCELLED = "CANCELLED", "Cancelled"


class SalesStatus(models.TextChoices):
    DRAFT = "DRAFT", "Draft"
    CONFIRMED = "CONFIRMED", "Confirmed"
    PARTIALLY_SHIPPED = "PARTIALLY_SHIPPED", "Partially shipped"
    SHIPPED = "SHIPPED", "Shipped"
    CANCELLED = "CANCELLED", "Cancelled"


# The only moves an order can make: the services move orders along these and nothing
# else. A receipt or shipment that leaves something outstanding keeps a partial order
# where it is, hence the self-loops.
PURCHASE_TRANSITIONS: dict[str, set[str]] = {
    PurchaseStatus.DRAFT: {PurchaseStatus.ORDERED, PurchaseStatus.CANCELLED},
    PurchaseStatus.ORDERED: {
        PurchaseStatus.PARTIALLY_RECEIVED,
        PurchaseStatus.RECEIVED,
        PurchaseStatus.CANCELLED,
    },
    # Cancelling a partly received order closes it short: what came stays, the rest is
    # no longer expected (as a partly shipped sales order's rest is released).
    PurchaseStatus.PARTIALLY_RECEIVED: {
        PurchaseStatus.PARTIALLY_RECEIVED,
        PurchaseStatus.RECEIVED,
        PurchaseStatus.CANCELLED,
    },
    PurchaseStatus.RECEIVED: set(),
    PurchaseStatus.CANCELLED: set(),
}
SALES_TRANSITIONS: dict[str, set[str]] = {
    SalesStatus.DRAFT: {SalesStatus.CONFIRMED, SalesStatus.CANCELLED},
    SalesStatus.CONFIRMED: {
        SalesStatus.PARTIALLY_SHIPPED,
        SalesStatus.SHIPPED,
        SalesStatus.CANCELLED,
    },
    SalesStatus.PARTIALLY_SHIPPED: {
        SalesStatus.PARTIALLY_SHIPPED,
        SalesStatus.SHIPPED,
        SalesStatus.CANCELLED,
    },
    SalesStatus.SHIPPED: set(),
    SalesStatus.CANCELLED: set(),
}
EDITABLE_PURCHASE_STATUSES = [PurchaseStatus.DRAFT]


def _sources(transitions: dict[str, set[str]], target: str) -> list[str]:
    """The statuses that may move to `target`, in the order they are defined."""
    return [status for status, targets in transitions.items() if target in targets]


# Open orders can still be received or shipped. The partial indexes below hold exactly
# these rows, so a query filtering by any other list would silently stop using them.
OPEN_PURCHASE_STATUSES = _sources(PURCHASE_TRANSITIONS, PurchaseStatus.RECEIVED)
OPEN_SALES_STATUSES = _sources(SALES_TRANSITIONS, SalesStatus.SHIPPED)


def overdue_purchases(today) -> models.Q:
    """Purchase orders overdue on `today` (a local date): placed, not all received, and
    expected before today. A delivery expected today is not late yet."""
    return models.Q(status__in=OPEN_PURCHASE_STATUSES, expected_on__lt=today)


# Neither finished nor cancelled: what a customer's page counts as open.
UNFINISHED_SALES_STATUSES = [status for status, targets in SALES_TRANSITIONS.items() if targets]


class PurchaseOrder(models.Model):
    Status = PurchaseStatus

    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="purchase_orders")
    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="purchase_orders")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    expected_on = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=PurchaseStatus.values),
                name="po_status_valid",
            )
        ]
        indexes = [
            # Open orders are counted on every dashboard view; keep that off the full table.
            models.Index(
                fields=["status"],
                condition=models.Q(status__in=OPEN_PURCHASE_STATUSES),
                name="po_open_status_idx",
            ),
            # A supplier's page lists its newest orders a keyset page at a time.
            models.Index(fields=["supplier", "created_at"], name="po_supplier_created_idx"),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("inventory:purchase_detail", args=[self.pk])

    @property
    def status_label(self) -> str:
        """The status as people say it: a cancelled order that received something was
        closed short. Lists annotate `received_any` (selectors.purchasing.received_any)
        so that a page of orders asks nothing more; a lone order asks here."""
        if self.status != PurchaseStatus.CANCELLED:
            return self.get_status_display()
        received = getattr(self, "received_any", None)
        if received is None:
            received = self.lines.filter(quantity_received__gt=0).exists()
        return "Closed short" if received else self.get_status_display()

    @property
    def version(self) -> str:
        """What a page posts back to say which state of the order it showed."""
        return self.updated_at.isoformat()

    @property
    def number(self) -> str:
        return self.number_of(self.pk) if self.pk else "PO-(new)"

    @staticmethod
    def number_of(pk: int) -> str:
        """Return the number of the order with this primary key (PO-000123), for rows read
        as values without the order."""
        return f"PO-{pk:06d}"


class PurchaseOrderLine(models.Model):
    order = models.ForeignKey(PurchaseOrder, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="po_lines")
    quantity_ordered = QuantityField()
    unit_cost = MoneyField()
    quantity_received = QuantityField()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity_ordered__gt=0), name="pol_ordered_gt_0"
            ),
            models.CheckConstraint(condition=models.Q(unit_cost__gte=0), name="pol_cost_gte_0"),
            models.CheckConstraint(
                condition=models.Q(quantity_received__gte=0)
                & models.Q(quantity_received__lte=models.F("quantity_ordered")),
                name="pol_received_within_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.order.number} {self.item.sku} x {fmt_qty(self.quantity_ordered)}"

    @property
    def outstanding(self):
        """What is still expected: nothing once the order is cancelled or closed short."""
        if self.order.status == PurchaseStatus.CANCELLED:
            return Decimal("0")
        return self.quantity_ordered - self.quantity_received


class SalesOrder(models.Model):
    Status = SalesStatus

    customer = models.ForeignKey(
        Customer,
        on_delete=models.PROTECT,
        related_name="sales_orders",
        null=True,
        blank=True,
        help_text="Leave empty for a walk-in customer.",
    )
    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="sales_orders")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=SalesStatus.values),
                name="so_status_valid",
            )
        ]
        indexes = [
            models.Index(
                fields=["status"],
                condition=models.Q(status__in=OPEN_SALES_STATUSES),
                name="so_open_status_idx",
            ),
            # A customer's page: its newest orders a keyset page at a time, and its open
            # orders counted without reading the ones long shipped.
            models.Index(fields=["customer", "created_at"], name="so_customer_created_idx"),
            models.Index(
                fields=["customer"],
                condition=models.Q(status__in=UNFINISHED_SALES_STATUSES),
                name="so_customer_open_idx",
            ),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("inventory:sales_detail", args=[self.pk])

    @property
    def version(self) -> str:
        """What a page posts back to say which state of the order it showed."""
        return self.updated_at.isoformat()

    @property
    def number(self) -> str:
        return self.number_of(self.pk) if self.pk else "SO-(new)"

    @staticmethod
    def number_of(pk: int) -> str:
        """Return the number of the order with this primary key (SO-000123), for rows read
        as values without the order."""
        return f"SO-{pk:06d}"


class SalesOrderLine(models.Model):
    order = models.ForeignKey(SalesOrder, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="so_lines")
    quantity = QuantityField()
    unit_price = MoneyField()
    quantity_reserved = QuantityField()
    quantity_shipped = QuantityField()
    quantity_returned = QuantityField()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="sol_quantity_gt_0"),
            models.CheckConstraint(condition=models.Q(unit_price__gte=0), name="sol_price_gte_0"),
            models.CheckConstraint(
                condition=models.Q(quantity_reserved__gte=0)
                & models.Q(quantity_shipped__gte=0)
                & models.Q(quantity_returned__gte=0),
                name="sol_quantities_gte_0",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    quantity__gte=models.F("quantity_reserved") + models.F("quantity_shipped")
                ),
                name="sol_reserved_plus_shipped_lte_quantity",
            ),
            models.CheckConstraint(
                condition=models.Q(quantity_returned__lte=models.F("quantity_shipped")),
                name="sol_returned_lte_shipped",
            ),
        ]

    def __str__(self):
        return f"{self.order.number} {self.item.sku} x {fmt_qty(self.quantity)}"
