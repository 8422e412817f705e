"""Form fields that refuse, as a form error, the input that would otherwise reach Python or
the database and fail there: non-finite decimals, dates no business uses, ids past 64 bits.

Every form and filter of the app builds its fields from these (directly, through
`safe_formfield` for ModelForms and the admin, or through inventory.filters.base).
"""

import re
from datetime import date
from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from inventory.models.fields import QTY
from inventory.quantities import PLAIN_NUMBER, fmt_qty, number_refusal

# Wide enough for any receipt, expiry date or report; narrow enough that a day added or
# a time zone applied never leaves Python's date range (which ends at 9999-12-31).
DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2999, 12, 31)
# Primary keys are 64-bit (BigAutoField); a larger number names nothing and overflows
# SQLite's integers and PostgreSQL's bigint.
ID_MAX = 2**63 - 1


class DecimalInput(forms.TextInput):
    """A text box for a number, with the phone's decimal keypad. Not type="number": a
    browser set to English reads "1,5" typed there as 15 (the comma as a thousands
    separator) and posts that without a word; a text box posts what was typed, and the
    field refuses a comma in words."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})


class FiniteDecimalField(forms.DecimalField):
    """A DecimalField that takes plain numbers only and refuses NaN, sNaN and Infinity
    while converting.

    Django refuses non-finite values only in validate(), after has_changed() may already
    have compared a signalling NaN with the initial value, which raises InvalidOperation
    (a 500). Negative zero is zero.
    """

    widget = DecimalInput

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()  # a box holding only spaces is blank
        if isinstance(value, str) and value and not PLAIN_NUMBER.fullmatch(value):
            # A comma, a plus, a typographic minus or an exponent: say how to type it.
            message = number_refusal(value) or self.error_messages["invalid"]
            raise forms.ValidationError(message, code="invalid")
        value = super().to_python(value)
        if isinstance(value, Decimal):
            if not value.is_finite():
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            if value.is_zero():
                value = value.copy_abs()  # "-0" and "-0.00" would be stored with their sign
        return value


class MoneyDecimalField(FiniteDecimalField):
    """A money column's field (two places): a refusal says what is expected, in the
    counter's words rather than Django's "Ensure this value" (found by a QA pass)."""

    default_error_messages = {
        "invalid": "Enter an amount such as 2.50, without a currency sign.",
        "min_value": "Enter an amount of %(limit_value)s or more.",
        "max_value": "Enter an amount of %(limit_value)s or less.",
        "max_digits": "That amount is too large.",
        "max_whole_digits": "That amount is too large.",
        "max_decimal_places": "Use at most %(max)s decimal places (cents).",
    }


class QuantityDecimalField(FiniteDecimalField):
    """A quantity column's field: its value reads as on every page (5, not 5.000), and
    its refusals are in the counter's words rather than Django's "Ensure this value"."""

    default_error_messages = {
        "invalid": "Enter a number.",
        "min_value": "Enter %(limit_value)s or more.",
        "max_value": "Enter %(limit_value)s or less.",
        "max_digits": "That quantity is too large.",
        "max_whole_digits": "That quantity is too large.",
        "max_decimal_places": "Use at most %(max)s decimal places.",
    }

    def prepare_value(self, value):
        if isinstance(value, Decimal) and value.is_finite():
            return fmt_qty(value)
        return value


DATE_FORMAT = "%Y-%m-%d"
DATE_FORMAT_MESSAGE = "Enter a valid date as YYYY-MM-DD, e.g. 2026-12-31."


class BoundedDateField(forms.DateField):
    """A date between DATE_MIN and DATE_MAX, written YYYY-MM-DD only: what a date box
    sends. A typed 01/02/2026 is refused rather than read as 2 January (the locale's
    month-first formats), which a day-first shop would mean as 1 February."""

    input_formats = [DATE_FORMAT]
    default_error_messages = {"invalid": DATE_FORMAT_MESSAGE}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        message = f"Enter a date between {DATE_MIN:%Y-%m-%d} and {DATE_MAX:%Y-%m-%d}."
        self.validators += [
            MinValueValidator(DATE_MIN, message=message),
            MaxValueValidator(DATE_MAX, message=message),
        ]


class IdField(forms.IntegerField):
    """A positive 64-bit identifier (a hidden line id, an operation number)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)
        kwargs.setdefault(
            "error_messages",
            {"min_value": "Enter a valid id.", "max_value": "Enter a valid id."},
        )
        super().__init__(**kwargs)


def decimal_form_class(db_field) -> type[FiniteDecimalField]:
    """A quantity column's form field or a money column's, by its decimal places."""
    quantity = db_field.decimal_places == QTY["decimal_places"]
    return QuantityDecimalField if quantity else MoneyDecimalField


def safe_formfield(db_field, **kwargs):
    """Return the form field of a model field, with the app's safe field classes.

    Used as ModelForm `formfield_callback` and by the admin's formfield_for_dbfield.
    """
    if isinstance(db_field, models.DecimalField):
        kwargs.setdefault("form_class", decimal_form_class(db_field))
    elif isinstance(db_field, models.DateField) and not isinstance(db_field, models.DateTimeField):
        kwargs.setdefault("form_class", BoundedDateField)
    return db_field.formfield(**kwargs)


class ListedChoiceIterator(forms.models.ModelChoiceIterator):
    """Reads the options in one plain query. Django's iterator() here opens a server-side
    cursor on PostgreSQL: DECLARE, FETCH and CLOSE, three round trips for a few rows."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class ModelSelectField(forms.ModelChoiceField):
    """A ModelChoiceField for the short lists of a <select>: stores, suppliers, customers."""

    iterator = ListedChoiceIterator

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError as error:
            # A choice deactivated since the page was opened (another tab, an admin):
            # say so rather than "not one of the available choices".
            model = self.queryset.model
            known = error.code == "invalid_choice" and re.fullmatch(r"[1-9]\d{0,17}", str(value))
            if not known or not hasattr(model, "is_active"):
                raise
            gone = model._default_manager.filter(pk=value, is_active=False).first()
            if gone is None:
                raise
            raise forms.ValidationError(f"{gone} is deactivated; choose another.", code="inactive")
