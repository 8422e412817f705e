"""{{ value|qty }} shows a quantity as the messages do (fmt_qty): 3.5, never 3.500."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.template import Context, Template
from hypothesis import example, given
from hypothesis import strategies as st

from inventory.quantities import fmt_qty
from inventory.templatetags.quantities import qty

QUANTITIES = st.decimals(
    min_value=Decimal("-99999999999.999"),
    max_value=Decimal("99999999999.999"),
    allow_nan=False,
    allow_infinity=False,
    places=4,  # a fourth place, so rounding to three is exercised too
)


@given(QUANTITIES)
@example(Decimal("0"))
@example(Decimal("-0.000"))
@example(Decimal("2.5"))
@example(Decimal("2.0005"))
@example(Decimal("-2.0005"))
@example(Decimal("10.000"))
@example(Decimal("0.0004"))
@example(Decimal("-0.0004"))
def test_qty_is_the_value_to_three_places_without_trailing_zeros(value):
    shown = qty(value)

    assert shown == fmt_qty(value)
    assert Decimal(shown) == value.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)
    assert not ("." in shown and shown.endswith("0")) and not shown.endswith(".")
    assert shown != "-0"


@pytest.mark.parametrize(
    "value, shown",
    [
        (Decimal("3.500"), "3.5"),
        (Decimal("-3.500"), "-3.5"),
        (Decimal("12.000"), "12"),
        (Decimal("1996.500"), "1996.5"),
        (Decimal("0.125"), "0.125"),
        (Decimal("2.0005"), "2.001"),
        (Decimal("-0.0004"), "0"),
        (Decimal("1E+2"), "100"),
        (7, "7"),
        (2.25, "2.25"),
        ("12.000", "12"),  # audit details hold quantities as strings
        (None, ""),
        ("", ""),
        ("abc", ""),
    ],
)
def test_qty_shows_each_value_as_people_read_it(value, shown):
    assert qty(value) == shown


def test_every_template_has_the_filter_without_loading_it():
    rendered = Template("{{ a|qty }} {{ b|qty }}").render(
        Context({"a": Decimal("12.000"), "b": Decimal("1.250")})
    )

    assert rendered == "12 1.25"
