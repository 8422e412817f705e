"""Show a lot's expiry state: the rule is inventory.rules.is_past, the window a setting.

Every page words it the same way ("Expired", "Expires today", "Expires tomorrow",
"Expires in 5 d"): the item, stock and count pages, the QC queue and the dashboard.
"""

from datetime import timedelta

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from inventory import rules

register = template.Library()


@register.simple_tag
def expiry_badge_on(expires_on) -> str:
    """A badge for an expiry date already past, or within NEAR_EXPIRY_DAYS; else nothing."""
    if expires_on is None:
        return ""
    today = timezone.localdate()
    if rules.is_past(expires_on, today):
        return mark_safe('<span class="badge text-bg-danger">Expired</span>')  # noqa: S308 - constant
    if expires_on <= today + timedelta(days=settings.NEAR_EXPIRY_DAYS):
        days = (expires_on - today).days
        when = {0: "today", 1: "tomorrow"}.get(days, f"in {days} d")
        return format_html('<span class="badge text-bg-warning">Expires {}</span>', when)
    return ""


@register.simple_tag
def expiry_badge(lot) -> str:
    """The badge of `lot`'s expiry date (expiry_badge_on)."""
    return expiry_badge_on(lot.expires_on)
