"""API token services: create (the raw token is returned once) and revoke, both audited."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.roles import Role, user_role
from inventory.exceptions import InventoryError
from inventory.services.actor import as_actor
from inventory.services.audit import audit_record

from .models import ApiToken

TOKEN_PREFIX = "inv_"
MAX_TOKENS_PER_USER = 20


def token_hash(raw: str) -> str:
    """Return the SHA-256 of a raw token: what the database keeps instead of the token."""
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    raw: str  # shown to the user once, never stored


def api_token_create(*, actor, name: str, expires_at: datetime | None = None) -> NewToken:
    """Create a named token for the acting user; refuse a blank name or a past expiry."""
    actor = as_actor(actor)
    name = (name or "").strip()
    if not name:
        raise InventoryError("Give the token a name.", field="name")
    if expires_at is not None and expires_at <= timezone.now():
        raise InventoryError("The expiry must be in the future.", field="expires_at")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        live = ApiToken.objects.filter(user=actor.user, revoked_at__isnull=True).count()
        if live >= MAX_TOKENS_PER_USER:
            raise InventoryError(
                f"You already have {live} tokens; revoke one you no longer use first."
            )
        token = ApiToken.objects.create(
            user=actor.user,
            name=name[:100],
            key_hash=token_hash(raw),
            prefix=raw[: len(TOKEN_PREFIX) + 4],
            expires_at=expires_at,
        )
        audit_record(
            actor=actor,
            action="api_token.create",
            obj=token,
            details={"name": token.name, "expires_at": expires_at},
        )
    return NewToken(token=token, raw=raw)


def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """Revoke a token for good; it stops working at once. Users revoke their own; an
    Admin any user's (a till's token lost with the till, a leaver's)."""
    actor = as_actor(actor)
    if token.user_id != actor.user.pk and user_role(actor.user) < Role.ADMIN:
        raise InventoryError(f"Token {token.name} is another user's; only an Admin can revoke it.")
    scope = Q() if user_role(actor.user) >= Role.ADMIN else Q(user=actor.user)
    with transaction.atomic():
        updated = ApiToken.objects.filter(scope, pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if not updated:
            raise InventoryError(f"Token {token.name} is already revoked.")
        token.refresh_from_db()
        audit_record(actor=actor, action="api_token.revoke", obj=token, details={})
    return token
