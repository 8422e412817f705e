"""Keyset cursors: exact to the microsecond, and anything malformed reads as no cursor."""

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from inventory.selectors.keyset import decode_cursor, encode_cursor


@pytest.mark.parametrize(
    "at",
    [
        datetime(2026, 3, 1, 9, 30, 0, 1, tzinfo=UTC),
        datetime(1969, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
        datetime(2099, 1, 1, tzinfo=UTC),
    ],
)
def test_a_cursor_round_trips_exactly(at):
    cursor = encode_cursor(SimpleNamespace(created_at=at, pk=42))

    assert decode_cursor(cursor) == (at, 42)


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "abc",
        "12",
        "12_",
        "_12",
        "1.5_3",
        "12_x",
        "12_0",
        "12_-4",
        f"1_{2**63}",
        "9" * 30 + "_1",
    ],
)
def test_a_malformed_cursor_is_none(text):
    assert decode_cursor(text) is None
