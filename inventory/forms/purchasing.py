"""Input shapes for purchase orders, receipts, direct purchases and QC decisions."""

from django import forms

from inventory.models import PurchaseOrder, QCStatus, Store, Supplier
from inventory.selectors.purchasing import OVERDUE, TO_RECEIVE

from .common import (
    MAX_LINES,
    IdempotentFormMixin,
    MoneyField,
    NoteField,
    QuantityField,
    ShownVersionMixin,
    kept_forms,
    lines_formset_factory,
)
from .fields import BoundedDateField, IdField, ModelSelectField
from .filtering import FilterFormMixin
from .party_picker import PartyPickerField
from .stores import StoreChoiceMixin
from .widgets import ItemPickerField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PurchaseFilterForm(FilterFormMixin, forms.Form):
    status = forms.ChoiceField(
        choices=[
            ("", "Any status"),
            (TO_RECEIVE, "To receive (ordered or partly received)"),
            (OVERDUE, "Overdue (to receive, expected before today)"),
            *PurchaseOrder.Status.choices,
        ],
        required=False,
    )
    # Deactivated suppliers too: their past orders stay findable.
    supplier = PartyPickerField(
        Supplier, required=False, include_inactive=True, placeholder="Any supplier"
    )
    store = ModelSelectField(Store.objects.all(), required=False, empty_label="Any store")
    date_from = BoundedDateField(label="From", required=False, widget=DATE)
    date_to = BoundedDateField(label="To", required=False, widget=DATE)

    def filters(self) -> dict:
        """Return the selector's keyword arguments (none when the filters cannot be read:
        the view then lists nothing, through `listed`)."""
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class PurchaseOrderForm(StoreChoiceMixin, forms.Form):
    supplier = PartyPickerField(Supplier)
    store = ModelSelectField(Store.objects.filter(is_active=True))
    expected_on = BoundedDateField(label="Expected on", required=False, widget=DATE)
    note = NoteField()


class PurchaseEditForm(ShownVersionMixin, PurchaseOrderForm):
    """A draft's header as edited, with the version its page showed."""


class PurchaseActionForm(ShownVersionMixin):
    """Place or cancel: the version of the order the page showed. Neither moves stock,
    and a repeat is refused by the order's state, so no one-time token is needed."""


class PurchaseDraftForm(IdempotentFormMixin, PurchaseOrderForm):
    """A new draft's header with a one-time token: the same page submitted twice saves one.

    A blank token is accepted (the draft is then saved without that protection), so a
    page rendered before drafts had tokens still saves.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["idempotency_key"].required = False


class DirectPurchaseForm(StoreChoiceMixin, IdempotentFormMixin, forms.Form):
    supplier = PartyPickerField(Supplier)
    store = ModelSelectField(Store.objects.filter(is_active=True))
    note = NoteField()


class OrderLineForm(forms.Form):
    item = ItemPickerField()
    quantity = QuantityField(label="Quantity")
    unit_cost = MoneyField(
        label="Unit cost", required=False, help_text="Blank: the item's unit cost."
    )


class DirectLineForm(OrderLineForm):
    lot_code = forms.CharField(
        label="Lot code", max_length=60, required=False, help_text="Leave blank for a new code."
    )
    expires_on = BoundedDateField(label="Expires on", required=False, widget=DATE)


class ReceiveForm(IdempotentFormMixin, forms.Form):
    """The submission as a whole: carries the one-time token."""


class ReceiveLineForm(forms.Form):
    line = IdField(widget=forms.HiddenInput)
    quantity = QuantityField(label="Quantity now", required=False)
    lot_code = forms.CharField(
        label="Lot code", max_length=60, required=False, help_text="Leave blank for a new code."
    )
    expires_on = BoundedDateField(label="Expires on", required=False, widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in ("quantity", "lot_code", "expires_on"):
            # Off: Back or a reload restores typed boxes by name (receipts-1-...), and
            # the rows re-rendered then may be other lines (one received since).
            self.fields[field].widget.attrs.update({"class": "form-control", "autocomplete": "off"})
        self.fields["lot_code"].widget.attrs["placeholder"] = "blank: new code"

    def describe(self, name: str) -> None:
        """Name each input after the line's item (`name`: its SKU, with the line's number
        where the SKU is on several lines, forms.common.line_names), not its line number."""
        for field, label in (
            ("quantity", "Quantity now"),
            ("lot_code", "Lot code"),
            ("expires_on", "Expires on"),
        ):
            self.fields[field].widget.attrs["aria-label"] = f"{label} of {name}"


class LotDecisionForm(forms.Form):
    note = NoteField(widget=forms.TextInput)
    # The status the queue showed the lot in: a lot decided since is not decided again.
    shown = forms.ChoiceField(choices=QCStatus.choices, required=False)


OrderLineFormSet = lines_formset_factory(OrderLineForm, extra=1, can_delete=True)
DirectLineFormSet = lines_formset_factory(DirectLineForm, extra=1, can_delete=True)


class BaseReceiveLineFormSet(forms.BaseFormSet):
    """One row per outstanding line; at most MAX_LINES rows, or the order's line count when
    an older order has more."""

    def __init__(self, *args, initial=None, **kwargs):
        super().__init__(*args, initial=initial, **kwargs)
        self.max_num = self.absolute_max = max(len(initial or ()), MAX_LINES)


ReceiveLineFormSet = lines_formset_factory(ReceiveLineForm, formset=BaseReceiveLineFormSet, extra=0)


def kept_lines(formset) -> list[dict]:
    """Return the cleaned data of the rows kept (kept_forms)."""
    return [form.cleaned_data for form in kept_forms(formset)]


class LotRejectForm(LotDecisionForm):
    note = NoteField(
        required=True,
        widget=forms.TextInput,
        error_messages={"required": "Say why the lot is rejected."},
    )


class LotHoldForm(LotDecisionForm):
    """Take an approved lot out of sale: on hold (back to the QC queue) or rejected."""

    decision = forms.ChoiceField(
        choices=[("hold", "Put on hold"), ("reject", "Reject")],
        error_messages={
            "required": "Choose hold or reject.",
            "invalid_choice": "Choose hold or reject.",
        },
    )
    note = NoteField(
        required=True,
        widget=forms.TextInput,
        label="Reason",
        error_messages={"required": "Say why the lot is taken out of sale."},
    )


class LotExpiryForm(forms.Form):
    """A lot's expiry date corrected, with the reason; empty means it never expires."""

    expires_on = BoundedDateField(
        label="Expires on",
        required=False,
        widget=DATE,
        help_text="Leave empty if the lot does not expire.",
    )
    note = NoteField(
        required=True,
        widget=forms.TextInput,
        label="Why it changes",
        error_messages={"required": "Say why the expiry date changes."},
        help_text="For example: keyed wrong on the receipt; the supplier's corrected certificate.",
    )
