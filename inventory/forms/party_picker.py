"""Customers and suppliers chosen by name in a picker, not from a <select> of all of them.

A form page then renders only the chosen party, however many there are. Names may
repeat, so the box carries, besides the name typed, the id picker.js chose from the
list; the id counts only while the box still shows that party's name. Without the
script a typed name is looked up (in any case); one that names several parties is
refused next to the field.

Documents take active parties only. A list filter takes deactivated ones too
(include_inactive: their past orders stay findable), and so does its picker
(?scope=all). An edit keeps the deactivated party its row already names (`current`).
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
    """A customer or supplier (`model`), by name or by id (posted by a client).

    Active ones only, unless include_inactive; `current`, set by an edit form, is the id
    of a deactivated party still accepted because the edited row already names it.
    """

    max_text = 150  # Party.name's length

    def __init__(self, model, *, include_inactive=False, placeholder="", **kwargs):
        self.model = model
        self.noun = model._meta.verbose_name
        self.include_inactive = include_inactive
        self.current = None
        attrs = {"placeholder": placeholder} if placeholder else None
        scope = "all" if include_inactive else ""
        kwargs.setdefault("widget", PartyPickerInput(kind=self.noun, scope=scope, attrs=attrs))
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
        if party is not None and not self._allowed(party):
            raise self._inactive(party)
        return party

    def _allowed(self, party) -> bool:
        return party.is_active or self.include_inactive or party.pk == self.current

    def _inactive(self, party) -> ValidationError:
        return ValidationError(
            self.error_messages["inactive"], code="inactive", params={"party": party}
        )

    def _named(self, text, chosen):
        pk = _digits_id(chosen)
        if pk is not None:
            party = self.model.objects.filter(pk=pk).first()
            if party is not None and party.name.casefold() == text.casefold():
                return party
        found = parties_named(
            self.model, text, include_inactive=self.include_inactive, also=self.current
        )
        if not found and not self.include_inactive:
            # A deactivated party's name: say so, rather than that no one has it.
            deactivated = parties_named(self.model, text, include_inactive=True)
            if deactivated:
                raise self._inactive(deactivated[0])
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
        caption = value.email or value.phone
        if not value.is_active:
            caption = " · ".join(filter(None, ["deactivated", caption]))
        return Choice(pk=value.pk, text=value.name, caption=caption)
