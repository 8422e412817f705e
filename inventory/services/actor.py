"""Who is acting and from where: passed by views into every service for the audit trail."""

import hashlib
import ipaddress
import re
from dataclasses import dataclass

# Posted fields that are not what was typed: the tokens, and what the page showed of the
# document (its version, a shipment's reserved figures, a count sheet's expected ones),
# which a page opened again after the document moved shows anew.
NOT_CONTENT = re.compile(r"csrfmiddlewaretoken|idempotency_key|shown|expected_\d+")


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


def submission_of(request) -> str:
    """A hash of what a web form posted, its token and CSRF token aside, or "" for
    anything else (the API keeps its own request hashes). A double click or a retried
    post sends the same; a new sale typed into a form whose token was used does not."""
    if request.method != "POST" or request.content_type not in FORM_TYPES:
        return ""
    fields = sorted(
        (name, value)
        for name, values in request.POST.lists()
        if not NOT_CONTENT.fullmatch(name)
        for value in values
    )
    return hashlib.sha256(repr(fields).encode()).hexdigest()


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


@dataclass(frozen=True)
class Actor:
    user: object
    ip: str | None = None
    user_agent: str = ""
    submission: str = ""  # submission_of() the request

    @classmethod
    def from_request(cls, request) -> "Actor":
        return cls(
            user=getattr(request, "user", None),
            ip=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
            submission=submission_of(request),
        )

    @classmethod
    def system(cls, user) -> "Actor":
        """An actor for commands and scripts, with no request behind them."""
        return cls(user=user, ip=None, user_agent="system")


def as_actor(actor) -> Actor:
    """Accept an Actor or a bare user (tests, commands)."""
    return actor if isinstance(actor, Actor) else Actor(user=actor)
