"""Find what a replayed draft submission created the first time.

A draft order writes no ledger row, so its operation groups nothing. The audit event
that records the creation names the operation in its details: that is the link back
from a repeated idempotency key to the order it created.
"""

from inventory.exceptions import InventoryError
from inventory.models import AuditEvent


def created_by_operation(model, *, action: str, operation):
    """Return the `model` row whose creation (audit `action`) claimed `operation`.

    The row comes back with `replayed = True`, so the caller can say it was already
    recorded instead of reporting a second success.
    """
    object_id = (
        AuditEvent.objects.filter(
            action=action,
            # Written after the operation, in the same transaction: the time bound lets
            # the database use the created_at index instead of reading every creation.
            created_at__gte=operation.created_at,
            details__operation=operation.pk,
        )
        .values_list("object_id", flat=True)
        .first()
    )
    found = model.objects.filter(pk=object_id).first() if object_id else None
    if found is None:
        raise InventoryError("This form was already used; reload the page.")
    found.replayed = True
    return found


def claim_draft(*, kind: str, actor, idempotency_key, model, action: str):
    """Claim a draft form's key, if it has one. Return (first order or None, details):
    the first order when the key was used (write nothing then), else the audit
    details that name the operation, so a replay can find this order."""
    from .posting import Posting

    if not idempotency_key:
        return None, {}
    posting = Posting(kind=kind, actor=actor, idempotency_key=idempotency_key)
    if replayed := posting.claim():
        return created_by_operation(model, action=action, operation=replayed.operation), {}
    return None, {"operation": posting.operation.pk}
