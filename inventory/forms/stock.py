"""Input shapes for the managers' stock screens: transfers, adjustments and reversals."""

from django import forms

from inventory.models import Item, LedgerEntry, Lot, Store

from .common import IdempotentFormMixin, QuantityField

ADJUST_REASON_CHOICES = [("", "Choose a reason…")] + [
    (value, label)
    for value, label in LedgerEntry.Reason.choices
    if value != LedgerEntry.Reason.REVERSAL
]


class ItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.sku} {obj.name}" + ("" if obj.is_active else " (deactivated)")


class LotChoiceField(forms.ModelChoiceField):
    """Lots labelled with their item, so one select can list the lots of every item."""

    def label_from_instance(self, obj):
        return f"{obj.item.sku} · {obj.code} ({obj.get_qc_status_display()})"


def _items():
    return Item.objects.order_by("-is_active", "sku")


def _lots(item_id=None):
    lots = Lot.objects.select_related("item").order_by("item__sku", "received_at", "pk")
    return lots.filter(item_id=item_id) if item_id else lots


class _LotOfItemMixin:
    """Refuse a lot that belongs to another item than the one chosen."""

    def clean(self):
        data = super().clean()
        item, lot = data.get("item"), data.get("lot")
        if item is not None and lot is not None and lot.item_id != item.pk:
            self.add_error("lot", f"Lot {lot.code} is a lot of {lot.item.sku}, not of {item.sku}.")
        return data


class TransferForm(_LotOfItemMixin, IdempotentFormMixin, forms.Form):
    item = ItemChoiceField(queryset=_items())
    from_store = forms.ModelChoiceField(queryset=Store.objects.order_by("code"), label="From store")
    to_store = forms.ModelChoiceField(
        queryset=Store.objects.filter(is_active=True).order_by("code"), label="To store"
    )
    quantity = QuantityField()
    lot = LotChoiceField(
        queryset=_lots(),
        required=False,
        empty_label="Any approved lot, earliest expiry first",
        help_text="Leave empty to move available approved stock, earliest expiry first.",
    )
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, item_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        if item_id:
            self.fields["lot"].queryset = _lots(item_id)

    def clean(self):
        data = super().clean()
        source, target = data.get("from_store"), data.get("to_store")
        if source is not None and target is not None and source.pk == target.pk:
            self.add_error("to_store", "Choose two different stores.")
        return data


class AdjustmentForm(_LotOfItemMixin, IdempotentFormMixin, forms.Form):
    item = ItemChoiceField(queryset=_items())
    lot = LotChoiceField(queryset=_lots(), empty_label="Choose a lot…")
    store = forms.ModelChoiceField(queryset=Store.objects.order_by("code"))
    quantity = QuantityField(
        allow_negative=True,
        help_text="Positive adds stock, negative takes it out (for example -2).",
    )
    reason = forms.ChoiceField(choices=ADJUST_REASON_CHOICES)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, item_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        if item_id:
            self.fields["lot"].queryset = _lots(item_id)


class ReverseForm(IdempotentFormMixin, forms.Form):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=1000,
        help_text="Why this movement is being reversed.",
    )
