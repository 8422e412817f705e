"""The catalogue's rules that read the database: uniqueness (SKU, barcode, category and
store names), signs, usable references, and what an item's history fixes (its unit).

catalog_validate runs them for forms (early, as field errors) and again inside each
service's transaction, so they hold whoever the caller is.
"""

import re
from decimal import Decimal

from django.db.models import Value
from django.db.models.functions import Lower

from inventory import rules
from inventory.exceptions import InventoryError
from inventory.models import (
    EDITABLE_PURCHASE_STATUSES,
    OPEN_PURCHASE_STATUSES,
    UNFINISHED_SALES_STATUSES,
    Category,
    Item,
    LedgerEntry,
    PurchaseOrder,
    PurchaseOrderLine,
    SalesOrder,
    SalesOrderLine,
    Store,
    Supplier,
)

# What scanners read: printable ASCII, no spaces (EAN and UPC are digits; Code 128 more).
BARCODE = re.compile(r"[!-~]{1,64}")
# What a SKU may be: typed at the counter, printed on labels, put in links and CSV files.
SKU = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/+#:-]{0,39}")
# What a store code may be: a short label in menus, CSV files and links.
STORE_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,19}")

_NON_NEGATIVE = {
    "unit_cost": "Unit cost",
    "unit_price": "Unit price",
    "reorder_level": "Reorder level",
}


def _check_item(item: Item) -> None:
    previous = (
        Item.objects.filter(pk=item.pk)
        .values("sku", "category_id", "supplier_id", "unit", "reorder_level")
        .first()
        or {}
    )
    # A SKU on record before this rule may keep its form; a new or changed one may not.
    if previous.get("sku") != item.sku and not SKU.fullmatch(item.sku or ""):
        raise InventoryError(
            "A SKU is letters A-Z, digits and . _ / + # : - without spaces, starting with "
            "a letter or digit (40 at most).",
            field="sku",
        )
    # Lower() on both sides, as the unique index is built: sku__iexact (LIKE, UPPER())
    # could not use it and read every item, per item created (a 1,000-row import: 18 s).
    same_sku = Item.objects.alias(sku_ci=Lower("sku")).filter(sku_ci=Lower(Value(item.sku)))
    if same_sku.exclude(pk=item.pk).exists():
        raise InventoryError(
            f"SKU {item.sku} is already used by another item (SKUs ignore case).", field="sku"
        )
    if item.barcode:
        if not BARCODE.fullmatch(item.barcode):
            raise InventoryError(
                "A barcode is letters, digits and symbols without spaces (64 at most).",
                field="barcode",
            )
        taken = Item.objects.filter(barcode=item.barcode).exclude(pk=item.pk).first()
        if taken is not None:
            raise InventoryError(
                f"Barcode {item.barcode} is already on {taken.sku}.", field="barcode"
            )
    for field, label in _NON_NEGATIVE.items():
        value = getattr(item, field)
        if value is not None and Decimal(value) < 0:
            raise InventoryError(f"{label} cannot be negative.", field=field)
    # Before the level, which would be judged in a unit the item cannot take.
    if previous and previous["unit"] != item.unit and _has_history(item):
        raise InventoryError(
            f"The unit of {item.sku} cannot change from {previous['unit']} to {item.unit}: "
            "its stock, movements and orders are counted in "
            f"{previous['unit']}, and would all read as {item.unit}. Create a new item for the "
            "new unit (and deactivate this one once its stock is gone).",
            field="unit",
        )
    changed_level = (previous.get("reorder_level"), previous.get("unit")) != (
        item.reorder_level,
        item.unit,
    )
    # In the item's unit (whole pcs and boxes); a level on record before may stand.
    if item.reorder_level and changed_level:
        rules.clean_quantity(
            item.reorder_level,
            allow_zero=True,
            label="Reorder level",
            unit=item.unit,
            field="reorder_level",
        )
    category = Category.objects.filter(pk=item.category_id).first()
    if category is None:
        raise InventoryError("Choose an existing category.", field="category")
    if not category.is_active and previous.get("category_id") != category.pk:
        raise InventoryError(f"Category {category} is deactivated.", field="category")
    if item.supplier_id is not None:
        supplier = Supplier.objects.filter(pk=item.supplier_id).first()
        if supplier is None:
            raise InventoryError("Choose an existing supplier.", field="supplier")
        if not supplier.is_active and previous.get("supplier_id") != supplier.pk:
            raise InventoryError(f"Supplier {supplier} is deactivated.", field="supplier")


def _has_history(item: Item) -> bool:
    """Whether any movement or order line counts in the item's unit."""
    return (
        LedgerEntry.objects.filter(item_id=item.pk).exists()
        or PurchaseOrderLine.objects.filter(item_id=item.pk).exists()
        or SalesOrderLine.objects.filter(item_id=item.pk).exists()
    )


def _check_category(category: Category) -> None:
    if Category.objects.filter(name__iexact=category.name).exclude(pk=category.pk).exists():
        raise InventoryError(f"A category named {category.name} already exists.", field="name")


def check_store_closable(store: Store) -> None:
    """A store with unfinished orders is not deactivated: they could no longer be
    received or shipped there, and would stay open for good."""
    numbers = [
        order.number
        for model, statuses in (
            (PurchaseOrder, [*EDITABLE_PURCHASE_STATUSES, *OPEN_PURCHASE_STATUSES]),
            (SalesOrder, UNFINISHED_SALES_STATUSES),
        )
        for order in model.objects.filter(store=store, status__in=statuses).order_by("pk")[:4]
    ]
    if numbers:
        shown = ", ".join(numbers[:3]) + (" and more" if len(numbers) > 3 else "")
        raise InventoryError(
            f"{store.name} still has unfinished orders ({shown}): receive, ship or cancel "
            "them first."
        )


def _check_store(store: Store) -> None:
    previous = Store.objects.filter(pk=store.pk).values_list("code", flat=True).first()
    # A code on record before this rule may keep its form; a new or changed one may not.
    if previous != store.code and not STORE_CODE.fullmatch(store.code or ""):
        raise InventoryError(
            "A store code is letters A-Z, digits, - and _ without spaces, starting with a "
            "letter or digit (20 at most).",
            field="code",
        )
    if Store.objects.filter(code__iexact=store.code).exclude(pk=store.pk).exists():
        raise InventoryError(f"Store code {store.code} is already used.", field="code")
    if Store.objects.filter(name__iexact=store.name).exclude(pk=store.pk).exists():
        raise InventoryError(
            f"Another store is already named {store.name}; store menus show the name alone, "
            "so each must be different.",
            field="name",
        )


CHECKS = {Item: _check_item, Category: _check_category, Store: _check_store}
