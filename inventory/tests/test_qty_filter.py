"""{{ value|qty }} shows what Django's floatformat:"-3" shows, for any quantity."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.template.defaultfilters import floatformat
from hypothesis import example, given
from hypothesis import strategies as st

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
def test_qty_shows_what_floatformat_shows(value):
    assert qty(value) == floatformat(value, "-3")


@pytest.mark.parametrize("value", [7, 0, -3, None, "", "2.5", "abc", 2.25, Decimal("NaN")])
def test_other_values_are_shown_as_floatformat_shows_them(value):
    assert qty(value) == floatformat(value, "-3")


def test_every_template_has_the_filter_without_loading_it():
    rendered = Template("{{ a|qty }} {{ b|qty }}").render(
        Context({"a": Decimal("12.000"), "b": Decimal("1.25")})
    )

    assert rendered == "12 1.250"
