"""Pagination: numbered pages for the catalogue and stock lists, a cursor (newest first)
for the lists that grow with trading: movements, orders, lots, audit events. A numbered page
over a list that grows at its top shifts as rows arrive, so a connector paging through
it would read a row twice (or, as rows go, miss one); a cursor page starts where the
last ended."""

import base64
import re
from urllib.parse import parse_qs

from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination, PageNumberPagination

ID_POSITION = re.compile(r"[0-9]{1,19}")
MAX_ID = 2**63 - 1


class PagePagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class IdCursorPagination(CursorPagination):
    """A cursor over an integer key: a forged position is an invalid cursor, not a 500.

    DRF checks the cursor's offset and direction, not its position, which goes straight
    into the query (`id < "abc"` fails in int()). Every cursor-paged view orders by id.
    DRF also drops what is not base64 before decoding, so `?cursor=!!!` read as no cursor
    at all (the first page): a cursor must be the base64 of DRF's own `o`, `r` and `p`.
    """

    def decode_cursor(self, request):
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded and not _is_cursor(encoded):
            raise NotFound(self.invalid_cursor_message)
        cursor = super().decode_cursor(request)
        if cursor is None or cursor.position is None:
            return cursor
        position = cursor.position
        if not ID_POSITION.fullmatch(position) or int(position) > MAX_ID:
            raise NotFound(self.invalid_cursor_message)
        return cursor


def _is_cursor(encoded: str) -> bool:
    """Whether `encoded` is strict base64 of a query string of DRF's cursor keys only."""
    try:
        text = base64.b64decode(encoded.encode("ascii"), validate=True).decode("ascii")
    except ValueError:  # not ASCII, not base64 (binascii.Error), not ASCII once decoded
        return False
    tokens = parse_qs(text, keep_blank_values=True)
    return bool(tokens) and set(tokens) <= {"o", "r", "p"}


class NewestFirstPagination(IdCursorPagination):
    """Newest first by primary key: each page is one index range scan, however deep."""

    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


MovementCursorPagination = NewestFirstPagination
