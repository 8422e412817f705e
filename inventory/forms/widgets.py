"""The searchable item and lot pickers of the stock forms.

A picker is a text box, so a page renders one input per picker instead of every
item or lot as an <option>. Without JavaScript a person types the item's SKU (any
case) or the lot's code and the server resolves it; static/js/picker.js turns the
box into a combobox that searches /pickers/items/ or /pickers/lots/ as one types
and fills in the SKU or code chosen. Either way the browser posts the text as
"<name>_q", and that text is what the field resolves: one rule with or without
JavaScript.

A client that does not post "<name>_q" (tests, scripts) may post the id under
the field's own name, as with a ModelChoiceField.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from inventory import rules
from inventory.exceptions import InventoryError
from inventory.models import Item, Lot
from inventory.selectors.pickers import item_by_code

TEXT_SUFFIX = "_q"
MAX_TEXT = 100  # longer than any SKU (40) or lot code (60)
MAX_ID_DIGITS = 18  # a 64-bit id has 19 digits; beyond it the query would overflow


PLACEHOLDERS = {"item": "SKU, barcode or name", "lot": "Lot code"}


class PickerText(str):
    """What a person typed into a picker (as opposed to an id posted by a client)."""


class LotCode(str):
    """A typed lot code: resolved by the form once it knows the item."""


class PickerInput(forms.Widget):
    """One text box; picker.js finds it by data-picker and adds the listbox."""

    def __init__(self, *, kind: str, scope: str = "", item_field="", store_field="", attrs=None):
        super().__init__(attrs)
        self.kind, self.scope = kind, scope
        self.item_field, self.store_field = item_field, store_field

    def value_from_datadict(self, data, files, name):
        if name + TEXT_SUFFIX in data:
            return PickerText(data.get(name + TEXT_SUFFIX) or "")
        return data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return name not in data and name + TEXT_SUFFIX not in data

    def render(self, name, value, attrs=None, renderer=None):
        """Render the box with the chosen option (a Choice) and nothing else."""
        choice = value if isinstance(value, Choice) else Choice(text=str(value or ""))
        attrs = self.build_attrs(self.attrs, attrs)
        input_id = attrs.get("id") or f"id_{name}"
        attrs.update(
            {
                "type": "text",
                "name": name + TEXT_SUFFIX,
                "id": input_id,
                "value": choice.text,
                "autocomplete": "off",
                "spellcheck": "false",
                "autocapitalize": "off",
                # The caption first, then what the field adds (its error, its help).
                "aria-describedby": " ".join(
                    filter(None, [f"{input_id}-picked", attrs.get("aria-describedby")])
                ),
                "data-picker-input": "",
            }
        )
        attrs.setdefault("placeholder", PLACEHOLDERS.get(self.kind, "Name"))
        if choice.pk is not None:
            attrs["data-picker-id"] = str(choice.pk)
        data = {
            "data-picker": self.kind,
            "data-picker-url": reverse(f"inventory:picker_{self.kind}s"),
            "data-picker-scope": self.scope,
            "data-picker-item": self.item_field,
            "data-picker-store": self.store_field,
        }
        return format_html(
            '<div class="picker" {}><input {}>{}<div class="form-text picker-picked" id="{}">{}'
            '</div><div class="form-text picker-nojs">{}</div></div>',
            _attrs({k: v for k, v in data.items() if v}),
            _attrs({k: v for k, v in attrs.items() if v is not None and v is not False}),
            self._inside(name, choice),
            f"{input_id}-picked",
            choice.caption,
            self._hint(),
        )

    def _inside(self, name, choice) -> str:
        """More of the box, after the text box (a subclass's hidden input)."""
        return ""

    def _hint(self):
        if self.kind == "item":
            return format_html(
                'Type the SKU. <a href="{}" target="_blank" rel="noopener">Find an item</a>',
                reverse("inventory:item_list"),
            )
        if self.kind == "lot":
            return "Type the lot code (listed on the item's page)."
        return f"Type the {self.kind}'s name."


def _attrs(attrs: dict):
    return format_html_join(" ", '{}="{}"', ((k, "" if v is True else v) for k, v in attrs.items()))


class Choice:
    """What a picker shows: its id (for picker.js), its text and a caption under it."""

    def __init__(self, *, pk=None, text="", caption=""):
        self.pk, self.text, self.caption = pk, text, caption

    def __str__(self):
        return self.text


def _digits_id(value) -> int | None:
    text = str(value).strip()
    if text.isascii() and text.isdigit() and len(text) <= MAX_ID_DIGITS:
        return int(text)
    return None


class _PickerField(forms.Field):
    model = None
    max_text = MAX_TEXT

    def _text(self, value) -> str:
        text = str(value).strip()
        if "\x00" in text:
            raise ValidationError("Null characters are not allowed.", code="null_characters")
        if len(text) > self.max_text:
            raise ValidationError(
                f"Ensure this value has at most {self.max_text} characters.", code="max_length"
            )
        return text

    def _by_id(self, value, queryset):
        pk = _digits_id(value)
        obj = queryset.filter(pk=pk).first() if pk is not None else None
        if obj is None:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": str(value)[:MAX_TEXT]},  # not 10,000 characters back
            )
        return obj

    def has_changed(self, initial, data):
        def key(value):
            if value in self.empty_values:
                return ""
            if isinstance(value, PickerText):
                return value.strip().casefold()
            if isinstance(value, self.model):
                return self._text_of(value).casefold()
            return str(value)

        typed = isinstance(data, PickerText)
        if typed and initial not in self.empty_values and not isinstance(initial, self.model):
            # An edit page's initial id, against a typed SKU or code: compare like with like.
            initial = self.model.objects.filter(pk=_digits_id(initial) or 0).first()
        return key(initial) != key(data)


