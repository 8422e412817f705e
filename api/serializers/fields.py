"""Strict number and id fields, used by every API serializer.

DRF reads numbers the way Python does: Decimal() takes "1_000", "+1", "١٢" and " 1 ",
int() truncates 1.9 and reads Arabic-Indic digits, and a primary key lookup passes
either to the database. These fields take only what a person means by a number:
ASCII digits, a leading minus, a decimal point.
"""

import re

from django.db import models
from rest_framework import serializers

QTY = {"max_digits": 14, "decimal_places": 3}
MONEY = {"max_digits": 12, "decimal_places": 2}

# Digits 0-9 only, an optional leading minus (the services decide where a negative is
# allowed) and an optional decimal point. A JSON number arrives as int or float and is
# read through its shortest text (1.5 -> "1.5"; 1e30 -> "1e+30", refused).
DECIMAL_TEXT = re.compile(r"-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)")
ID_TEXT = re.compile(r"[0-9]+")
MAX_SHOWN = 40


def _shown(value) -> str:
    text = str(value)
    return text if len(text) <= MAX_SHOWN else f"{text[:MAX_SHOWN]}…"


def _is_id(data) -> bool:
    """A JSON integer, or a string of ASCII digits; never a bool, a float or "١"."""
    if isinstance(data, bool):
        return False
    return isinstance(data, int) or (isinstance(data, str) and bool(ID_TEXT.fullmatch(data)))


class DecimalField(serializers.DecimalField):
    """A quantity or an amount: plain digits only, and never a negative zero."""

    default_error_messages = {
        "invalid": (
            "Enter a plain number: digits 0-9, an optional leading minus and an optional "
            "decimal point."
        ),
    }

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | float | str):
            self.fail("invalid")
        text = repr(data) if isinstance(data, float) else str(data)
        if not DECIMAL_TEXT.fullmatch(text):
            self.fail("invalid")
        value = super().to_internal_value(text)
        # "-0" and -0.0 are zero: without this they are stored and shown as "-0.00".
        return value.copy_abs() if value.is_zero() else value


class IdField(serializers.PrimaryKeyRelatedField):
    """A reference by id: a JSON integer or a string of ASCII digits, nothing else."""

    default_error_messages = {
        "not_an_id": 'Expected an id (a whole number such as 12), received "{value}".',
    }

    def to_internal_value(self, data):
        if not _is_id(data):
            self.fail("not_an_id", value=_shown(data))
        return super().to_internal_value(data)


class IdIntegerField(serializers.IntegerField):
    """An id given as a number (a document's line): as strict as IdField."""

    default_error_messages = {
        "not_an_id": 'Expected an id (a whole number such as 12), received "{value}".',
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not _is_id(data):
            self.fail("not_an_id", value=_shown(data))
        return super().to_internal_value(data)


class ModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose generated numbers and references are the strict fields."""

    serializer_related_field = IdField
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DecimalField: DecimalField,
    }
