"""The item import's input: a CSV file read into rows, each row bound to the item form.

The file's shape is checked here (size, encoding, columns, row count); each row's
values are then checked by ItemForm itself, the form of the item page, so a price, a
unit or a SKU follows one rule wherever it is typed. Category and supplier come by name.
"""

import csv
import io

from django import forms
from django.template.defaultfilters import filesizeformat

from inventory.models import Category
from inventory.services.catalog_import import RowError

from .catalog import ItemForm
from .widgets import TEXT_SUFFIX

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 1000  # about 11 s on SQLite: within the server timeout, the write lock held briefly
REQUIRED = ("sku", "name", "category")
COLUMNS = (
    "sku",
    "name",
    "category",
    "unit",
    "unit_cost",
    "unit_price",
    "reorder_level",
    "barcode",
    "description",
    "supplier",
    "qc_required",
)
TEMPLATE_ROWS = (
    COLUMNS,
    (
        "SKU-0001",
        "Blue widget",
        "Widgets",
        "pcs",
        "1.20",
        "2.50",
        "10",
        "4006381333931",
        "",
        "",
        "no",
    ),
)
YES = {"yes", "true", "1"}
NO = {"no", "false", "0", ""}
NOT_UTF8 = (
    "The file is not UTF-8 text. In your spreadsheet, save it as “CSV UTF-8” and upload it again."
)


class ItemImportRowForm(ItemForm):
    """ItemForm for one row of the file; any category the file names reaches the service's
    check, which refuses a deactivated one in its own words (the page's menu only lists
    active ones, so its "Select a valid choice" would not say why)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.all()

    # The form reads each cell (numbers, units, lengths, NUL bytes); the model's checks
    # and the item rules (catalog_validate: unique SKU and barcode, signs, usable
    # category) are left to item_create, where every row goes: run there once per row,
    # not twice, as they cost most of a row's time.

    def _get_validation_exclusions(self):
        return {field.name for field in self.instance._meta.fields}

    def validate_unique(self):
        pass


def _delimiter(header_line: str) -> str:
    """Semicolons when the header has more of them than commas (Excel in many locales)."""
    return ";" if header_line.count(";") > header_line.count(",") else ","


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise forms.ValidationError(NOT_UTF8, code="encoding") from None


def _header(cells: list[str]) -> list[str]:
    names = [cell.strip().casefold() for cell in cells]
    unknown = [name for name in names if name and name not in COLUMNS]
    if unknown:
        raise forms.ValidationError(
            "Unknown columns: %(names)s. The columns are: %(known)s.",
            code="unknown_columns",
            params={"names": ", ".join(f"“{n}”" for n in unknown), "known": ", ".join(COLUMNS)},
        )
    twice = sorted({name for name in names if name and names.count(name) > 1})
    if twice:
        raise forms.ValidationError(
            "These columns appear twice: %(names)s.",
            code="columns_twice",
            params={"names": ", ".join(twice)},
        )
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        raise forms.ValidationError(
            "Required columns are missing: %(names)s.",
            code="missing_columns",
            params={"names": ", ".join(missing)},
        )
    return names


def parse_items_csv(data: bytes) -> list[tuple[int, dict[str, str]]]:
    """Return the file's rows as (row number, {column: cell}), the header being row 1.

    Blank rows are skipped (they keep their number). Raise ValidationError when the file
    is not UTF-8, is empty, has unknown, repeated or missing columns, or too many rows.
    """
    text = _decode(data)
    if not text.strip():
        raise forms.ValidationError("The file is empty.", code="empty")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text.splitlines()[0]))
    try:
        names = _header(next(reader))
        rows = []
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) == MAX_ROWS:
                raise forms.ValidationError(
                    "The file has more than %(max)s rows; split it into several files.",
                    code="too_many_rows",
                    params={"max": f"{MAX_ROWS:,}"},
                )
            rows.append((number, cells))
    except csv.Error as exc:
        raise forms.ValidationError(
            "The file is not a readable CSV file: %(error)s.", params={"error": exc}
        ) from None
    if not rows:
        raise forms.ValidationError("The file has a header but no rows.", code="empty")
    return [(number, _cells_by_name(names, cells)) for number, cells in rows]


def _cells_by_name(names: list[str], cells: list[str]) -> dict[str, str]:
    row = {}
    for index, cell in enumerate(cells):
        name = names[index] if index < len(names) else ""
        # A cell under no heading (an extra separator, a stray note) is kept, and refused.
        row[name or f"#{index + 1}"] = cell
    return row


def row_form(row: dict[str, str], categories: dict[str, int]) -> tuple[ItemImportRowForm, list]:
    """Bind one row to the item form; return it with the refusals found before binding
    (an unknown category, a cell under no heading, a yes/no that is neither)."""
    errors = []
    data = {"supplier" + TEXT_SUFFIX: row.get("supplier", "").strip()}
    for name, cell in row.items():
        if name.startswith("#"):
            if cell.strip():
                errors.append(("", f"A value in column {name[1:]}, which has no heading."))
        elif name not in ("category", "supplier", "qc_required"):
            data[name] = cell.strip().casefold() if name == "unit" else cell
    data.setdefault("unit", "")
    data["unit"] = data["unit"] or "pcs"  # the item form's default
    category = row.get("category", "").strip()
    data["category"] = categories.get(category.casefold(), "")
    if category and not data["category"]:
        errors.append(("category", f"No category is named “{category}”."))
    qc = row.get("qc_required", "").strip().casefold()
    if qc in YES:
        data["qc_required"] = "on"
    elif qc not in NO:
        errors.append(("qc_required", "Write yes or no (true or false, 1 or 0)."))
    return ItemImportRowForm(data=data), errors


class ItemImportForm(forms.Form):
    """A CSV file of new items; `rows` holds its rows once the file is valid."""

    file = forms.FileField(
        label="CSV file",
        help_text=f"UTF-8, comma or semicolon separated, at most {filesizeformat(MAX_BYTES)} "
        f"and {MAX_ROWS:,} rows.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                "The file is larger than %(max)s; split it into several files.",
                code="too_big",
                params={"max": filesizeformat(MAX_BYTES)},
            )
        self.rows = parse_items_csv(upload.read())
        return upload

    def row_errors(self) -> tuple[list[tuple[int, dict]], list[RowError]]:
        """Bind every row to the item form; return (row number, item data) for each row
        it reads, and the refusals of the others."""
        categories = {
            name.casefold(): pk for pk, name in Category.objects.values_list("pk", "name")
        }
        items, errors = [], []
        for number, row in self.rows:
            form, early = row_form(row, categories)
            errors.extend(RowError(number, column, message) for column, message in early)
            if form.is_valid() and not early:
                items.append((number, form.service_data))
                continue
            for field, messages in form.errors.items():
                column = "" if field == "__all__" else field
                if any(column == said for said, _ in early):
                    continue  # the unknown category is said; not also "required"
                errors.extend(RowError(number, column, message) for message in messages)
        return items, errors
