"""A locked-down Django admin.

- The ledger, balances, operations, QC decisions, audit events and alerts are read-only
  for everyone, superusers included: no add, no change, no delete.
- Purchase and sales orders are read-only here; they move through the app's screens.
- Catalogue rows are created and edited through inventory.services.catalog (save_model),
  never deleted, and (de)activated by admin actions calling the same services.
- Lots are read-only; "approve selected" and "reject selected" call the QC services.
"""

from django import forms
from django.contrib import admin
from django.db import models

from inventory.admin_base import ReadOnlyAdminMixin, SafeAdminMixin, act_on_each
from inventory.forms.catalog import CatalogFormMixin, ZeroWhenBlankMixin
from inventory.forms.fields import decimal_form_class
from inventory.models import (
    Alert,
    AuditEvent,
    Category,
    Customer,
    Item,
    LedgerEntry,
    Lot,
    LotDecision,
    Operation,
    PurchaseOrder,
    PurchaseOrderLine,
    SalesOrder,
    SalesOrderLine,
    StockBalance,
    Store,
    Supplier,
)
from inventory.selectors.stock import items_with_stock
from inventory.services.actor import Actor
from inventory.services.catalog import FIELDS, catalog_save, catalog_set_active
from inventory.services.qc import lot_approve


class ReadOnlyAdmin(SafeAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_per_page = 50


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0
    can_delete = False


# Ledger, balances and the audit trail


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = (
        "pk",
        "created_at",
        "kind",
        "item",
        "store",
        "lot",
        "quantity",
        "on_hand_delta",
        "reserved_delta",
        "actor",
    )
    list_filter = ("kind", "store", "reason")
    list_select_related = ("item", "store", "lot", "actor")
    search_fields = ("item__sku", "lot__code", "note")
    date_hierarchy = "created_at"


@admin.register(StockBalance)
class StockBalanceAdmin(ReadOnlyAdmin):
    list_display = ("store", "item", "lot", "on_hand", "reserved", "available")
    list_filter = ("store",)
    list_select_related = ("store", "item", "lot")
    search_fields = ("item__sku", "lot__code")


@admin.register(Operation)
class OperationAdmin(ReadOnlyAdmin):
    list_display = ("pk", "kind", "actor", "created_at", "idempotency_key")
    list_filter = ("kind",)
    list_select_related = ("actor",)


@admin.register(LotDecision)
class LotDecisionAdmin(ReadOnlyAdmin):
    list_display = ("lot", "from_status", "to_status", "actor", "created_at", "note")
    list_select_related = ("lot", "actor")
    list_filter = ("to_status",)


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "actor_username", "action", "object_type", "object_repr")
    list_filter = ("action", "object_type")
    search_fields = ("actor_username", "action", "object_repr", "object_id")
    date_hierarchy = "created_at"


@admin.register(Alert)
class AlertAdmin(ReadOnlyAdmin):
    list_display = ("item", "store", "status", "available_at_open", "reorder_level", "opened_at")
    list_filter = ("status", "store")
    list_select_related = ("item", "store")


# Orders: read-only, changes go through the app's screens


class PurchaseOrderLineInline(ReadOnlyInline):
    model = PurchaseOrderLine
    fields = ("item", "quantity_ordered", "unit_cost", "quantity_received")


@admin.register(PurchaseOrder)
class PurchaseOrderAdmin(ReadOnlyAdmin):
    list_display = ("number", "supplier", "store", "status", "created_at")
    list_filter = ("status", "store")
    list_select_related = ("supplier", "store")
    inlines = [PurchaseOrderLineInline]


class SalesOrderLineInline(ReadOnlyInline):
    model = SalesOrderLine
    fields = ("item", "quantity", "unit_price", "quantity_reserved", "quantity_shipped")


@admin.register(SalesOrder)
class SalesOrderAdmin(ReadOnlyAdmin):
    list_display = ("number", "customer", "store", "status", "created_at")
    list_filter = ("status", "store")
    list_select_related = ("customer", "store")
    inlines = [SalesOrderLineInline]


# Lots: read-only, with QC decisions as actions


def _decide_lots(modeladmin, request, queryset, decide, verb):
    actor = Actor.from_request(request)
    note = f"{verb.capitalize()} in the admin."
    rows = queryset.select_related("item")
    done = act_on_each(
        modeladmin, request, rows, lambda lot: decide(actor=actor, lot=lot, note=note)
    )
    if done:
        modeladmin.message_user(request, f"{done} lot{'s' if done != 1 else ''} {verb}.")


