"""`{{ value|qty }}`: a quantity as every page and message shows it (inventory.quantities.fmt_qty).

3.000 shows as 3, 2.500 as 2.5, 2.0005 as 2.001: at most three decimals, no trailing
zeros, the same text the success and error messages use. Cheap enough for list pages
that show four quantities a row (no localisation machinery, unlike floatformat).
Loaded everywhere (TEMPLATES builtins).
"""

from decimal import InvalidOperation

from django import template

from inventory.quantities import fmt_amount, fmt_qty

register = template.Library()


@register.filter(is_safe=True)
def qty(value) -> str:
    if value is None or value == "":
        return ""
    try:
        return fmt_qty(value)
    except (InvalidOperation, ValueError, TypeError):  # not a number: show nothing
        return ""


@register.filter(is_safe=True)
def amount(value, unit) -> str:
    """`{{ value|amount:item.unit }}`: "1 pc", "2 pcs", "3 kg" (fmt_amount)."""
    if value is None or value == "":
        return ""
    try:
        return fmt_amount(value, unit)
    except (InvalidOperation, ValueError, TypeError):
        return ""