class ItemPickerField(_PickerField):
    """An item chosen by its SKU (typed) or its id (posted by a client).

    Deactivated items are refused unless include_inactive (a transfer or an
    adjustment may still move what stock they have).
    """

    model = Item
    default_error_messages = {
        "invalid_choice": "Select a valid choice. No item has the id %(value)s.",
        "unknown": "No item has the SKU or barcode “%(value)s”.",
        "inactive": "%(item)s is deactivated; choose another item.",
    }

    def __init__(self, *, include_inactive=False, store_field="", **kwargs):
        self.include_inactive = include_inactive
        kwargs.setdefault(
            "widget",
            PickerInput(
                kind="item", scope="all" if include_inactive else "", store_field=store_field
            ),
        )
        super().__init__(**kwargs)
        self._seen = {}
        self.known = {}

    def __deepcopy__(self, memo):
        # Each form gets its own copy of the field; the items it resolved (to show
        # their names on a re-rendered page) belong to that form alone.
        result = super().__deepcopy__(memo)
        result._seen = {}
        result.known = {}
        return result

    @staticmethod
    def _text_of(item) -> str:
        return item.sku

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Item):
            item = value
        elif isinstance(value, PickerText):
            text = self._text(value)
            if not text:
                return None
            item = self.known.get(_sku_key(text)) or item_by_code(text)
            if item is None:
                raise ValidationError(
                    self.error_messages["unknown"], code="unknown", params={"value": text}
                )
            self._seen[text.casefold()] = item
        else:
            item = self.known.get(_digits_id(value)) or self._by_id(value, Item.objects.all())
        if not item.is_active and not self.include_inactive:
            raise ValidationError(
                self.error_messages["inactive"], code="inactive", params={"item": item}
            )
        return item

    def preloaded(self, value) -> Item | None:
        """The item a raw value names among those loaded by ItemsInOneQueryMixin, if any."""
        if isinstance(value, PickerText):
            return self.known.get(_sku_key(value.strip()))
        return self.known.get(_digits_id(value or ""))

    def prepare_value(self, value):
        """Return the Choice the widget shows: an item, an id, or the text typed."""
        if isinstance(value, Choice) or value in self.empty_values:
            return value
        if isinstance(value, PickerText):
            item = self._seen.get(value.strip().casefold())
            return _item_choice(item) if item else Choice(text=value)
        if isinstance(value, Item):
            return _item_choice(value)
        pk = _digits_id(value)
        item = Item.objects.filter(pk=pk).first() if pk is not None else None
        return _item_choice(item) if item else Choice(text=str(value)[:MAX_TEXT])


def _sku_key(text: str) -> str:
    return "sku:" + text.lower()


