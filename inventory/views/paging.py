"""Pages of a list: a keyset page read from the request, with its links keeping the
filters, and numbered pages that count their total in the page's own statement."""

from django.core.paginator import Page, Paginator
from django.db.models import Count, Window
from django.http import QueryDict

from inventory.selectors.keyset import KeysetPage, keyset_page

# Query parameters that choose a page; every other parameter is a filter the links keep.
PAGING = ("older", "newer", "oldest", "page")

# Past this page number a numbered page is counted first: an OFFSET that large
# would overflow the database's integer.
MAX_PAGE = 10**9
_TOTAL = "page_total"


def _query(params: QueryDict, **paging) -> str:
    query = params.copy()
    for name in PAGING:
        query.pop(name, None)
    for name, value in paging.items():
        query[name] = value
    return query.urlencode()


def keyset_page_for(request, queryset, *, per_page: int) -> KeysetPage:
    """Return the page the request asks for (?older=, ?newer=, ?oldest=1 or the newest).

    The page carries `newest_query`, `newer_query`, `older_query` and `oldest_query`
    for includes/pagination.html: the request's filters with the page's cursor.
    """
    params = request.GET
    page = keyset_page(
        queryset,
        per_page=per_page,
        older=params.get("older"),
        newer=params.get("newer"),
        oldest=params.get("oldest") == "1",
    )
    page.newest_query = _query(params)
    page.oldest_query = _query(params, oldest="1")
    page.newer_query = _query(params, newer=page.newer_cursor) if page.has_newer else ""
    page.older_query = _query(params, older=page.older_cursor) if page.has_older else ""
    return page


def numbered_page(queryset, number, *, per_page: int, count_apart: bool = False) -> Page:
    """Django's numbered page of `queryset`, with the total read by the page's own
    statement (COUNT(*) OVER ()) instead of a COUNT of its own: one statement fewer.

    The window makes the database build every row before it keeps a page of them. That
    suits a list whose rows are computed anyway to be sorted (grouped, or ordered by a
    figure); a list whose order an index serves asks for `count_apart`: Django's own
    COUNT, then a page that reads only its rows (the item list at 50,000 items: 53 ms
    for the windowed page, 0.1 ms for the page and 8 ms for the count). `queryset` may
    then be any sliceable object with a count(), such as selectors.levels.CountedRows.

    An empty list, a page past the end or a page number that is not a plain positive
    integer goes through Django's get_page, which counts and picks the page to show.
    Rows are model instances or dicts; a queryset with DISTINCT must not come here
    (the window counts the rows before DISTINCT removes any).
    """
    paginator = Paginator(queryset, per_page)
    if count_apart:
        return paginator.get_page(number)
    wanted = str(number or "1")
    if not wanted.isdigit() or not 0 < int(wanted) <= MAX_PAGE:
        return paginator.get_page(number)
    start = (int(wanted) - 1) * per_page
    rows = list(queryset.annotate(**{_TOTAL: Window(Count("*"))})[start : start + per_page])
    if not rows:
        return paginator.get_page(number)
    first = rows[0]
    paginator.count = first[_TOTAL] if isinstance(first, dict) else getattr(first, _TOTAL)
    return Page(rows, int(wanted), paginator)
