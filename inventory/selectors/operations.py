"""What a submission recorded, found from its idempotency key."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.http import urlencode

from inventory.models import AuditEvent, Operation, PurchaseOrder, SalesOrder

# Draft orders write no ledger row; their creation's audit event names the operation.
_CREATED = {"sales_order.create": SalesOrder, "purchase_order.create": PurchaseOrder}


@dataclass(frozen=True)
class Recorded:
    """A document number (or None for bare movements) and the page that shows it."""

    number: str | None
    url: str


def recorded_for_key(key: str) -> Recorded | None:
    """Return what the submission with this key recorded, or None if nothing used it."""
    operation = Operation.objects.filter(idempotency_key=key).first() if key else None
    if operation is None:
        return None
    entry = (
        operation.entries.select_related("so_line__order", "po_line__order").order_by("pk").first()
    )
    if entry is not None and entry.so_line_id:
        return _order(entry.so_line.order)
    if entry is not None and entry.po_line_id:
        return _order(entry.po_line.order)
    if entry is not None:
        query = urlencode({"operation": operation.pk})
        return Recorded(number=None, url=f"{reverse('inventory:ledger_list')}?{query}")
    event = (
        AuditEvent.objects.filter(
            action__in=_CREATED,
            created_at__gte=operation.created_at,
            details__operation=operation.pk,
        )
        .only("action", "object_id")
        .first()
    )
    order = _CREATED[event.action].objects.filter(pk=event.object_id).first() if event else None
    return _order(order) if order is not None else None


def _order(order) -> Recorded:
    return Recorded(number=order.number, url=order.get_absolute_url())
