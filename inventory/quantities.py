"""How a quantity reads to a person: one formatter for pages, messages and history, and
the words for a number typed otherwise than plainly."""

import re
from contextlib import suppress
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

THOUSANDTH = Decimal("0.001")

# What a person types for a number: ASCII digits, one optional point, an optional minus.
# Python's Decimal also reads "1_000", "1e3", "+1" and other scripts' digits ("١٢"), so a
# typo such as "1_0" would have been taken as 10.
PLAIN_NUMBER = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)", re.ASCII)
EXPONENT = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)[eE][-+]?[0-9]+", re.ASCII)
# The minus sign (U+2212), dashes and full-width hyphens a keyboard or a copy may give.
MINUS_LOOKALIKES = str.maketrans(dict.fromkeys("\u2212\u2012\u2013\u2014\ufe63\uff0d", "-"))
MAX_SHOWN = 20  # an exponent's number written out longer than this is not shown


def number_refusal(text: str) -> str | None:
    """Say why `text` is refused where it is a number written otherwise than plainly (a
    comma, a plus sign, a minus sign that is not "-", an exponent), in words that show how
    to type it; None for anything else (the field's own "Enter a number." then).

    The web forms and the API both read numbers strictly; both explain the same way.
    """
    if "," in text and PLAIN_NUMBER.fullmatch(text.replace(",", "")):
        # "1,5" may mean 1.5 or (with "1,500") a thousand and more: ask, in words.
        return "Type the number without a comma: 1.5 with a point, or 1500."
    if text.startswith("+") and PLAIN_NUMBER.fullmatch(text[1:]) and text[1] != "-":
        return "Type the number without a plus sign" + _such_as(text[1:])
    dashed = text.translate(MINUS_LOOKALIKES)
    if dashed != text and PLAIN_NUMBER.fullmatch(dashed):
        return "Type the minus sign as - (the hyphen key)" + _such_as(dashed)
    if EXPONENT.fullmatch(text):
        number = Decimal(text)
        # Written out only when short: "1e999999999" would be a billion digits.
        short = abs(number.adjusted()) < MAX_SHOWN and len(number.as_tuple().digits) < MAX_SHOWN
        return "Type the number in digits, without an exponent" + (
            _such_as(f"{number:f}") if short else ", such as 1000."
        )
    return None


def _such_as(number: str) -> str:
    return f": {number}." if len(number) <= MAX_SHOWN else "."


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
