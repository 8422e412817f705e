"""Input shapes of the sales screens; the rules live in inventory.services.sales."""

from decimal import Decimal

from django import forms

from inventory.models import Customer, SalesOrder, Store
from inventory.quantities import fmt_amount, fmt_qty
from inventory.selectors.sales import TO_SHIP

from .common import (
    AtLeastOneLineMixin,
    IdempotentFormMixin,
    MoneyField,
    NoteField,
    QuantityField,
    ShownVersionMixin,
    line_names,
    lines_formset_factory,
)
from .fields import BoundedDateField, DecimalInput, ModelSelectField
from .filtering import FilterFormMixin
from .party_picker import PartyPickerField
from .stores import StoreChoiceMixin
from .widgets import ItemPickerField

WALK_IN = "walk-in"


def _style(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput | forms.CheckboxInput):
            continue
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs.setdefault("class", css)


class SalesOrderForm(StoreChoiceMixin, forms.Form):
    """The order header: store, customer (empty for walk-in) and a note."""

    store = ModelSelectField(queryset=Store.objects.filter(is_active=True))
    customer = PartyPickerField(Customer, required=False, placeholder="Walk-in customer")
    note = NoteField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class SalesLineForm(forms.Form):
    """One line: an item, a quantity and a price (blank for the item's own price). Its
    inputs are named after the line by the formset ("Quantity, line 2": LineNamesMixin)."""

    item = ItemPickerField(store_field="store")
    quantity = QuantityField(widget=DecimalInput())
    unit_price = MoneyField(
        required=False, widget=DecimalInput(attrs={"placeholder": "Item price"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)
        self.fields["quantity"].widget.attrs.setdefault("step", "any")


class BaseSalesLineFormSet(AtLeastOneLineMixin, forms.BaseFormSet):
    def lines(self) -> list[tuple]:
        """Return [(item, quantity, unit_price or None)] of the kept, filled rows."""
        return [
            (f.cleaned_data["item"], f.cleaned_data["quantity"], f.cleaned_data.get("unit_price"))
            for f in self.kept_forms()
        ]

    def kept_forms(self) -> list[SalesLineForm]:
        """Return the rows that make lines, in order (not removed, not left blank)."""
        return [
            f
            for f in self.forms
            if getattr(f, "cleaned_data", None) and not self._should_delete_form(f)
        ]


SalesLineFormSet = lines_formset_factory(
    SalesLineForm, formset=BaseSalesLineFormSet, extra=0, min_num=1, can_delete=True
)


class QuickSaleForm(IdempotentFormMixin, SalesOrderForm):
    """A counter sale: recorded and issued at once."""


class SalesDraftForm(IdempotentFormMixin, SalesOrderForm):
    """A new draft's header with a one-time token: the same page submitted twice saves one.

    A blank token is accepted (the draft is then saved without that protection), so a
    page rendered before drafts had tokens still saves.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["idempotency_key"].required = False


class SalesEditForm(ShownVersionMixin, SalesOrderForm):
    """A draft's header as edited, with the version its page showed."""


class OrderActionForm(ShownVersionMixin, IdempotentFormMixin):
    """Confirm or cancel: the one-time token and the version the page showed."""


class ShipForm(IdempotentFormMixin):
    """A quantity to ship now for each line that still has stock reserved, and the
    reserved figures the page showed (`shown`), so a stale page ships nothing."""

    shown = forms.CharField(widget=forms.HiddenInput, required=False, max_length=4000)

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["shown"] = ";".join(
            f"{line.pk}:{fmt_qty(line.quantity_reserved)}"
            for line in lines
            if line.quantity_reserved > 0
        )
        self.lines = {}
        to_ship = [line for line in lines if line.quantity_reserved > 0]
        # Each box is named after its line's item, and its row where the SKU repeats.
        for line, shown_as in zip(to_ship, line_names([x.item.sku for x in to_ship]), strict=True):
            name = f"line_{line.pk}"
            self.lines[name] = line
            self.fields[name] = QuantityField(
                label=f"Ship {shown_as}",
                required=False,
                min_value=0,
                initial=line.quantity_reserved,
                help_text=f"{line.item.name}: up to "
                f"{fmt_amount(line.quantity_reserved, line.item.unit)} reserved.",
                # Enter goes on to the next line's box, the last one ships (app.js): each box
                # starts at all that is reserved, so Enter after mending the first shipped
                # every other line in full (found by a QA pass).
                widget=DecimalInput(attrs={"data-enter-next": ""}),
            )
        _style(self)

    def shipments(self) -> dict:
        return {
            line: self.cleaned_data.get(name)
            for name, line in self.lines.items()
            if self.cleaned_data.get(name)
        }

    def clean_shown(self) -> dict | None:
        """{line pk: reserved} as the page showed them; None from a post without the field
        (a script's: it is not checked). Sent empty or garbled, the page is refused."""
        if "shown" not in self.data:
            return None
        try:
            pairs = (part.split(":") for part in self.cleaned_data["shown"].split(";"))
            return {int(pk): Decimal(reserved) for pk, reserved in pairs}
        except (ValueError, ArithmeticError):
            self.add_error(None, "This page is out of date: reload it and ship again.")
            return None

    def field_for(self, line) -> str | None:
        name = f"line_{line.pk}"
        return name if name in self.fields else None


class ReturnForm(IdempotentFormMixin):
    """A customer return of part of a shipped line."""

    quantity = QuantityField()
    note = forms.CharField(required=False, max_length=500)
    damaged = forms.BooleanField(
        required=False,
        label="Damaged",
        help_text="Held in quarantine for a check before it can be sold again.",
    )

    def __init__(self, *args, line=None, name="", **kwargs):
        """`name`: how the boxes name the line (its SKU, by default; forms.common.line_names
        adds its number where the order has the SKU on several lines)."""
        if line is not None:
            kwargs.setdefault("auto_id", f"id_return_{line.pk}_%s")
        super().__init__(*args, **kwargs)
        _style(self)
        if line is not None:
            name = name or line.item.sku
            self.fields["quantity"].widget.attrs.update(
                {
                    "aria-label": f"Return quantity of {name}",
                    "placeholder": f"max {fmt_qty(line.returnable)}"
                    if hasattr(line, "returnable")
                    else "Qty",
                    "step": "any",
                }
            )
            self.fields["note"].widget.attrs.update(
                {"aria-label": f"Return note for {name}", "placeholder": "Reason"}
            )
            self.fields["damaged"].widget.attrs.update(
                {"class": "form-check-input", "aria-label": f"{name} returned damaged"}
            )


class SalesFilterForm(FilterFormMixin, forms.Form):
    """Filters of the order list; every field is optional.

    The customer is picked like on an order, deactivated ones included (their past
    orders stay findable); "Walk-in only" lists the orders without a customer.
    """

    status = forms.ChoiceField(
        required=False,
        choices=[
            ("", "Any status"),
            (TO_SHIP, "To ship (confirmed or partly shipped)"),
            *SalesOrder.Status.choices,
        ],
    )
    customer = PartyPickerField(
        Customer, required=False, include_inactive=True, placeholder="Any customer"
    )
    walk_in = forms.BooleanField(required=False, label="Walk-in only")
    store = ModelSelectField(queryset=Store.objects.all(), required=False, empty_label="Any store")
    date_from = BoundedDateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = BoundedDateField(
        required=False, label="To", widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and data.get("customer") == WALK_IN:
            # A link from before the picker: ?customer=walk-in.
            data = data.copy()
            data.pop("customer")
            data["walk_in"] = "on"
        super().__init__(data, *args, **kwargs)
        _style(self)

    def clean(self):
        data = super().clean()
        if data.get("walk_in") and data.get("customer"):
            self.add_error(
                "customer", "Walk-in orders have no customer: clear it or untick Walk-in only."
            )
        return data

    def filters(self) -> dict:
        """Return keyword arguments for selectors.sales.sales_orders_list (none when the
        filters cannot be read: the view then lists nothing, through `listed`)."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "status": data.get("status") or None,
            "customer": WALK_IN if data.get("walk_in") else data.get("customer"),
            "store": data.get("store"),
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }
