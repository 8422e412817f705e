"""Who did what, when and from where: append-only like the ledger."""

from django.conf import settings
from django.db import models

from .append_only import AppendOnlyModel
from .catalog import Item, Store

_CATALOG = {
    "item": "Item",
    "store": "Store",
    "category": "Category",
    "supplier": "Supplier",
    "customer": "Customer",
}
_CATALOG_CHANGES = {
    "create": "created",
    "update": "edited",
    "activate": "activated",
    "deactivate": "deactivated",
}

# What each audit action code means, in words, for pages people read (order history,
# the audit log). The code stays what is stored, filtered on and exported; every code a
# service records has a label here (inventory/tests/test_audit_action_labels.py).
ACTION_LABELS = {
    "purchase_order.create": "Purchase order created",
    "purchase_order.update": "Purchase order edited",
    "purchase_order.place": "Purchase order placed",
    "purchase_order.cancel": "Purchase order cancelled",
    "purchase_order.close_short": "Purchase order closed short, the rest no longer expected",
    "purchase_order.receive": "Goods received",
    "purchase_order.receipt_reverse": "Receipt reversed",
    "purchase_order.direct": "Direct purchase",
    "sales_order.create": "Sales order created",
    "sales_order.update": "Sales order edited",
    "sales_order.confirm": "Sales order confirmed, stock reserved",
    "sales_order.cancel": "Sales order cancelled",
    "sales_order.ship": "Shipped",
    "sales_order.return": "Customer return",
    "sales_order.quick_sale": "Quick sale",
    "stock.receive": "Stock received",
    "stock.reserve": "Stock reserved",
    "stock.unreserve": "Reservation released",
    "stock.issue": "Stock issued",
    "stock.adjust": "Stock adjusted",
    "stock.count": "Stock counted",
    "stock.transfer": "Stock transferred",
    "stock.reverse": "Movement reversed",
    "lot.approved": "Lot approved (QC)",
    "lot.rejected": "Lot rejected (QC)",
    "lot.quarantine": "Lot put back in quarantine (QC)",
    "lot.expiry": "Lot expiry date corrected",
    "alert.acknowledge": "Low-stock alert acknowledged",
    "api_token.create": "API token created",
    "api_token.revoke": "API token revoked",
    "user.register": "User registered",
    "user.set_role": "User role changed",
    "user.create": "User created",
    "user.update": "User edited",
    "user.activate": "User activated",
    "user.deactivate": "User deactivated",
    "user.password_set": "Password set by an admin",
    "user.password_change": "Password changed",
    "user.password_reset_request": "Password reset link e-mailed",
    "user.password_reset": "Password reset by e-mail link",
    "auth.login": "Signed in",
    "auth.logout": "Signed out",
    "auth.login_failed": "Sign-in failed",
    **{
        f"{model}.{change}": f"{name} {done}"
        for model, name in _CATALOG.items()
        for change, done in _CATALOG_CHANGES.items()
    },
}


def action_label(code: str) -> str:
    """Return the action code in words ("sales_order.quick_sale" -> "Quick sale").

    A code without a label (an older event) still reads as words, not as a code.
    """
    if code in ACTION_LABELS:
        return ACTION_LABELS[code]
    return code.replace("_", " ").replace(".", " ").strip().capitalize()


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

    @property
    def action_label(self) -> str:
        """The action in words for people; `action` keeps the code filters use."""
        return action_label(self.action)


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
