"""Catalogue services: create, update, deactivate and activate reference data.

Every change runs in one transaction, re-reads the row under a lock and writes an
AuditEvent whose details hold {field: [before, after]}. Nothing here deletes: a row
that is no longer wanted is deactivated, so the ledger and orders that point at it
stay whole. Stock services refuse inactive items and stores.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.text import capfirst

from inventory.exceptions import InventoryError
from inventory.models import (
    Category,
    Customer,
    Item,
    StockBalance,
    Store,
    Supplier,
)

from .actor import as_actor
from .alerts import alerts_refresh, alerts_resolve_deactivated
from .audit import audit_record, model_changes
from .catalog_checks import CHECKS, check_store_closable

# The fields each service may set; is_active moves only through (de)activate.
FIELDS: dict[type[models.Model], tuple[str, ...]] = {
    Item: (
        "sku",
        "barcode",
        "name",
        "description",
        "category",
        "supplier",
        "unit",
        "unit_cost",
        "unit_price",
        "reorder_level",
        "qc_required",
    ),
    Category: ("name", "description"),
    Store: ("code", "name", "kind", "address", "contact"),
    Supplier: ("name", "email", "phone", "address"),
    Customer: ("name", "email", "phone", "address"),
}
# Short text fields trimmed of surrounding spaces before they are checked and saved.
_STRIPPED = {"sku", "barcode", "name", "code", "email", "phone", "contact"}


def _label(model) -> str:
    return model._meta.verbose_name.capitalize()


def _snapshot(obj) -> dict:
    """Return the audited values of `obj`: FK ids, not objects, so they compare simply."""
    values = {}
    for name in (*FIELDS[type(obj)], "is_active"):
        field = obj._meta.get_field(name)
        values[name] = getattr(obj, field.attname)
    return values


def _audited_changes(model, before: dict, after: dict) -> dict:
    """model_changes, with a reference to another row (an item's category or supplier)
    named as a person reads it in the audit log, "Tools (#3)", not a bare id."""
    changes = model_changes(before, after)
    for name, pair in changes.items():
        field = model._meta.get_field(name)
        if field.is_relation:
            rows = field.related_model.objects.in_bulk([pk for pk in pair if pk is not None])
            changes[name] = [pk if pk not in rows else f"{rows[pk]} (#{pk})" for pk in pair]
    return changes


def _apply(obj, data: dict) -> None:
    unknown = set(data) - set(FIELDS[type(obj)])
    if unknown:
        raise InventoryError(f"These fields cannot be set here: {', '.join(sorted(unknown))}.")
    for name, value in data.items():
        if name in _STRIPPED and isinstance(value, str):
            value = value.strip()
        if value is None and name in ("description", "address", "email", "phone", "contact"):
            value = ""
        setattr(obj, name, value)


def _first_error(exc: ValidationError) -> InventoryError:
    if hasattr(exc, "error_dict"):
        field, errors = next(iter(exc.error_dict.items()))
        field = None if field == "__all__" else field
        return InventoryError(" ".join(errors[0].messages), field=field)
    return InventoryError(" ".join(exc.messages))


def catalog_validate(obj) -> None:
    """Raise InventoryError naming the field when `obj` may not be saved as it is.

    Forms call this to report problems early; the services call it again inside
    their transaction, so the rule holds whoever the caller is.
    """
    for name in ("sku", "code", "name"):
        if name in FIELDS[type(obj)] and not (getattr(obj, name) or "").strip():
            label = capfirst(obj._meta.get_field(name).verbose_name)
            raise InventoryError(f"{label} is required.", field=name)
    try:
        # Converts and checks each field (lengths, choices, numbers); the checks below
        # give the uniqueness and sign rules their own messages.
        obj.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise _first_error(exc) from exc
    check = CHECKS.get(type(obj))
    if check is not None:
        check(obj)


def _save(obj) -> None:
    """Save in a savepoint; a uniqueness race the checks missed becomes a clear refusal."""
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        field = {Item: "sku", Category: "name", Store: "code"}.get(type(obj))
        raise InventoryError(
            f"{_label(type(obj))} could not be saved: another one has the same "
            f"{field or 'values'}.",
            field=field,
        ) from exc


def _create(*, actor, model, data: dict):
    actor = as_actor(actor)
    obj = model()
    _apply(obj, data)
    with transaction.atomic():
        catalog_validate(obj)
        _save(obj)
        audit_record(
            actor=actor,
            action=f"{model._meta.model_name}.create",
            obj=obj,
            details=_audited_changes(model, {}, _snapshot(obj)),
        )
    return obj


def _locked(obj):
    return type(obj).objects.select_for_update().get(pk=obj.pk)


def _update(*, actor, obj, data: dict):
    actor = as_actor(actor)
    with transaction.atomic():
        obj = _locked(obj)
        before = _snapshot(obj)
        _apply(obj, data)
        catalog_validate(obj)
        changes = _audited_changes(type(obj), before, _snapshot(obj))
        if not changes:
            return obj
        _save(obj)
        audit_record(
            actor=actor,
            action=f"{obj._meta.model_name}.update",
            obj=obj,
            details=changes,
        )
    return obj


# What must hold before a row is deactivated, whoever asks (screens, API, admin actions).
DEACTIVATE_CHECKS = {Store: check_store_closable}


def _set_active(*, actor, obj, active: bool):
    """Activate or deactivate `obj` under its lock."""
    actor = as_actor(actor)
    with transaction.atomic():
        obj = _locked(obj)
        if obj.is_active == active:
            state = "active" if active else "deactivated"
            raise InventoryError(f"{_label(type(obj))} {obj} is already {state}.")
        if not active and type(obj) in DEACTIVATE_CHECKS:
            DEACTIVATE_CHECKS[type(obj)](obj)
        before = _snapshot(obj)
        obj.is_active = active
        obj.save(update_fields=["is_active"])
        if not active and isinstance(obj, Item | Store):
            alerts_resolve_deactivated(obj)
        audit_record(
            actor=actor,
            action=f"{obj._meta.model_name}.{'activate' if active else 'deactivate'}",
            obj=obj,
            details=model_changes(before, _snapshot(obj)),
        )
    return obj


# Items


def item_create(*, actor, data: dict) -> Item:
    """Create an item; its SKU must be unique ignoring case and its prices not negative."""
    return _create(actor=actor, model=Item, data=data)


def item_update(*, actor, item: Item, data: dict) -> Item:
    """Change an item's catalogue fields; stock figures are never set here.

    A new reorder level re-evaluates the item's low-stock alerts in every store it is
    stocked in, in the same transaction.
    """
    with transaction.atomic():
        old_level = type(item).objects.filter(pk=item.pk).values_list("reorder_level", flat=True)
        old_level = old_level.first()
        item = _update(actor=actor, obj=item, data=data)
        if item.reorder_level != old_level:
            stores = StockBalance.objects.filter(item=item).values_list("store_id", flat=True)
            alerts_refresh(
                pairs={(item.pk, store_id) for store_id in stores},
                actor=actor,
                levels={item.pk: item.reorder_level},
                include_unlevelled=True,
            )
    return item


def item_deactivate(*, actor, item: Item) -> Item:
    """Deactivate an item: it can no longer be received, reserved or sold; history stays,
    and an order confirmed before may still ship what it reserved."""
    return _set_active(actor=actor, obj=item, active=False)


def item_activate(*, actor, item: Item) -> Item:
    """Make a deactivated item available again."""
    return _set_active(actor=actor, obj=item, active=True)


# Stores


def store_create(*, actor, data: dict) -> Store:
    """Create a store or warehouse; its code must be unique ignoring case."""
    return _create(actor=actor, model=Store, data=data)


def store_update(*, actor, store: Store, data: dict) -> Store:
    """Change a store's details."""
    return _update(actor=actor, obj=store, data=data)


def store_deactivate(*, actor, store: Store) -> Store:
    """Deactivate a store: nothing is received, sold or moved into it any more (its stock
    can still be moved out). Refused while it has unfinished orders."""
    return _set_active(actor=actor, obj=store, active=False)


def store_activate(*, actor, store: Store) -> Store:
    """Make a deactivated store usable again."""
    return _set_active(actor=actor, obj=store, active=True)


# Categories


def category_create(*, actor, data: dict) -> Category:
    """Create a category; names are unique ignoring case."""
    return _create(actor=actor, model=Category, data=data)


def category_update(*, actor, category: Category, data: dict) -> Category:
    """Rename or describe a category."""
    return _update(actor=actor, obj=category, data=data)


def category_deactivate(*, actor, category: Category) -> Category:
    """Deactivate a category: new items cannot use it; existing items keep it."""
    return _set_active(actor=actor, obj=category, active=False)


def category_activate(*, actor, category: Category) -> Category:
    """Make a deactivated category usable again."""
    return _set_active(actor=actor, obj=category, active=True)


# Suppliers


def supplier_create(*, actor, data: dict) -> Supplier:
    """Create a supplier."""
    return _create(actor=actor, model=Supplier, data=data)


def supplier_update(*, actor, supplier: Supplier, data: dict) -> Supplier:
    """Change a supplier's contact details."""
    return _update(actor=actor, obj=supplier, data=data)


def supplier_deactivate(*, actor, supplier: Supplier) -> Supplier:
    """Deactivate a supplier: items cannot newly name it as their default supplier."""
    return _set_active(actor=actor, obj=supplier, active=False)


def supplier_activate(*, actor, supplier: Supplier) -> Supplier:
    """Make a deactivated supplier usable again."""
    return _set_active(actor=actor, obj=supplier, active=True)


# Customers


def customer_create(*, actor, data: dict) -> Customer:
    """Create a customer."""
    return _create(actor=actor, model=Customer, data=data)


def customer_update(*, actor, customer: Customer, data: dict) -> Customer:
    """Change a customer's contact details."""
    return _update(actor=actor, obj=customer, data=data)


def customer_deactivate(*, actor, customer: Customer) -> Customer:
    """Deactivate a customer; their orders and history stay."""
    return _set_active(actor=actor, obj=customer, active=False)


def customer_activate(*, actor, customer: Customer) -> Customer:
    """Make a deactivated customer usable again."""
    return _set_active(actor=actor, obj=customer, active=True)


def catalog_save(*, actor, obj, data: dict):
    """Create `obj`'s row when it has none yet, else update it (used by the admin)."""
    model = type(obj)
    if obj.pk is None:
        return _create(actor=actor, model=model, data=data)
    return _update(actor=actor, obj=obj, data=data)


def catalog_set_active(*, actor, obj, active: bool):
    """Activate or deactivate any catalogue row (used by screens and admin actions)."""
    return _set_active(actor=actor, obj=obj, active=active)
