"""`{{ value|qty }}`: a quantity as `floatformat:"-3"` shows it, for a tenth of its cost.

A whole number shows no decimals (3), anything else three (2.500), rounded half up.
List pages show four quantities a row, and Django's floatformat (localisation,
precision context) was a tenth of a page's CPU. Loaded everywhere (TEMPLATES builtins).
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.template.defaultfilters import floatformat

register = template.Library()
THOUSANDTH = Decimal("0.001")


@register.filter(is_safe=True)
def qty(value) -> str:
    if not isinstance(value, Decimal | int):
        return floatformat(value, "-3")  # strings, floats, None: Django's own answer
    try:
        number = Decimal(value)
        if number == number.to_integral_value():
            return str(int(number))
        rounded = number.quantize(THOUSANDTH, rounding=ROUND_HALF_UP)
        return f"{abs(rounded) if rounded == 0 else rounded:f}"  # never "-0.000"
    except (InvalidOperation, ValueError, OverflowError):  # NaN, Infinity
        return floatformat(value, "-3")
