"""`Authorization: Bearer <token>` (or `Token <token>`) against the hashed API tokens."""

from datetime import timedelta

from django.utils import timezone
from rest_framework import authentication, exceptions

from accounts.roles import remember_role, role_rank

from .models import ApiToken
from .services import token_hash

KEYWORDS = {"bearer", "token"}
# last_used_at is written at most this often per token, not on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)
MAX_TOKEN_LENGTH = 200


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """Authenticate a request by its API token; refuse revoked, expired or deactivated ones."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower().decode("latin-1") not in KEYWORDS:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                "Send the token as `Authorization: Bearer <token>`, with no spaces in it."
            )
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("The token is not valid.") from None
        if len(raw) > MAX_TOKEN_LENGTH:
            raise exceptions.AuthenticationFailed("The token is not valid.")
        token = (
            ApiToken.objects.select_related("user")
            .annotate(role_rank=role_rank(ApiToken, "user"))
            .filter(key_hash=token_hash(raw), revoked_at__isnull=True)
            .first()
        )
        # One message for all: an attacker learns nothing about which tokens exist.
        if token is None or token.is_expired or not token.user.is_active:
            raise exceptions.AuthenticationFailed(
                "The token is not valid: unknown, revoked, expired, or its user is deactivated."
            )
        remember_role(token.user, token.role_rank)
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return token.user, token

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'
