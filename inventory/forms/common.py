"""Form pieces shared by every screen that changes stock."""

import uuid
from collections import Counter
from decimal import Decimal

from django import forms
from django.forms.utils import pretty_name

from inventory.models.fields import NOTE_MAX_LENGTH

from .fields import MoneyDecimalField, QuantityDecimalField
from .widgets import ItemsInOneQueryMixin, PickerInput

# The most lines one document (sale, purchase order, direct purchase) can have in a form.
# Bounds the forms a post can make the server build: a forged TOTAL_FORMS of 2000 or 1e20
# gets one clear error instead of thousands of forms built and rendered.
MAX_LINES = 50
TOO_MANY_LINES = f"A document can have at most {MAX_LINES} lines; split it in two."
BAD_LINE_COUNT = "The form's count of lines is missing or invalid: reload the page and try again."
# The number of a line added in the browser: app.js writes it into the empty form's copy.
LINE_NUMBER_SLOT = "__line__"
# A form posted without its hidden token, or with a damaged one (a page edited in the
# browser, or kept and sent much later): nothing is recorded, and no box can show why.
STALE_FORM = "This form is out of date; nothing was recorded. Open it again."


def NoteField(**kwargs):  # noqa: N802 - reads like a field class
    """A free-text note in a box of two rows, optional, at most NOTE_MAX_LENGTH characters."""
    kwargs.setdefault("required", False)
    kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 2}))
    return forms.CharField(max_length=NOTE_MAX_LENGTH, **kwargs)


class IdempotentFormMixin(forms.Form):
    """Carries a one-time token; the service makes a replayed token a no-op."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)

    def add_error(self, field, error):
        # The token is hidden: its refusal goes above the form, in words, rather than
        # Django's "(Hidden field idempotency_key) This field is required."
        if field == "idempotency_key":
            field, error = None, forms.ValidationError(STALE_FORM, code="stale_form")
        super().add_error(field, error)

    def renew_token(self, token: str) -> None:
        """Render `token` instead: what the form holds was refused as a resend of a form
        already recorded, and sending it again is meant as a new submission. Signed for
        the user (views.form_tokens), so Back to the page keeps it."""
        self.data = self.data.copy()
        self.data[self.add_prefix("idempotency_key")] = token


class QuantityField(QuantityDecimalField):
    """A positive quantity with at most 3 decimals, within Decimal(14,3)."""

    def __init__(self, *, allow_negative=False, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 3)
        if not allow_negative:
            # A Decimal, not 0.001: the float 0.001 is a hair above 0.001, so 0.001 failed.
            kwargs.setdefault("min_value", Decimal("0.001"))
        super().__init__(**kwargs)
        if allow_negative:
            # The phone's decimal keypad (iOS) has no minus key, so "-2" could not be
            # typed there: a signed quantity gets the full keyboard.
            self.widget.attrs["inputmode"] = "text"
        if self.min_value == Decimal("0.001"):
            self.error_messages["min_value"] = "Enter a quantity greater than zero."

    def run_validators(self, value):
        # 0.0001 is refused for its places alone: it is not "zero or less".
        try:
            super().run_validators(value)
        except forms.ValidationError as refused:
            errors = refused.error_list
            if (
                value is not None
                and value > 0
                and any(e.code == "max_decimal_places" for e in errors)
            ):
                errors = [e for e in errors if e.code != "min_value"]
            raise forms.ValidationError(errors) from None


class MoneyField(MoneyDecimalField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal(0))
        super().__init__(**kwargs)


class PostedRowsMixin:
    """Build only the rows a post holds fields for, never more than TOTAL_FORMS says.

    A forged TOTAL_FORMS of 2000 with one row filled in builds one form, not 50 blank
    ones with every item listed in each (2 s and 0.8 MB of page with 300 items); the
    formset still reports the claim as too many lines, from the management form.
    """

    def total_form_count(self):
        count = super().total_form_count()
        if not self.is_bound:
            return count
        if not hasattr(self, "_posted_rows"):
            start = f"{self.prefix}-"
            indexes = {
                key[len(start) :].partition("-")[0] for key in self.data if key.startswith(start)
            }
            self._posted_rows = max(
                (int(i) + 1 for i in indexes if i.isascii() and i.isdigit() and len(i) <= 6),
                default=0,
            )
        return min(count, self._posted_rows)


def name_line(form, where: str) -> None:
    """Name each input of one line "<its caption>, <where>" ("Quantity, line 2"), so a screen
    reader says which line a box is in; the column's caption alone repeats on every line.

    An item picker's list of matches is named after the line too (picker.js reads it).
    """
    form.line_name = where
    for name, field in form.fields.items():
        widget = field.widget
        if widget.is_hidden:
            continue
        widget.attrs["aria-label"] = f"{field.label or pretty_name(name)}, {where}"
        if isinstance(widget, PickerInput):
            widget.attrs["data-listbox-label"] = f"Matches, {where}"


def line_names(skus: list[str]) -> list[str]:
    """Name lines that show a fixed item by its SKU, with the line's number (1-based) where
    the page has the SKU on more than one line: "BOLT-M8", or "BOLT-M8 (line 3)"."""
    repeats = Counter(skus)
    return [sku if repeats[sku] < 2 else f"{sku} (line {n})" for n, sku in enumerate(skus, 1)]


class LineNamesMixin:
    """Name every line's inputs after the line: its formset index + 1, as "line 2".

    Lines are never renumbered: a line removed in the page keeps its number and the others
    theirs, so two visible lines never share one. A line added in the page (app.js) gets
    the next number, written into LINE_NUMBER_SLOT of the empty form.
    """

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove"
        name_line(form, f"line {LINE_NUMBER_SLOT if index is None else index + 1}")


def kept_forms(formset) -> list:
    """Return the rows kept, in order: every initial row and every filled-in extra row,
    less those marked for removal. The document's lines are made from these rows."""
    initial = formset.initial_form_count()
    return [
        form
        for index, form in enumerate(formset.forms)
        if (index < initial or form.has_changed())
        and getattr(form, "cleaned_data", None)
        and not form.cleaned_data.get("DELETE")
    ]


class AtLeastOneLineMixin:
    """A document's lines formset (with kept_forms()): refused when no row makes a line."""

    no_line = "Add at least one line."

    def clean(self):
        super().clean()
        if not self.management_form.is_valid():
            return  # raising here would replace the formset's own error about the count
        if not any(self.errors) and not self.kept_forms():
            raise forms.ValidationError(self.no_line)


def lines_formset_factory(form, *, max_lines: int = MAX_LINES, formset=forms.BaseFormSet, **kwargs):
    """Return a formset class of at most `max_lines` forms, however many a post claims.

    absolute_max caps the forms built; validate_max turns a larger claim into an error.
    The rows' item pickers are resolved in one query, whatever the number of rows, and each
    row's inputs are named after its line (LineNamesMixin).
    """
    base = type(
        f"Bounded{formset.__name__}",
        (PostedRowsMixin, ItemsInOneQueryMixin, LineNamesMixin, formset),
        {},
    )
    formset = forms.formset_factory(
        form, formset=base, max_num=max_lines, absolute_max=max_lines, validate_max=True, **kwargs
    )
    formset.default_error_messages = {
        "too_many_forms": TOO_MANY_LINES,
        "missing_management_form": BAD_LINE_COUNT,
    }
    return formset


class ShownVersionMixin(forms.Form):
    """The version of the document the page showed (its `version`), posted back so that
    a save or an action on a document changed since is refused (rules.check_not_changed)."""

    shown = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
