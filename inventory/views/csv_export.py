"""One CSV writer for every export: streamed, and safe to open in a spreadsheet.

A spreadsheet runs a cell that starts with =, +, -, @ (or a tab or carriage return
before one) as a formula, so a store code or note typed as "=HYPERLINK(...)" would run
on the manager's machine. Every text cell that starts so gets a leading apostrophe,
which spreadsheets show as text. Numbers, dates and times are written as they are.
"""

import csv
import io

from django.http import StreamingHttpResponse
from django.utils import timezone

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """Return `value` as the CSV should hold it: text neutralised, None empty."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


BATCH = 1000  # rows per chunk handed to the server: one socket write each, not per row


def _lines(header, rows):
    """Yield the CSV text in chunks of BATCH rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([csv_cell(name) for name in header])
    for count, row in enumerate(rows, start=1):
        writer.writerow([csv_cell(value) for value in row])
        if count % BATCH == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def csv_response(*, header, rows, name: str) -> StreamingHttpResponse:
    """Stream `rows` (an iterable of sequences) as an attachment named name-YYYYmmdd-HHMM.csv."""
    response = StreamingHttpResponse(_lines(header, rows), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.csv"'
    return response
