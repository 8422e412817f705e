"""Customers and suppliers chosen by name in a picker, not from a <select> of all of them.

A form page then renders only the chosen party, however many there are. Names may
repeat, so the box carries, besides the name typed, the id picker.js chose from the
list; the id counts only while the box still shows that party's name. Without the
script a typed name is looked up (in any case); one that names several parties is
refused next to the field.
"""

from django.core.exceptions import ValidationError
from django.utils.html import format_html

from inventory.selectors.pickers import parties_named

from .widgets import Choice, PickerInput, PickerText, _digits_id, _PickerField

CHOSEN_SUFFIX = "_id"


class ChosenText(PickerText):
    """A typed name, with the id picker.js chose for it (if any)."""

    def __new__(cls, text, chosen=""):
        value = super().__new__(cls, text)
        value.chosen = chosen or ""
        return value


class PartyPickerInput(PickerInput):
    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        if isinstance(value, PickerText):
            return ChosenText(value, data.get(name + CHOSEN_SUFFIX))
        return value

    def _inside(self, name, choice) -> str:
        return format_html(
            '<input type="hidden" name="{}" value="{}" data-picker-chosen>',
            name + CHOSEN_SUFFIX,
            "" if choice.pk is None else choice.pk,
        )


class PartyPickerField(_PickerField):
    """An active customer or supplier (`model`), by name or by id (posted by a client)."""

    max_text = 150  # Party.name's length

    def __init__(self, model, *, placeholder="", **kwargs):
        self.model = model
        self.noun = model._meta.verbose_name
        attrs = {"placeholder": placeholder} if placeholder else None
        kwargs.setdefault("widget", PartyPickerInput(kind=self.noun, attrs=attrs))
        super().__init__(**kwargs)
        self.error_messages.update(
            {
                "invalid_choice": f"Select a valid choice. No {self.noun} has the id %(value)s.",
                "unknown": f"No {self.noun} is named “%(value)s”.",
                "several": f"Several {self.noun}s are named “%(value)s”: choose one from "
                "the list, or ask a manager to tell them apart.",
                "inactive": f"%(party)s is deactivated; choose another {self.noun}.",
            }
        )

    @staticmethod
    def _text_of(party) -> str:
        return party.name

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, self.model):
            party = value
        elif isinstance(value, PickerText):
            text = self._text(value)
            party = self._named(text, getattr(value, "chosen", "")) if text else None
        else:
            party = self._by_id(value, self.model.objects.all())
        if party is not None and not party.is_active:
            raise ValidationError(
                self.error_messages["inactive"], code="inactive", params={"party": party}
            )
        return party

    def _named(self, text, chosen):
        pk = _digits_id(chosen)
        if pk is not None:
            party = self.model.objects.filter(pk=pk).first()
            if party is not None and party.name.casefold() == text.casefold():
                return party
        found = parties_named(self.model, text)
        if not found:
            raise ValidationError(
                self.error_messages["unknown"], code="unknown", params={"value": text}
            )
        if len(found) > 1:
            raise ValidationError(
                self.error_messages["several"], code="several", params={"value": text}
            )
        return found[0]

    def prepare_value(self, value):
        """Return the Choice the widget shows: a party, an id, or the text typed."""
        if isinstance(value, Choice) or value in self.empty_values:
            return value
        if isinstance(value, PickerText):
            pk = _digits_id(getattr(value, "chosen", ""))
            return Choice(pk=pk, text=str(value)[: self.max_text])
        if not isinstance(value, self.model):
            pk = _digits_id(value)
            value = self.model.objects.filter(pk=pk).first() if pk is not None else None
            if value is None:
                return None
        return Choice(pk=value.pk, text=value.name, caption=value.email or value.phone)
