"""Catalogue forms: the input's shape. The rules live in inventory.services.catalog."""

from decimal import Decimal

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import Q

from inventory.exceptions import InventoryError
from inventory.models import Category, Customer, Item, Store, Supplier
from inventory.services.catalog import FIELDS, catalog_validate

from .fields import safe_formfield
from .party_picker import PartyPickerField

# An item's figures that read blank as 0.
ZERO_WHEN_BLANK = ("unit_cost", "unit_price", "reorder_level")

# violation_error_code of the catalogue's constraints (models/catalog.py) -> the field.
CONSTRAINT_FIELDS = {
    "unique_name": "name",
    "unique_sku": "sku",
    "unique_barcode": "barcode",
    "negative_unit_cost": "unit_cost",
    "negative_unit_price": "unit_price",
    "negative_reorder_level": "reorder_level",
}


class CatalogFormMixin:
    """Report the service's rules (unique SKU ignoring case, no negative prices) as field errors.

    ModelForm would check the database constraints with a generic message; the
    service's own check names the field and says what is wrong instead.
    """

    def _post_clean(self):
        super()._post_clean()
        self._constraint_errors_onto_fields()

    def _constraint_errors_onto_fields(self):
        """Show a database constraint's message next to its field, once.

        Model validation reports constraints (unique SKU, no negative price) above the
        form; the service's check usually said the same on the field already.
        """
        if NON_FIELD_ERRORS not in self._errors:
            return
        kept = []
        for error in self._errors.pop(NON_FIELD_ERRORS).as_data():
            field = CONSTRAINT_FIELDS.get(error.code)
            if field not in self.fields:
                kept.append(error)
            elif not self.has_error(field):
                self.add_error(field, error)
        if kept:
            self._errors[NON_FIELD_ERRORS] = self.error_class(kept, error_class="nonfield")

    def validate_unique(self):
        try:
            catalog_validate(self.instance)
        except InventoryError as exc:
            field = exc.field if exc.field in self.fields else None
            if field is None or not self.has_error(field):
                self.add_error(field, exc.message)

    @property
    def service_data(self) -> dict:
        """The cleaned values the catalogue service accepts for this model."""
        allowed = FIELDS[self._meta.model]
        return {name: value for name, value in self.cleaned_data.items() if name in allowed}


def _active_or_current(queryset, current_id):
    """Offer active rows, plus the one already chosen so an edit can keep it."""
    return queryset.filter(Q(is_active=True) | Q(pk=current_id))


class ZeroWhenBlankMixin:
    """An item's cost, price and reorder level read blank as 0, and a new item's boxes
    start blank: a box showing "0" turned a typed "1.00" into "01.00". Shared by the
    app's item form and the Django admin's."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ZERO_WHEN_BLANK:
            if name not in self.fields:
                continue
            self.fields[name].required = False
            self.fields[name].widget.attrs["placeholder"] = "0"
            if self.instance.pk is None:
                self.initial[name] = None

    def clean(self):
        data = super().clean()
        for name in ZERO_WHEN_BLANK:
            if name in self.fields and name not in self.errors and data.get(name) is None:
                data[name] = Decimal(0)
        return data


class ItemForm(CatalogFormMixin, ZeroWhenBlankMixin, forms.ModelForm):
    # Picked by name: the page renders the chosen supplier, not all of them.
    supplier = PartyPickerField(
        Supplier, required=False, label="Default supplier", placeholder="No default supplier"
    )

    class Meta:
        model = Item
        fields = FIELDS[Item]
        formfield_callback = safe_formfield
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        categories = _active_or_current(Category.objects.all(), self.instance.category_id)
        self.fields["category"].queryset = categories
        if not self.instance.pk and not categories.exists():
            # A first item before any category: the list is empty and required.
            hint = "No categories yet: add one first (Manage → Categories), then come back."
            self.fields["category"].help_text = hint
        # Like _active_or_current: an edit keeps its supplier even once deactivated.
        self.fields["supplier"].current = self.instance.supplier_id


class CategoryForm(CatalogFormMixin, forms.ModelForm):
    class Meta:
        model = Category
        fields = FIELDS[Category]
        formfield_callback = safe_formfield
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class StoreForm(CatalogFormMixin, forms.ModelForm):
    class Meta:
        model = Store
        fields = FIELDS[Store]
        formfield_callback = safe_formfield
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}


class SupplierForm(CatalogFormMixin, forms.ModelForm):
    class Meta:
        model = Supplier
        fields = FIELDS[Supplier]
        formfield_callback = safe_formfield
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}


class CustomerForm(CatalogFormMixin, forms.ModelForm):
    class Meta:
        model = Customer
        fields = FIELDS[Customer]
        formfield_callback = safe_formfield
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}
