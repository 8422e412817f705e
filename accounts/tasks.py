"""E-mails about accounts, sent after the change commits (django-tasks): Admins hear of a
sign-up waiting for them, the person hears when they were let in, and someone who forgot
their password gets a link to set a new one."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task

from .roles import Role, is_admin_q, user_role


def _link(path: str) -> str:
    """The page's address when SITE_URL is set, else where to find it in the menu."""
    return f"{settings.SITE_URL}{path}" if settings.SITE_URL else ""


@task()
def send_signup_notice(user_id: int) -> int:
    """E-mail every active Admin with an address that someone signed up and waits for a
    role. Return the number of e-mails sent (0 once they were let in or removed)."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or user_role(user) is not Role.NONE:
        return 0
    admins = get_user_model().objects.filter(is_admin_q(), is_active=True).exclude(email="")
    recipients = sorted(set(admins.values_list("email", flat=True)))
    if not recipients:
        return 0
    link = _link("/users/?pending=1") or "the Users page (in the menu, for Admins)"
    body = (
        f"{user.username} ({user.email or 'no e-mail address'}) signed up and is waiting "
        f"for a role.\n\nGive them one, or deactivate the account, on {link}.\n"
    )
    subject = f"{settings.LOW_STOCK_EMAIL_SUBJECT_PREFIX}New sign-up: {user.username}"
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)


@task()
def send_approval_notice(user_id: int) -> int:
    """E-mail a user who was just given their first role. Return the e-mails sent."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return 0
    role = user_role(user)
    if role is Role.NONE:
        return 0  # the role was taken back before the worker got here
    where = _link("/login/") or "the inventory"
    body = (
        f"Hello {user.username},\n\nyour account was approved with the {role.label} role. "
        f"You can sign in at {where}.\n"
    )
    subject = f"{settings.LOW_STOCK_EMAIL_SUBJECT_PREFIX}Your account was approved"
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


@task()
def send_password_reset(user_id: int, site_url: str) -> int:
    """E-mail a user a one-time link to set a new password (Django's token, made here so
    no token waits in the task queue). Return the e-mails sent: 0 when the account was
    deactivated, lost its address or its usable password since the request."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email or not user.has_usable_password():
        return 0
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    body = render_to_string(
        "accounts/password_reset_email.txt",
        {
            "user": user,
            "link": f"{site_url}{path}",
            "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        },
    )
    subject = f"{settings.LOW_STOCK_EMAIL_SUBJECT_PREFIX}Set a new password"
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
