"""Catalogue forms: the input's shape. The rules live in inventory.services.catalog."""

from django import forms
from django.db.models import Q

from inventory.exceptions import InventoryError
from inventory.models import Category, Customer, Item, Store, Supplier
from inventory.services.catalog import FIELDS, catalog_validate


class CatalogFormMixin:
    """Report the service's rules (unique SKU ignoring case, no negative prices) as field errors.

    ModelForm would check the database constraints with a generic message; the
    service's own check names the field and says what is wrong instead.
    """

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


class ItemForm(CatalogFormMixin, forms.ModelForm):
    class Meta:
        model = Item
        fields = FIELDS[Item]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = _active_or_current(
            Category.objects.all(), self.instance.category_id
        )
        self.fields["supplier"].queryset = _active_or_current(
            Supplier.objects.all(), self.instance.supplier_id
        )
        for name in ("unit_cost", "unit_price", "reorder_level"):
            self.fields[name].widget.attrs["min"] = "0"


class CategoryForm(CatalogFormMixin, forms.ModelForm):
    class Meta:
        model = Category
        fields = FIELDS[Category]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class StoreForm(CatalogFormMixin, forms.ModelForm):
    class Meta:
        model = Store
        fields = FIELDS[Store]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}


class SupplierForm(CatalogFormMixin, forms.ModelForm):
    class Meta:
        model = Supplier
        fields = FIELDS[Supplier]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}


class CustomerForm(CatalogFormMixin, forms.ModelForm):
    class Meta:
        model = Customer
        fields = FIELDS[Customer]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}
