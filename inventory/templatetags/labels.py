"""Codes the history keeps (DRAFT, PARTIALLY_RECEIVED) in the words the pages use."""

import re

from django import template
from django.utils.html import format_html_join

from inventory.models import PurchaseOrder
from inventory.quantities import fmt_qty

register = template.Library()


@register.filter
def purchase_status(code) -> str:
    """`{{ "PARTIALLY_RECEIVED"|purchase_status }}` → "Partially received"; else as is."""
    try:
        return PurchaseOrder.Status(code).label
    except ValueError:
        return str(code)


QUANTITY_TEXT = re.compile(r"-?\d+\.\d{3}")  # how the history stores a Decimal(14,3)


def _plain(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, str) and QUANTITY_TEXT.fullmatch(value):
        return fmt_qty(value)
    if isinstance(value, dict):
        return ", ".join(f"{_words(k)} {_plain(v)}" for k, v in value.items())
    if isinstance(value, list):
        if len(value) == 2 and not any(isinstance(v, (dict, list)) for v in value):
            return f"{_plain(value[0])} → {_plain(value[1])}"  # a field's before and after
        return "; ".join(_plain(v) for v in value)
    return str(value)


def _words(key) -> str:
    return str(key).replace("_delta", " Δ").replace("_", " ")


@register.filter
def audit_details(details):
    """An event's details as lines a person reads: "on hand Δ -3.5", "name Old → New",
    instead of the stored dict (which the CSV export keeps as JSON)."""
    if not isinstance(details, dict) or not details:
        return ""
    return format_html_join(
        "",
        '<div><span class="text-body-secondary">{}</span> {}</div>',
        ((_words(k), _plain(v)) for k, v in details.items()),
    )
