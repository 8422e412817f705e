"""Background work, queued through django-tasks (immediate by default, database with a worker)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django_tasks import task


def manager_emails() -> list[str]:
    """Return the addresses of every active Manager (superusers and Admins are not spammed).

    A shop with no Manager that has an address (an owner, a superuser, and till staff) would
    hear of low stock from no one: then every active Admin with an address is told instead.
    """
    active = get_user_model().objects.filter(is_active=True).exclude(email="")
    for who in (Q(groups__name="Manager"), Q(is_superuser=True) | Q(groups__name="Admin")):
        emails = sorted(set(active.filter(who).values_list("email", flat=True)))
        if emails:
            return emails
    return []


@task()
def send_low_stock_alert(alert_id: int) -> int:
    """Email every active Manager (else every Admin) that an item fell below its reorder
    level in a store.

    Return the number of emails sent (0 when the alert has resolved meanwhile).
    """
    from inventory.models import Alert
    from inventory.quantities import fmt_amount

    alert = Alert.objects.select_related("item", "store").filter(pk=alert_id).first()
    if alert is None or alert.status == Alert.Status.RESOLVED:
        return 0  # stock recovered before a worker picked the task up: nothing to say
    recipients = manager_emails()
    if not recipients:
        return 0
    item = alert.item
    subject = (
        f"{settings.LOW_STOCK_EMAIL_SUBJECT_PREFIX}Low stock: {item.sku} at {alert.store.name}"
    )
    body = (
        f"{item.sku} {item.name} is below its reorder level in {alert.store.name}.\n\n"
        f"Available: {fmt_amount(alert.available_at_open, item.unit)}\n"
        f"Reorder level: {fmt_amount(alert.reorder_level, item.unit)}\n"
    )
    if settings.SITE_URL:
        body += f"\nOpen alerts: {settings.SITE_URL}/alerts/\n"
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
