"""API filter sets: the web screens' filters where there is one, the same fields otherwise."""

import re

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, Value
from django.db.models.functions import Lower
from django_filters.constants import EMPTY_VALUES

from inventory.filters.base import CreatedDaysFilterSet
from inventory.filters.catalog import STATUS_CHOICES
from inventory.models import (
    Category,
    Customer,
    Item,
    Lot,
    PurchaseOrder,
    QCStatus,
    SalesOrder,
    StockBalance,
    Store,
    Supplier,
)
from inventory.selectors.pickers import barcode_is
from inventory.selectors.purchasing import awaiting_qc

ORDER_NUMBER = re.compile(r"(?P<prefix>[A-Za-z]{2})-(?P<digits>[0-9]{6,19})")
MAX_ID = 2**63 - 1
EXACT = ("barcode", "sku")  # lookups of one item by a code: blank matches nothing


class ItemFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_search", label="SKU or name contains, or the barcode is"
    )
    barcode = django_filters.CharFilter(method="filter_barcode", label="Barcode (exact)")
    sku = django_filters.CharFilter(method="filter_sku", label="SKU (exact, any letter case)")
    category = django_filters.ModelChoiceFilter(queryset=Category.objects.all())
    supplier = django_filters.ModelChoiceFilter(queryset=Supplier.objects.all())
    status = django_filters.ChoiceFilter(choices=STATUS_CHOICES, method="filter_status")

    class Meta:
        model = Item
        fields: list[str] = []

    def filter_search(self, queryset, name, value):
        value = value.strip()[:100]
        if not value:
            return queryset
        return queryset.filter(
            Q(sku__icontains=value) | Q(name__icontains=value) | barcode_is(value)
        )

    def filter_barcode(self, queryset, name, value):
        # What a scanner reads: the item it names, or none (a blank barcode names nothing).
        return queryset.filter(barcode_is(value.strip()))

    def filter_sku(self, queryset, name, value):
        # The item whose SKU this is (SKUs are unique whatever their case), or none; not
        # `q`'s "contains", where BOLT-M8 also finds BOLT-M80.
        return queryset.alias(sku_lower=Lower("sku")).filter(sku_lower=Lower(Value(value.strip())))

    def filter_status(self, queryset, name, value):
        return queryset.filter(is_active=(value == "active"))

    def filter_queryset(self, queryset):
        # A code sent blank (`?barcode=`, a misread scan) names no item; django-filter
        # skips blank values, which would list the whole catalogue as its "match".
        if any(key in self.data and not self.form.cleaned_data.get(key) for key in EXACT):
            return queryset.none()
        return super().filter_queryset(queryset)


class StrictBooleanField(forms.NullBooleanField):
    """`true` or `false` (any letter case); absent or empty is no filter. Anything else is
    refused: read as "no filter", `in_stock=yes` would quietly list every lot."""

    widget = forms.TextInput  # the raw text, not NullBooleanSelect's reading of it

    def to_python(self, value):
        text = (value or "").strip().lower()
        if not text:
            return None
        if text not in ("true", "false"):
            raise forms.ValidationError("Enter true or false.", code="invalid")
        return text == "true"

    def validate(self, value):
        pass


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class LotFilter(django_filters.FilterSet):
    """Every lot, emptied ones too: `in_stock` keeps those with (or without) stock, and
    `awaiting_qc=true` gives what the QC queue shows (the selector's rule, not a copy)."""

    item = django_filters.ModelChoiceFilter(queryset=Item.objects.all())
    qc_status = django_filters.ChoiceFilter(choices=QCStatus.choices)
    code = django_filters.CharFilter(field_name="code", lookup_expr="iexact")
    in_stock = StrictBooleanFilter(
        method="filter_in_stock",
        label="true: lots with stock on hand in some store; false: lots with none anywhere",
    )
    awaiting_qc = StrictBooleanFilter(
        method="filter_awaiting_qc",
        label="true: the lots the QC queue shows (in quarantine, with stock); false: the others",
    )

    class Meta:
        model = Lot
        fields: list[str] = []

    def filter_in_stock(self, queryset, name, value):
        # A subquery, not a join: the list's on-hand sum over the lot's balances stays whole.
        stocked = Exists(StockBalance.objects.filter(lot=OuterRef("pk"), on_hand__gt=0))
        return queryset.filter(stocked if value else ~stocked)

    def filter_awaiting_qc(self, queryset, name, value):
        waiting = Q(pk__in=awaiting_qc().values("pk"))
        return queryset.filter(waiting if value else ~waiting)


class OrderNumberFilter(django_filters.CharFilter):
    """The order's number as shown (`PO-000123`, any letter case): that order, or none.

    The number is the primary key written with its prefix and at least six digits, so
    it is read back into the key; anything else (`PO-123`, another prefix) matches no order.
    """

    def __init__(self, *, prefix: str, **kwargs):
        self.prefix = prefix
        kwargs.setdefault("label", f"Order number, exact ({prefix}-000123)")
        super().__init__(**kwargs)

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        match = ORDER_NUMBER.fullmatch(value.strip())
        if not match or match["prefix"].upper() != self.prefix:
            return qs.none()
        digits = match["digits"]
        pk = int(digits)
        if f"{pk:06d}" != digits or pk > MAX_ID:
            return qs.none()
        return qs.filter(pk=pk)


class PurchaseOrderFilter(CreatedDaysFilterSet):
    number = OrderNumberFilter(prefix="PO")
    status = django_filters.ChoiceFilter(choices=PurchaseOrder.Status.choices)
    supplier = django_filters.ModelChoiceFilter(queryset=Supplier.objects.all())
    store = django_filters.ModelChoiceFilter(queryset=Store.objects.all())

    class Meta:
        model = PurchaseOrder
        fields: list[str] = []


class SalesOrderFilter(CreatedDaysFilterSet):
    number = OrderNumberFilter(prefix="SO")
    status = django_filters.ChoiceFilter(choices=SalesOrder.Status.choices)
    customer = django_filters.ModelChoiceFilter(queryset=Customer.objects.all())
    store = django_filters.ModelChoiceFilter(queryset=Store.objects.all())

    class Meta:
        model = SalesOrder
        fields: list[str] = []


class StockLevelFilter(django_filters.FilterSet):
    """Query parameters of the stock levels (read by the view; the selector filters)."""

    store = django_filters.ModelChoiceFilter(queryset=Store.objects.all())
    item = django_filters.ModelChoiceFilter(queryset=Item.objects.all())
    q = django_filters.CharFilter(label="SKU or name contains")
    low = StrictBooleanFilter(label="true: only rows below their reorder level")

    class Meta:
        model = StockBalance
        fields: list[str] = []


class LotBalanceFilter(django_filters.FilterSet):
    """Query parameters of the per-lot balances (read by the view; the selector filters)."""

    item = django_filters.ModelChoiceFilter(queryset=Item.objects.all())
    store = django_filters.ModelChoiceFilter(queryset=Store.objects.all())
    lot = django_filters.ModelChoiceFilter(queryset=Lot.objects.all())

    class Meta:
        model = StockBalance
        fields: list[str] = []
