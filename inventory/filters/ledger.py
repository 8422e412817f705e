"""Filters for the movements list and its CSV export: item, store, lot, kind, user, dates."""

import django_filters
from django import forms
from django.contrib.auth import get_user_model

from inventory.forms.filtering import FilterFormMixin
from inventory.models import Item, LedgerEntry, Lot, Store

from .base import DATE_INPUT, CreatedDaysFilterSet, DateFilter, IdFilter


class LedgerFilterForm(FilterFormMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            is_select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = (
                "form-select form-select-sm" if is_select else "form-control form-control-sm"
            )


class LedgerEntryFilter(CreatedDaysFilterSet):
    """Every field is optional and they combine with AND.

    Dates are whole local days turned into created_at bounds, so the database can
    use the created_at index (a `created_at__date` lookup could not).
    """

    item = django_filters.ModelChoiceFilter(
        queryset=Item.objects.order_by("sku"), label="Item", empty_label="All items"
    )
    store = django_filters.ModelChoiceFilter(
        queryset=Store.objects.all(), label="Store", empty_label="All stores"
    )
    lot = django_filters.CharFilter(method="filter_lot", label="Lot code")
    kind = django_filters.ChoiceFilter(
        choices=LedgerEntry.Kind.choices, label="Kind", empty_label="All kinds"
    )
    user = django_filters.ModelChoiceFilter(
        field_name="actor",
        queryset=get_user_model().objects.order_by("username"),
        label="User",
        empty_label="Everyone",
    )
    # Declared again here only to keep their place in the form, after the user.
    date_from = DateFilter(method="filter_date_from", label="From", widget=DATE_INPUT)
    date_to = DateFilter(method="filter_date_to", label="To", widget=DATE_INPUT)
    operation = IdFilter(field_name="operation_id", label="Operation", widget=forms.HiddenInput)

    class Meta:
        model = LedgerEntry
        fields: list[str] = []
        form = LedgerFilterForm

    def filter_lot(self, queryset, name, value):
        """Movements of the lots with this code: by lot id, so the lot_id index serves
        (a join on the code made the database walk the whole history newest first,
        looking for one lot's rows among every other lot's)."""
        lots = Lot.objects.filter(code__iexact=value.strip()).values("pk")
        return queryset.filter(lot__in=lots)