@admin.register(Lot)
class LotAdmin(ReadOnlyAdmin):
    list_display = ("code", "item", "qc_status", "supplier", "unit_cost", "received_at")
    list_filter = ("qc_status",)
    list_select_related = ("item", "supplier")
    search_fields = ("code", "item__sku")
    # No reject here: a rejection needs its reason, which the QC queue asks for.
    actions = ["approve_selected"]

    def has_qc_permission(self, request):
        return request.user.has_perm("inventory.change_lot")

    @admin.action(description="Approve selected lots (QC)", permissions=["qc"])
    def approve_selected(self, request, queryset):
        _decide_lots(self, request, queryset, lot_approve, "approved")


# Catalogue: through the services, never deleted


class CatalogAdmin(SafeAdminMixin, admin.ModelAdmin):
    readonly_fields = ("is_active",)
    actions = ["deactivate_selected", "activate_selected"]
    list_per_page = 50

    def get_fields(self, request, obj=None):
        return [*FIELDS[self.model], *self.get_readonly_fields(request, obj)]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # NaN, sNaN and Infinity refused as input, dates kept in range: never a 500.
        if isinstance(db_field, models.DecimalField):
            kwargs.setdefault("form_class", decimal_form_class(db_field))
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        # The services' rules (SKU unique ignoring case, no negative price) as field errors.
        kwargs["form"] = type(f"{self.model.__name__}AdminForm", (CatalogFormMixin, self.form), {})
        return super().get_form(request, obj, change, **kwargs)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        """Save through the catalogue service, which validates and writes the audit event."""
        data = {name: form.cleaned_data[name] for name in FIELDS[self.model] if name in form.fields}
        saved = catalog_save(actor=Actor.from_request(request), obj=obj, data=data)
        obj.pk = saved.pk
        obj.refresh_from_db()

    def _set_active(self, request, queryset, active: bool):
        actor = Actor.from_request(request)
        done = act_on_each(
            self,
            request,
            queryset.filter(is_active=not active),
            lambda obj: catalog_set_active(actor=actor, obj=obj, active=active),
        )
        verb = "activated" if active else "deactivated"
        meta = self.model._meta
        name = meta.verbose_name if done == 1 else meta.verbose_name_plural
        self.message_user(request, f"{done} {name} {verb}.")

    @admin.action(description="Deactivate selected", permissions=["change"])
    def deactivate_selected(self, request, queryset):
        self._set_active(request, queryset, active=False)

    @admin.action(description="Activate selected", permissions=["change"])
    def activate_selected(self, request, queryset):
        self._set_active(request, queryset, active=True)


@admin.register(Item)
class ItemAdmin(CatalogAdmin):
    # Blank cost, price and reorder level are 0, as on the app's own item form.
    form = type("ItemAdminBaseForm", (ZeroWhenBlankMixin, forms.ModelForm), {})
    list_display = (
        "sku",
        "name",
        "category",
        "unit",
        "unit_cost",
        "unit_price",
        "on_hand",
        "available",
        "is_active",
    )
    list_filter = ("is_active", "category", "qc_required")
    list_select_related = ("category",)
    search_fields = ("sku", "name")
    readonly_fields = ("is_active", "on_hand", "available")
    # Searched as one types (SupplierAdmin's search_fields), not a <select> of all of them.
    autocomplete_fields = ("supplier",)

    def get_queryset(self, request):
        return items_with_stock(super().get_queryset(request))

    @admin.display(description="On hand")
    def on_hand(self, obj):
        return getattr(obj, "on_hand", "—")

    @admin.display(description="Available")
    def available(self, obj):
        return getattr(obj, "available", "—")


@admin.register(Category)
class CategoryAdmin(CatalogAdmin):
    list_display = ("name", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name",)


@admin.register(Store)
class StoreAdmin(CatalogAdmin):
    list_display = ("code", "name", "kind", "is_active")
    list_filter = ("is_active", "kind")
    search_fields = ("code", "name")


@admin.register(Supplier)
class SupplierAdmin(CatalogAdmin):
    list_display = ("name", "email", "phone", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "email")


@admin.register(Customer)
class CustomerAdmin(CatalogAdmin):
    list_display = ("name", "email", "phone", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "email")
