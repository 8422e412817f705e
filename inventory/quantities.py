"""How a quantity reads to a person: one formatter for pages, messages and history."""

from contextlib import suppress
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

THOUSANDTH = Decimal("0.001")


def fmt_qty(value) -> str:
    """Return a quantity as every page, message and history line shows it: 3.000 as 3,
    2.500 as 2.5, -3.500 as -3.5.

    At most three decimals (the columns' places, rounded half up), no trailing zeros, no
    thousands separator, never "-0". The `qty` template filter returns the same text.
    Money is not a quantity: it keeps its two decimals (floatformat:2).
    """
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    if not number.is_finite():
        return str(number)
    # More digits than the decimal context holds: shown as it is.
    with suppress(InvalidOperation):
        number = number.quantize(THOUSANDTH, rounding=ROUND_HALF_UP)
    if number == 0:
        return "0"
    text = f"{number:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


# Units that read differently for one: "1 pc", "2 pcs", "1 box", "2 boxes". The others
# (kg, l, m) are symbols and never change.
UNIT_FORMS = {"pcs": ("pc", "pcs"), "box": ("box", "boxes")}


def fmt_amount(value, unit: str) -> str:
    """A quantity with its unit, as messages and pages say it: "1 pc", "2.5 boxes",
    "3 kg". The `amount` template filter returns the same text."""
    text = fmt_qty(value)
    one, many = UNIT_FORMS.get(unit, (unit, unit))
    return f"{text} {one if text in ('1', '-1') else many}"
