"""Strict number and id fields, used by every API serializer.

DRF reads numbers the way Python does: Decimal() takes "1_000", "+1", "١٢" and " 1 ",
int() truncates 1.9 and reads Arabic-Indic digits, and a primary key lookup passes
either to the database. These fields take only what a person means by a number:
ASCII digits, a leading minus, a decimal point.
"""

import json
import re
from collections.abc import Mapping
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from rest_framework import serializers

from inventory.forms.fields import DATE_FORMAT, DATE_FORMAT_MESSAGE, DATE_MAX, DATE_MIN
from inventory.quantities import number_refusal

from ..parsers import JSONNumber

QTY = {"max_digits": 14, "decimal_places": 3}
# A sum of balances (an item over its lots and stores): each fits QTY, their sum may not.
TOTAL = {"max_digits": 20, "decimal_places": 3}
MONEY = {"max_digits": 12, "decimal_places": 2}

# Digits 0-9 only, an optional leading minus (the services decide where a negative is
# allowed) and an optional decimal point. A JSON number arrives as int or, with a
# fraction or an exponent, as a JSONNumber (api.parsers): it is read through the text
# that was sent, so 2.9999999999999999 has too many places and 1E1 is refused, as in a string.
DECIMAL_TEXT = re.compile(r"-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)")
ID_TEXT = re.compile(r"[0-9]+")
MAX_SHOWN = 40


def _shown(value) -> str:
    """The value as the body wrote it: a number's own digits, true, null, [12]."""
    if isinstance(value, JSONNumber):
        text = value.text
    elif isinstance(value, str):
        text = value
    else:
        text = json.dumps(value, default=str)
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
        if isinstance(data, bool) or not isinstance(data, int | Decimal | str):
            self.fail("invalid")
        text = data.text if isinstance(data, JSONNumber) else str(data)
        if not DECIMAL_TEXT.fullmatch(text):
            # A comma, a plus, a typographic minus or an exponent: said as the forms say it.
            message = number_refusal(text)
            if message:
                raise serializers.ValidationError(message, code="invalid")
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


class StrictBooleanField(serializers.BooleanField):
    """JSON true or false only: DRF also takes "true", "yes", 1 and "on", so a string
    or a number sent by mistake could switch an action on."""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class StrictKeysMixin:
    """Refuse a key the serializer does not write, by name, with the body's other errors.

    DRF drops keys it does not know, so a misspelt or misplaced field (`notes` for
    `note`, `lines` for `receipts`, a read-only `on_hand`) used to be accepted as if it
    had not been sent, and the call did something else than asked. Nested serializers
    (a document's lines) check their own keys, so the error names the line.
    """

    def to_internal_value(self, data):
        unknown = {}
        if isinstance(data, Mapping):
            for key in data:
                field = self.fields.get(key)
                if field is None:
                    unknown[str(key)] = ["Unknown field: this request does not take it."]
                elif field.read_only:
                    unknown[str(key)] = ["This field is read-only; it cannot be set here."]
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if unknown and isinstance(exc.detail, dict):
                raise serializers.ValidationError({**exc.detail, **unknown}) from None
            raise
        if unknown:
            raise serializers.ValidationError(unknown)
        return value


class Serializer(StrictKeysMixin, serializers.Serializer):
    """The base of every API serializer: unknown keys are refused."""


class NoInput(Serializer):
    """The body of an action that takes none: absent, or an empty object."""


class ModelSerializer(StrictKeysMixin, serializers.ModelSerializer):
    """A ModelSerializer whose generated numbers and references are the strict fields, and
    which refuses keys it does not write."""

    serializer_related_field = IdField
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DecimalField: DecimalField,
    }


class BoundedDateField(serializers.DateField):
    """A date as the web forms take it (forms.fields.BoundedDateField): YYYY-MM-DD only
    (not ISO 8601's 20270228 or week dates), between DATE_MIN and DATE_MAX."""

    default_error_messages = {"invalid": DATE_FORMAT_MESSAGE}

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", [DATE_FORMAT])
        super().__init__(**kwargs)
        message = f"Enter a date between {DATE_MIN:%Y-%m-%d} and {DATE_MAX:%Y-%m-%d}."
        self.validators += [
            MinValueValidator(DATE_MIN, message=message),
            MaxValueValidator(DATE_MAX, message=message),
        ]
