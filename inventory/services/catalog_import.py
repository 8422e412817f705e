"""Import items from a file: every row created through item_create, all or nothing.

The rows come already shaped by the item form (inventory.forms.catalog_import binds each
one to ItemForm); here they go through the same service as an item typed on its page,
so its rules, its uniqueness checks and its audit event hold for every row. One
transaction: a row refused leaves nothing created.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction

from inventory.exceptions import InventoryError
from inventory.models import Item

from .catalog import item_create


@dataclass(frozen=True)
class RowError:
    """One refusal: the file's row (the header is row 1), its column ("" for the row)."""

    row: int
    column: str
    message: str


class ImportRefused(InventoryError):
    """The import created nothing; `errors` lists each refused row."""

    def __init__(self, errors: Sequence[RowError]):
        self.errors = list(errors)
        super().__init__(f"{len(self.errors)} rows were refused; no item was imported.")


def _key(value) -> str:
    return (value or "").strip().casefold()


def items_import_duplicates(rows: Sequence[tuple[int, dict]]) -> list[RowError]:
    """Return a refusal for each row whose SKU (ignoring case) or barcode an earlier row
    of the same file already has: the file would create the one and then refuse the other."""
    errors = []
    for field, label, ignore_case in (("sku", "SKU", True), ("barcode", "Barcode", False)):
        first_row: dict[str, int] = {}
        for number, data in rows:
            value = (data.get(field) or "").strip()
            key = _key(value) if ignore_case else value
            if not key:
                continue
            if key in first_row:
                errors.append(
                    RowError(number, field, f"{label} {value} is also on row {first_row[key]}.")
                )
            else:
                first_row[key] = number
    return sorted(errors, key=lambda error: error.row)


def items_import(
    *, actor, rows: Sequence[tuple[int, dict]], refused: Sequence[RowError] = ()
) -> list[Item]:
    """Create one item per (row number, item data) in one transaction, or none at all.

    Each row goes through item_create (its checks, its audit event); a row with the SKU
    or barcode of an earlier row is refused. `refused`: the rows the caller could not
    read (the item form's refusals); with any, nothing is kept either. Every row is
    still tried, so that one answer lists every refused row; then all are rolled back.
    """
    errors = [*refused, *items_import_duplicates(rows)]
    skipped = {error.row for error in errors}
    created = []
    with transaction.atomic():
        for number, data in rows:
            if number in skipped:
                continue
            try:
                created.append(item_create(actor=actor, data=data))
            except InventoryError as exc:  # item_create's savepoint undid this row alone
                errors.append(RowError(number, exc.field or "", exc.message))
        if errors:
            raise ImportRefused(sorted(errors, key=lambda error: error.row))
    return created
