"""Read a keyset page from the request and build its links with the filters kept."""

from django.http import QueryDict

from inventory.selectors.keyset import KeysetPage, keyset_page

# Query parameters that choose a page; every other parameter is a filter the links keep.
PAGING = ("older", "newer", "oldest", "page")


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
