"""Write audit events in the caller's transaction."""

from decimal import Decimal

from inventory.models import AuditEvent

from .actor import Actor, as_actor

_AS_IS = {str, int, bool, float}


def _jsonable(value):
    if value is None or type(value) in _AS_IS:  # most details: no conversion
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    return value


def audit_values(*, actor: Actor, action: str, obj=None, details: dict | None = None) -> dict:
    """Return the audit event's column values: `actor` did `action` to `obj`."""
    actor = as_actor(actor)
    user = actor.user if getattr(actor.user, "is_authenticated", False) else None
    # __class__, not type(): a lazy object (request.user) reports the class it wraps.
    object_type = obj.__class__.__name__ if obj is not None else ""
    return {
        "actor_id": user.pk if user is not None else None,
        "actor_username": getattr(actor.user, "username", "") or "",
        "action": action,
        "object_type": object_type,
        "object_id": str(obj.pk) if obj is not None and obj.pk is not None else "",
        "object_repr": str(obj)[:200] if obj is not None else "",
        "details": _jsonable(details or {}),
        "ip_address": actor.ip,
        "user_agent": (actor.user_agent or "")[:300],
    }


def audit_record(*, actor: Actor, action: str, obj=None, details: dict | None = None) -> AuditEvent:
    """Record that `actor` did `action` to `obj`; details must say what changed."""
    return AuditEvent.objects.create(
        **audit_values(actor=actor, action=action, obj=obj, details=details)
    )


def model_changes(before: dict, after: dict) -> dict:
    """Return {field: [before, after]} for the fields whose value changed."""
    return {
        key: [_jsonable(before.get(key)), _jsonable(after[key])]
        for key in after
        if before.get(key) != after[key]
    }
