"""Build CSV uploads for the item import page's tests."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

HEADER = (
    "sku,name,category,unit,unit_cost,unit_price,reorder_level,barcode,description,supplier,"
    "qc_required"
)


def csv_file(text: str | bytes, name: str = "items.csv") -> SimpleUploadedFile:
    data = text.encode() if isinstance(text, str) else text
    return SimpleUploadedFile(name, data, content_type="text/csv")


def upload(client, text: str | bytes):
    return client.post(reverse("inventory:item_import"), {"file": csv_file(text)})


def refusals(response) -> list[tuple[int, str, str]]:
    """The refused rows the page lists, as (row, column, message)."""
    return [(e.row, e.column, e.message) for e in response.context["errors"]]
