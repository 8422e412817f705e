"""Who is acting and from where: passed by views into every service for the audit trail."""

import ipaddress
from dataclasses import dataclass


def _valid_ip(value) -> str | None:
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """Return the client's address, trusting X-Forwarded-For only behind our own proxies.

    With BEHIND_PROXY each of our AXES_PROXY_COUNT proxies (1 by default) appends the
    address it saw, so the client is that many entries from the right; anything further
    left came from the client and can be forged. Unparsable values are ignored (the
    audit column is an IP address type on PostgreSQL).
    """
    from django.conf import settings

    remote = _valid_ip(request.META.get("REMOTE_ADDR"))
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not forwarded or not getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        return remote
    hops = [hop.strip() for hop in forwarded.split(",")]
    count = getattr(settings, "AXES_IPWARE_PROXY_COUNT", None) or 1
    if len(hops) < count:
        return remote
    return _valid_ip(hops[-count]) or remote


@dataclass(frozen=True)
class Actor:
    user: object
    ip: str | None = None
    user_agent: str = ""

    @classmethod
    def from_request(cls, request) -> "Actor":
        return cls(
            user=getattr(request, "user", None),
            ip=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
        )

    @classmethod
    def system(cls, user) -> "Actor":
        """An actor for commands and scripts, with no request behind them."""
        return cls(user=user, ip=None, user_agent="system")


def as_actor(actor) -> Actor:
    """Accept an Actor or a bare user (tests, commands)."""
    return actor if isinstance(actor, Actor) else Actor(user=actor)
