"""Who did what, when and from where: append-only like the ledger."""

from django.conf import settings
from django.db import models

from .append_only import AppendOnlyModel
from .catalog import Item, Store


class AuditEvent(AppendOnlyModel):
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
    )
    actor_username = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=60)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    details = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        # Plain indexes, not db_index=True, which on PostgreSQL adds a LIKE-pattern twin
        # to each: every posting writes an audit event, and no query uses LIKE here.
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["action"], name="audit_action_idx"),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_username} {self.action}"


class Alert(models.Model):
    """Low stock of one item in one store.

    Opened when available falls below the reorder level and no unresolved alert
    exists; acknowledging closes it for people, recovery resolves it. So a new
    alert opens once per crossing, not once per sale.
    """

    class Status(models.TextChoices):
        OPEN = "OPEN", "Open"
        ACKNOWLEDGED = "ACKNOWLEDGED", "Acknowledged"
        RESOLVED = "RESOLVED", "Resolved"

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="alerts")
    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="alerts")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    available_at_open = models.DecimalField(max_digits=14, decimal_places=3)
    reorder_level = models.DecimalField(max_digits=14, decimal_places=3)
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "store"],
                condition=~models.Q(status="RESOLVED"),
                name="alert_one_unresolved_per_item_store",
            )
        ]

    def __str__(self):
        return f"Low stock: {self.item.sku} at {self.store.code}"
