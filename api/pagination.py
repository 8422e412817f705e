"""Pagination: numbered pages for most lists, a cursor for movements (millions of rows)."""

from rest_framework.pagination import CursorPagination, PageNumberPagination


class PagePagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class MovementCursorPagination(CursorPagination):
    """Newest first by primary key: each page is one index range scan, however deep."""

    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
