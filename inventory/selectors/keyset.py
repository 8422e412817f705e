"""Keyset (cursor) pages of lists that grow with history, newest first by (created_at, pk).

An OFFSET page makes the database walk past every row before it, and its "page N of M"
needs a COUNT(*) of the whole filtered list: both grow with the history, so the last page
of a million movements took seconds. A keyset page starts from the row the reader saw
last: "older than (created_at, pk) of the last row shown", read from the created_at
index (or a (filter column, created_at) index) in one range scan of per_page + 1 rows,
whatever the depth. No total is counted; the extra row says whether there is more.

The cursor condition is written `created_at <= t AND (created_at < t OR (created_at = t
AND pk < p))`: the first term is an index range condition on any backend, the second
breaks ties by primary key. (A library such as django-cursor-pagination builds only the
OR chain, with NULLS LAST ordering, which PostgreSQL cannot read from the index in
order, so every page would sort the whole filtered list.)
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.db.models import Q, QuerySet

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MAX_PK = 2**63
NEWEST_FIRST = ("-created_at", "-pk")
OLDEST_FIRST = ("created_at", "pk")


def encode_cursor(row) -> str:
    """Return the cursor of a row: microseconds since the epoch and primary key."""
    delta = row.created_at - EPOCH
    micros = (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds
    return f"{micros}_{row.pk}"


def decode_cursor(text: str | None) -> tuple[datetime, int] | None:
    """Return (created_at, pk) of a cursor, or None when it is missing or malformed."""
    if not text:
        return None
    micros, _, pk = text.partition("_")
    try:
        # Integer arithmetic from the epoch: exact to the microsecond, unlike a float.
        at, key = EPOCH + timedelta(microseconds=int(micros)), int(pk)
    except (ValueError, OverflowError):
        return None
    # A key past bigint would be a database error, not an empty page.
    return (at, key) if 0 < key < MAX_PK else None


@dataclass
class KeysetPage:
    """One page of rows, newest first, and whether older and newer rows exist."""

    object_list: list
    has_older: bool
    has_newer: bool
    keyset: bool = field(default=True, init=False)  # pagination.html tells the kinds apart
    # Query strings of the links, set by views.paging.keyset_page_for.
    newest_query: str = field(default="", init=False)
    newer_query: str = field(default="", init=False)
    older_query: str = field(default="", init=False)
    oldest_query: str = field(default="", init=False)

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def __getitem__(self, index):
        return self.object_list[index]

    @property
    def older_cursor(self) -> str | None:
        return encode_cursor(self.object_list[-1]) if self.has_older else None

    @property
    def newer_cursor(self) -> str | None:
        return encode_cursor(self.object_list[0]) if self.has_newer else None


def _older_than(queryset: QuerySet, at: datetime, pk: int) -> QuerySet:
    return queryset.filter(created_at__lte=at).filter(
        Q(created_at__lt=at) | Q(created_at=at, pk__lt=pk)
    )


def _newer_than(queryset: QuerySet, at: datetime, pk: int) -> QuerySet:
    return queryset.filter(created_at__gte=at).filter(
        Q(created_at__gt=at) | Q(created_at=at, pk__gt=pk)
    )


def keyset_page(
    queryset: QuerySet,
    *,
    per_page: int,
    older: str | None = None,
    newer: str | None = None,
    oldest: bool = False,
) -> KeysetPage:
    """Return one page of `queryset`, newest first, in one query.

    older: the rows just older than this cursor; newer: the rows just newer than it;
    oldest: the oldest page; none of them: the newest page. A malformed cursor reads
    as no cursor (the newest page), never as an error.
    """
    older_at, newer_at = decode_cursor(older), decode_cursor(newer)
    if older_at is not None:
        rows = list(_older_than(queryset, *older_at).order_by(*NEWEST_FIRST)[: per_page + 1])
        return KeysetPage(rows[:per_page], has_older=len(rows) > per_page, has_newer=True)
    if newer_at is not None or oldest:
        ascending = _newer_than(queryset, *newer_at) if newer_at is not None else queryset
        rows = list(ascending.order_by(*OLDEST_FIRST)[: per_page + 1])
        if rows or newer_at is None:
            # Read oldest first, shown newest first; the cursor's row is older than these.
            has_newer = len(rows) > per_page
            return KeysetPage(
                rows[:per_page][::-1], has_older=newer_at is not None, has_newer=has_newer
            )
        # Nothing newer than the cursor any more: show the newest page.
    rows = list(queryset.order_by(*NEWEST_FIRST)[: per_page + 1])
    return KeysetPage(rows[:per_page], has_older=len(rows) > per_page, has_newer=False)
