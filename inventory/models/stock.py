"""Lots, balances and the append-only ledger that every stock figure comes from."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse

from inventory.quantities import fmt_qty

from .append_only import AppendOnlyModel
from .catalog import Item, Store, Supplier
from .fields import MoneyField, QuantityField


class QCStatus(models.TextChoices):
    QUARANTINE = "QUARANTINE", "Quarantine"
    APPROVED = "APPROVED", "Approved"
    REJECTED = "REJECTED", "Rejected"


class Lot(models.Model):
    """A batch of one item, valued at the cost of its receipt."""

    # Indexed by lot_code_ci_unique_per_item (item first): no index of its own.
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="lots", db_index=False)
    code = models.CharField(max_length=60)
    qc_status = models.CharField(max_length=10, choices=QCStatus.choices)
    expires_on = models.DateField(null=True, blank=True)
    unit_cost = MoneyField()
    supplier = models.ForeignKey(
        Supplier, on_delete=models.PROTECT, null=True, blank=True, related_name="lots"
    )
    received_at = models.DateTimeField()
    origin_lot = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="return_lots",
        help_text="For a lot of customer returns held for inspection: the lot they left.",
    )

    class Meta:
        ordering = ["item_id", "received_at", "pk"]
        constraints = [
            # Case-insensitive: "abc" and "ABC" are the same batch on the shelf.
            models.UniqueConstraint(
                "item",
                Lower("code"),
                name="lot_code_ci_unique_per_item",
                violation_error_message="This item already has a lot with that code.",
            ),
            models.CheckConstraint(
                condition=models.Q(qc_status__in=QCStatus.values), name="lot_qc_status_valid"
            ),
            models.CheckConstraint(condition=models.Q(unit_cost__gte=0), name="lot_cost_gte_0"),
        ]
        indexes = [models.Index(fields=["qc_status", "received_at"])]

    def __str__(self):
        return f"{self.code} ({self.get_qc_status_display()})"

    def get_absolute_url(self):
        return reverse("inventory:lot_detail", args=[self.pk])


class LotDecision(AppendOnlyModel):
    """One QC decision in a lot's history."""

    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="decisions")
    from_status = models.CharField(max_length=10, choices=QCStatus.choices)
    to_status = models.CharField(max_length=10, choices=QCStatus.choices)
    note = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.lot.code}: {self.from_status} -> {self.to_status}"


class StockBalance(models.Model):
    """Projection of the ledger per (store, lot); changed only by the stock services."""

    # store and item lead the unique (store, lot) and the (item, store) indexes; every
    # index costs each posting a write, so they have none of their own.
    store = models.ForeignKey(
        Store, on_delete=models.PROTECT, related_name="balances", db_index=False
    )
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="balances")
    item = models.ForeignKey(
        Item, on_delete=models.PROTECT, related_name="balances", db_index=False
    )
    on_hand = QuantityField()
    reserved = QuantityField()
    # Computed by the database. What the stocked-balances index keys on: it changes
    # only when stock reaches or leaves zero, so most balance updates stay HOT (no
    # new index entries); an index on on_hand itself would forbid that.
    has_stock = models.GeneratedField(
        expression=models.Q(on_hand__gt=0),
        output_field=models.BooleanField(),
        db_persist=True,
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["store", "lot"], name="balance_store_lot_unique"),
            models.CheckConstraint(
                condition=models.Q(reserved__gte=0), name="balance_reserved_gte_0"
            ),
            models.CheckConstraint(
                condition=models.Q(reserved__lte=models.F("on_hand")),
                name="balance_reserved_lte_on_hand",
            ),
        ]
        indexes = [
            models.Index(fields=["item", "store"]),
            # What a posting locks and reads: the pair's balances that hold stock.
            # Emptied lots stay (the ledger keeps them), so without it a posting
            # visits every lot the item ever had in the store.
            models.Index(
                fields=["item", "store"],
                condition=models.Q(has_stock=True),
                name="balance_stocked_item_store",
            ),
        ]

    def __str__(self):
        return (
            f"{self.store.code}/{self.lot.code}: {fmt_qty(self.on_hand)} "
            f"({fmt_qty(self.reserved)} reserved)"
        )

    @property
    def available(self):
        return self.on_hand - self.reserved