def items_named(values) -> dict:
    """Load in one query the items that picker values name (typed SKUs and posted ids),
    keyed for ItemPickerField.known. A SKU whose case folding differs between Python and
    the database is simply not found here; the field then looks it up on its own."""
    skus = {v.strip().lower() for v in values if isinstance(v, PickerText) and v.strip()}
    skus = {s for s in skus if len(s) <= MAX_TEXT and "\x00" not in s}
    pks = {_digits_id(v) for v in values if v and not isinstance(v, PickerText)} - {None}
    if not skus and not pks:
        return {}
    items = Item.objects.alias(sku_lower=Lower("sku")).filter(Q(pk__in=pks) | Q(sku_lower__in=skus))
    known = {}
    for item in items:
        known[item.pk] = item
        known[_sku_key(item.sku)] = item
    return known


class ItemsInOneQueryMixin:
    """A formset whose rows' item pickers are resolved in one query, not one per row."""

    def full_clean(self):
        if self.is_bound:
            pickers = [
                (field, form.data, form.add_prefix(name), form.files)
                for form in self.forms
                for name, field in form.fields.items()
                if isinstance(field, ItemPickerField)
            ]
            raw = [f.widget.value_from_datadict(data, files, n) for f, data, n, files in pickers]
            known = items_named(raw)
            for field, *_ in pickers:
                field.known = known
        super().full_clean()


def _item_choice(item) -> Choice:
    caption = item.name + ("" if item.is_active else " (deactivated)")
    return Choice(pk=item.pk, text=item.sku, caption=caption)


class LotPickerField(_PickerField):
    """A lot chosen by its code (typed: the form resolves it within the chosen item, see
    resolve_lot) or its id (posted by a client)."""

    model = Lot
    default_error_messages = {
        "invalid_choice": "Select a valid choice. No lot has the id %(value)s."
    }

    def __init__(self, *, item_field="item", store_field="store", **kwargs):
        kwargs.setdefault(
            "widget", PickerInput(kind="lot", item_field=item_field, store_field=store_field)
        )
        super().__init__(**kwargs)

    @staticmethod
    def _text_of(lot) -> str:
        return lot.code

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Lot):
            return value
        if isinstance(value, PickerText):
            text = self._text(value)
            return LotCode(text) if text else None
        return self._by_id(value, Lot.objects.select_related("item"))

    def prepare_value(self, value):
        if isinstance(value, Choice) or value in self.empty_values:
            return value
        if isinstance(value, PickerText):
            return Choice(text=value)
        lot = value if isinstance(value, Lot) else None
        if lot is None and (pk := _digits_id(value)) is not None:
            lot = Lot.objects.filter(pk=pk).first()
        if lot is None:
            return Choice(text=str(value)[:MAX_TEXT])
        return Choice(pk=lot.pk, text=lot.code, caption=lot.get_qc_status_display())


def resolve_lot(form, *, item_field="item", lot_field="lot", missing: str = "") -> None:
    """Turn a typed lot code into the lot of the chosen item, or a field error (with
    `missing` after it: what to do instead). `form.known_lots` ({(item id, code): lot},
    LotsInOneQueryMixin) spares the query of a code typed exactly."""
    code, item = form.cleaned_data.get(lot_field), form.cleaned_data.get(item_field)
    if not isinstance(code, LotCode):
        return
    lot = getattr(form, "known_lots", {}).get((getattr(item, "pk", None), str(code)))
    if lot is None and item is not None:
        lots = Lot.objects.select_related("item").filter(item=item)
        lot = lots.filter(code=code).first() or lots.filter(code__iexact=code).first()
    if lot is None:
        form.cleaned_data.pop(lot_field, None)
        # A code that is one other item's lot: say whose (codes are unique per item only,
        # so a code several items use names none of them).
        others = (
            list(Lot.objects.select_related("item").filter(code__iexact=code)[:2])
            if item is not None
            else []
        )
        if len(others) == 1:
            try:
                rules.check_lot_of_item(others[0], item)
            except InventoryError as exc:
                form.add_error(lot_field, exc.message)
        elif item is not None:
            form.add_error(lot_field, f"{item.sku} has no lot “{code}”.{missing}")
        elif item_field not in form.errors:
            form.add_error(lot_field, "Choose the item first.")
        return
    form.cleaned_data[lot_field] = lot
