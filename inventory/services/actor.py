"""Who is acting and from where: passed by views into every service for the audit trail."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    user: object
    ip: str | None = None
    user_agent: str = ""

    @classmethod
    def from_request(cls, request) -> "Actor":
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        from django.conf import settings

        if forwarded and getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
            ip = forwarded.split(",")[0].strip()
        else:
            ip = request.META.get("REMOTE_ADDR") or None
        return cls(
            user=getattr(request, "user", None),
            ip=ip,
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
        )

    @classmethod
    def system(cls, user) -> "Actor":
        """An actor for commands and scripts, with no request behind them."""
        return cls(user=user, ip=None, user_agent="system")


def as_actor(actor) -> Actor:
    """Accept an Actor or a bare user (tests, commands)."""
    return actor if isinstance(actor, Actor) else Actor(user=actor)