class Operation(AppendOnlyModel):
    """One stock operation (a submission): groups its ledger rows and holds the idempotency key.

    A transfer or an issue across several lots writes several ledger rows; the key
    that makes a retried submission a no-op belongs to the operation, once.
    """

    kind = models.CharField(max_length=40)
    # Unique by constraint (see Meta), not unique=True, which on PostgreSQL would add a
    # second, LIKE-pattern index that no query uses and every posting writes.
    idempotency_key = models.CharField(max_length=64, null=True, blank=True)
    # What a web form posted (Actor.submission): the same token sent again with other
    # content is not a replay of this one.
    submission = models.CharField(max_length=64, blank=True, default="")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(fields=["idempotency_key"], name="operation_key_unique")
        ]

    def __str__(self):
        return f"{self.kind} #{self.pk}"


class LedgerKind(models.TextChoices):
    RECEIVE = "RECEIVE", "Receive"
    RESERVE = "RESERVE", "Reserve"
    UNRESERVE = "UNRESERVE", "Unreserve"
    ISSUE = "ISSUE", "Issue"
    ADJUST = "ADJUST", "Adjust"
    TRANSFER_OUT = "TRANSFER_OUT", "Transfer out"
    TRANSFER_IN = "TRANSFER_IN", "Transfer in"
    RETURN = "RETURN", "Return"


class LedgerEntry(AppendOnlyModel):
    Kind = LedgerKind

    class Reason(models.TextChoices):
        COUNT = "COUNT", "Count correction"
        DAMAGE = "DAMAGE", "Damage"
        LOSS = "LOSS", "Loss"
        FOUND = "FOUND", "Found"
        WRITE_OFF = "WRITE_OFF", "Write-off"
        RETURN_TO_SUPPLIER = "RETURN_TO_SUPPLIER", "Return to supplier"
        REVERSAL = "REVERSAL", "Reversal"

    operation = models.ForeignKey(Operation, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    # item and store lead the (item, store) and (store, lot) indexes below.
    item = models.ForeignKey(
        Item, on_delete=models.PROTECT, related_name="ledger_entries", db_index=False
    )
    store = models.ForeignKey(
        Store, on_delete=models.PROTECT, related_name="ledger_entries", db_index=False
    )
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="ledger_entries")
    quantity = QuantityField()
    on_hand_delta = QuantityField()
    reserved_delta = QuantityField()
    unit_cost = MoneyField(help_text="The lot's cost, copied so movements can be valued alone.")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    po_line = models.ForeignKey(
        "inventory.PurchaseOrderLine",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_entries",
    )
    so_line = models.ForeignKey(
        "inventory.SalesOrderLine",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_entries",
    )
    reason = models.CharField(max_length=20, choices=Reason.choices, blank=True)
    note = models.TextField(blank=True)
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "ledger entries"
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="ledger_quantity_gt_0"),
            models.CheckConstraint(
                condition=models.Q(kind__in=LedgerKind.values),
                name="ledger_kind_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["item", "store"]),
            models.Index(fields=["store", "lot"]),
            models.Index(fields=["kind", "created_at"]),
            # The movements list filtered by item or by store, newest first, a keyset page
            # at a time: one range scan of a page's rows whatever the history.
            models.Index(fields=["item", "created_at"], name="ledger_item_created_idx"),
            models.Index(fields=["store", "created_at"], name="ledger_store_created_idx"),
        ]

    def __str__(self):
        return (
            f"#{self.pk} {self.kind} {fmt_qty(self.quantity)} {self.item.sku} @ {self.store.code}"
        )

    def get_absolute_url(self):
        return reverse("inventory:ledger_detail", args=[self.pk])


def sold_lot(field: str = "id"):
    """`field` of the lot a sales order's movement counts against: its own lot, except the
    RETURN that made a lot to inspect the goods (origin_lot; that lot's first row), which
    counts against the lot they were shipped from. A later return into such a lot, once
    it is sold again, is its own (found by a QA pass: it was credited to the origin, so a
    lot took back more than had left it). The return service and the delivery note read it.
    """
    made_by_this_row = ~models.Exists(
        LedgerEntry.objects.filter(lot=models.OuterRef("lot"), pk__lt=models.OuterRef("pk"))
    )
    return models.Case(
        models.When(
            models.Q(kind=LedgerKind.RETURN, lot__origin_lot__isnull=False) & made_by_this_row,
            then=models.F(f"lot__origin_lot__{field}"),
        ),
        default=models.F(f"lot__{field}"),
    )
