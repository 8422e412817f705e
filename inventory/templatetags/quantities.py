"""`{{ value|qty }}`: a quantity as every page and message shows it (inventory.quantities.fmt_qty).

3.000 shows as 3, 2.500 as 2.5, 2.0005 as 2.001: at most three decimals, no trailing
zeros, the same text the success and error messages use. Cheap enough for list pages
that show four quantities a row (no localisation machinery, unlike floatformat).
Loaded everywhere (TEMPLATES builtins).
"""

from decimal import InvalidOperation

from django import template

from inventory.quantities import fmt_qty

register = template.Library()


@register.filter(is_safe=True)
def qty(value) -> str:
    if value is None or value == "":
        return ""
    try:
        return fmt_qty(value)
    except (InvalidOperation, ValueError, TypeError):  # not a number: show nothing
        return ""
