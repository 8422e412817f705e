"""Pagination: numbered pages for the catalogue and stock lists, a cursor (newest first)
for the lists that grow with trading: movements, orders, audit events. A numbered page
over a list that grows at its top shifts as rows arrive, so a connector paging through
it would read a row twice (or, as rows go, miss one); a cursor page starts where the
last ended."""

import re

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
    """

    def decode_cursor(self, request):
        cursor = super().decode_cursor(request)
        if cursor is None or cursor.position is None:
            return cursor
        position = cursor.position
        if not ID_POSITION.fullmatch(position) or int(position) > MAX_ID:
            raise NotFound(self.invalid_cursor_message)
        return cursor


class NewestFirstPagination(IdCursorPagination):
    """Newest first by primary key: each page is one index range scan, however deep."""

    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


MovementCursorPagination = NewestFirstPagination
