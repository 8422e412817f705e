"""Lay down demo history on past days.

The services never accept a date: every row is stamped "now". To place demo rows on
past days, the demo freezes Django's clock at a moment while it calls the services,
so the history goes through exactly the same rules, locks and ledger as real use.
"""

from contextlib import contextmanager
from datetime import datetime, time, timedelta
from unittest import mock

from django.utils import timezone


def days_ago_at(days: int, hour: int, minute: int = 0) -> datetime:
    day = timezone.localdate() - timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@contextmanager
def frozen_clock(moment: datetime):
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield
