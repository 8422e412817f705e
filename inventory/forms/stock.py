"""Input shapes for the managers' stock screens: transfers, adjustments and reversals."""

from django import forms

from inventory import rules
from inventory.exceptions import DocumentChanged, InventoryError, OrdersHoldMore, refused_lines
from inventory.models import LedgerEntry, Lot, Store
from inventory.quantities import fmt_qty

from .common import (
    AtLeastOneLineMixin,
    IdempotentFormMixin,
    NoteField,
    QuantityField,
    kept_forms,
    lines_formset_factory,
)
from .fields import DecimalInput, ModelSelectField
from .sealed import SealedQuantityField
from .stores import StoreChoiceMixin
from .widgets import ItemPickerField, LotPickerField, PickerText, resolve_lot

ADJUST_REASON_CHOICES = [("", "Choose a reason…")] + [
    (value, label)
    for value, label in LedgerEntry.Reason.choices
    if value != LedgerEntry.Reason.REVERSAL
]


class _LotOfItemMixin:
    """Resolve a typed lot code within the chosen item; refuse a lot of another item."""

    missing_lot = ""  # what to say after "has no lot X"

    def clean(self):
        data = super().clean()
        adds = (data.get("quantity") or 0) > 0  # the hint is for stock to record, not remove
        resolve_lot(self, missing=self.missing_lot if adds else "")
        try:
            rules.check_lot_of_item(data.get("lot"), data.get("item"))
        except InventoryError as exc:
            self.add_error(exc.field, exc.message)
        return data


class TransferForm(StoreChoiceMixin, IdempotentFormMixin, forms.Form):
    """A transfer's header: the two stores and a note; its lines are TransferLineFormSet."""

    from_store = ModelSelectField(queryset=Store.objects.all(), label="From store")
    to_store = ModelSelectField(queryset=Store.objects.filter(is_active=True), label="To store")
    note = NoteField()

    def clean(self):
        data = super().clean()
        source, target = data.get("from_store"), data.get("to_store")
        if source is not None and target is not None and source.pk == target.pk:
            self.add_error("to_store", "Choose two different stores.")
        return data


class TransferLineForm(_LotOfItemMixin, forms.Form):
    """One line of a transfer: an item, optionally one of its lots, and a quantity."""

    # Deactivated items too: their remaining stock may still be moved or written off.
    item = ItemPickerField(include_inactive=True, store_field="from_store")
    lot = LotPickerField(
        store_field="from_store",
        required=False,
        help_text=(
            "Empty: available stock (approved, unexpired), earliest expiry first. A named "
            "lot moves whatever its QC status, unless rejected or expired."
        ),
    )
    quantity = QuantityField(widget=DecimalInput())


class LotsInOneQueryMixin:
    """A formset whose rows' typed lot codes are looked up in one query, not one per row
    (resolve_lot reads `known_lots`), once ItemsInOneQueryMixin has loaded their items."""

    def full_clean(self):
        typed = []
        for form in self.forms if self.is_bound else ():
            item = form.fields["item"]
            raw = item.widget.value_from_datadict(form.data, None, form.add_prefix("item"))
            lot = form.fields["lot"].widget
            code = lot.value_from_datadict(form.data, None, form.add_prefix("lot"))
            found = item.preloaded(raw)
            if found is not None and isinstance(code, PickerText) and code.strip():
                typed.append((form, found.pk, code.strip()))
        if typed:
            lots = Lot.objects.select_related("item").filter(
                item_id__in={pk for _, pk, _ in typed}, code__in={code for *_, code in typed}
            )
            known = {(lot.item_id, lot.code): lot for lot in lots}
            for form, *_ in typed:
                form.known_lots = known
        super().full_clean()


class BaseTransferLineFormSet(AtLeastOneLineMixin, LotsInOneQueryMixin, forms.BaseFormSet):
    no_line = "Add at least one line: an item and a quantity."

    def kept_forms(self) -> list[TransferLineForm]:
        """The rows that make lines, in order; the service is given them in this order."""
        return kept_forms(self)

    def lines(self) -> list[tuple]:
        """[(item, quantity, lot or None)] of the kept rows, for stock_transfer_lines."""
        return [
            (f.cleaned_data["item"], f.cleaned_data["quantity"], f.cleaned_data.get("lot"))
            for f in self.kept_forms()
        ]


TransferLineFormSet = lines_formset_factory(
    TransferLineForm, formset=BaseTransferLineFormSet, extra=1, can_delete=True
)


class AdjustmentForm(StoreChoiceMixin, _LotOfItemMixin, IdempotentFormMixin, forms.Form):
    # A shop starting with stock on its shelves has no lot to adjust yet.
    missing_lot = (
        " An adjustment corrects a lot on record; stock never received (opening stock)"
        " is recorded with a direct purchase, which creates its lot."
    )
    item = ItemPickerField(include_inactive=True, store_field="store")
    # The store before the lot: the lot box then offers that store's lots only.
    store = ModelSelectField(queryset=Store.objects.all())
    lot = LotPickerField(store_field="store")
    quantity = QuantityField(
        allow_negative=True,
        help_text="Positive adds stock, negative takes it out (for example -2).",
    )
    reason = forms.ChoiceField(choices=ADJUST_REASON_CHOICES)
    note = NoteField()


class ReverseForm(IdempotentFormMixin, forms.Form):
    note = NoteField(
        help_text="Why this movement is being reversed.",
    )


def found_field(label: str) -> QuantityField:
    """A count sheet's Found box: blank means not counted."""
    return QuantityField(
        label=label,
        required=False,
        min_value=0,
        # The sheet's caption says "Found (pcs)"; the box itself names its line.
        widget=DecimalInput(
            attrs={
                "class": "form-control",
                "aria-label": label,
                "data-enter-next": "",  # Enter goes on to the next line (app.js)
            }
        ),
    )


BLIND_MOVED = (
    "Stock moved while it was being counted. Nothing was recorded; count again the lines"
    " whose box is now empty, and record the sheet again."
)
BLIND_MOVED_LINE = "Stock moved here while it was being counted: count it again."
# A found figure above LARGE_FACTOR times the record plus LARGE_MARGIN asks to be confirmed.
LARGE_FACTOR, LARGE_MARGIN = 10, 100


class CountForm(IdempotentFormMixin, forms.Form):
    """What was found of each lot on the sheet: blank means not counted (left alone).

    Each line also posts the figure the sheet showed, so a lot whose stock moved while
    it was being counted is refused instead of corrected by a stale difference.
    """

    store = ModelSelectField(queryset=Store.objects.all(), widget=forms.HiddenInput)
    note = forms.CharField(required=False, max_length=500, label="Note (what was counted)")
    # Shown once a figure is far above the record (an 8-digit barcode scanned into a
    # Found box, a slipped finger): sent ticked, the figures are recorded as typed.
    confirm_large = forms.BooleanField(
        required=False, label="Yes, these figures are right: record them as typed"
    )

    def __init__(self, *args, rows, blind=False, **kwargs):
        super().__init__(*args, **kwargs)
        # A blind sheet shows no figure on record; the hidden ones still guard the count,
        # sealed so that the page's source does not show them either, and required: one
        # left out would skip the check that stock did not move meanwhile.
        self.rows, self.large, self.blind = {}, False, blind
        hidden_figure = SealedQuantityField if blind else QuantityField
        for row in rows:
            name, label = self._box(row)
            self.rows[name] = row
            self.fields[name] = found_field(label)
            expected, figure = self._expected(name, row)
            self.fields[expected] = hidden_figure(
                required=blind, min_value=0, widget=forms.HiddenInput
            )
            self.initial.setdefault(expected, figure)

    # A sheet's row: a lot's balance here (this form) or an item (ItemCountForm).
    def _box(self, balance) -> tuple[str, str]:
        """The row's Found box: its name and label."""
        return f"count_{balance.lot_id}", f"Found of {balance.item.sku} lot {balance.lot.code}"

    def _expected(self, name, balance) -> tuple[str, object]:
        """The row's hidden figure: its name and what is on record now."""
        return f"expected_{balance.lot_id}", balance.on_hand

    def _line(self, balance) -> dict:
        return {"lot": balance.lot}

    def clean(self):
        """Hold back a figure far above what is on record until it is confirmed."""
        data = super().clean()
        self.large = False
        if data.get("confirm_large"):
            return data
        for name in self._counted():
            expected = data.get(self._expected(name, self.rows[name])[0]) or rules.ZERO
            if data[name] > LARGE_FACTOR * expected + LARGE_MARGIN:
                self.large = True
                record = "what is" if self.blind else f"the {fmt_qty(expected)}"
                self.add_error(
                    name,
                    f"{fmt_qty(data[name])} is far more than {record} on record: check it"
                    ' (a barcode scanned into this box?), or tick "Yes, these figures are'
                    ' right" below and record again.',
                )
        return data

    def _counted(self) -> list[str]:
        return [name for name in self.rows if self.cleaned_data.get(name) is not None]

    def counts(self) -> list[dict]:
        """The lines counted, for services.counts.stock_count."""
        lines = []
        for name in self._counted():
            expected, _now = self._expected(name, self.rows[name])
            counted = {
                "counted": self.cleaned_data[name],
                "expected": self.cleaned_data.get(expected),
            }
            lines.append({**self._line(self.rows[name]), **counted})
        return lines

    def show_refusal(self, exc, token: str | None = None) -> None:
        """A service's refusal: beside the Found box of the lot it names (its `index`
        among counts()), and above the sheet; with `token`, a new one to send it with."""
        if token:
            self.renew_token(token)
        counted = self._counted()
        for index, refusal in refused_lines(exc):
            if index < len(counted):
                self.add_error(counted[index], self._told(refusal, BLIND_MOVED_LINE))
        self.add_error(None, self._told(exc, BLIND_MOVED))

    def _told(self, refusal, moved: str) -> str:
        """A refusal as the sheet tells it: a blind one is not told the figures a moved
        lot held then and holds now, nor what orders hold of it."""
        if self.blind and isinstance(refusal, DocumentChanged):
            return moved
        if self.blind and isinstance(refusal, OrdersHoldMore):
            return refusal.without_figures
        return refusal.message

    def take_current_figures(self) -> None:
        """After a refusal because stock moved: each moved row's hidden figure becomes
        the one on record now and its Found box is emptied, so the counter recounts only
        those rows and sends the sheet again, the others' figures kept as typed."""
        self.data = self.data.copy()
        for name, row in self.rows.items():
            expected, now = self._expected(name, row)
            if self.cleaned_data.get(expected) not in (None, now):
                self.data[expected] = self.fields[expected].prepare_value(now)
                self.data[name] = ""

    def bound_rows(self):
        """(balance, its count field) for the template, in sheet order."""
        return [(balance, self[name]) for name, balance in self.rows.items()]


class ItemCountForm(CountForm):
    """Loose goods counted by item: what was found of each item on the sheet, all its lots
    on the shelf together; the service shares it over the lots. Each line also posts the
    total the sheet showed, so an item whose stock moved meanwhile is refused."""

    def _box(self, item) -> tuple[str, str]:
        return f"item_{item.pk}", f"Found of {item.sku}, all lots"

    def _expected(self, name, item) -> tuple[str, object]:
        return f"expected_{name}", item.on_shelf or rules.ZERO

    def _line(self, item) -> dict:
        return {"item": item}
