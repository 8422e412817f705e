"""Record logins, failed logins and logouts in the audit trail."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from inventory.services.actor import Actor
from inventory.services.audit import audit_record

from .backends import user_for_sign_in


def _actor(request, user):
    if request is None:
        return Actor(user=user)
    actor = Actor.from_request(request)
    return Actor(user=user, ip=actor.ip, user_agent=actor.user_agent)


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    audit_record(actor=_actor(request, user), action="auth.login", obj=user)


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_record(actor=_actor(request, user), action="auth.logout", obj=user)


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs):
    # The account's own spelling when the name typed ("ANNA") is one's in another case.
    typed = str(credentials.get("username", ""))[:150]
    user = user_for_sign_in(typed) if typed else None
    username = user.get_username() if user is not None else typed
    actor = _actor(request, None)
    audit_record(
        actor=Actor(user=None, ip=actor.ip, user_agent=actor.user_agent),
        action="auth.login_failed",
        details={"username": username},
    )
