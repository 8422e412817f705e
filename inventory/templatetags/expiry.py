"""Show a lot's expiry state: the rule is inventory.rules.is_expired, the window a setting."""

from datetime import timedelta

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from inventory import rules

register = template.Library()


@register.simple_tag
def expiry_badge(lot) -> str:
    """A badge for an expired lot, or one expiring within NEAR_EXPIRY_DAYS; else nothing."""
    if lot.expires_on is None:
        return ""
    today = timezone.localdate()
    if rules.is_expired(lot, today):
        return mark_safe('<span class="badge text-bg-danger">Expired</span>')  # noqa: S308 - constant
    if lot.expires_on <= today + timedelta(days=settings.NEAR_EXPIRY_DAYS):
        days = (lot.expires_on - today).days
        when = {0: "today", 1: "tomorrow"}.get(days, f"in {days} d")
        return format_html('<span class="badge text-bg-warning">Expires {}</span>', when)
    return ""
