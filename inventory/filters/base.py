"""Filters whose form fields refuse what the database or Python's dates cannot take.

Use these instead of django_filters.DateFilter and NumberFilter for dates and ids:
a date past DATE_MAX or an id past 64 bits becomes a form error, never a 500.
"""

from datetime import datetime, time, timedelta

import django_filters
from django import forms
from django.utils import timezone

from inventory.forms.fields import BoundedDateField, IdField

DATE_INPUT = forms.DateInput(attrs={"type": "date"})


class DateFilter(django_filters.DateFilter):
    field_class = BoundedDateField


class IdFilter(django_filters.NumberFilter):
    """An exact match on a 64-bit id (an operation number)."""

    field_class = IdField


def start_of(day) -> datetime:
    """Midnight at the start of `day`, local time (TIME_ZONE)."""
    return timezone.make_aware(datetime.combine(day, time.min))


class CreatedDaysFilterSet(django_filters.FilterSet):
    """`date_from` and `date_to`: whole local days turned into created_at bounds, which
    the created_at index can serve (a created_at__date lookup is a function of the
    column, read row by row)."""

    date_from = DateFilter(method="filter_date_from", label="From", widget=DATE_INPUT)
    date_to = DateFilter(method="filter_date_to", label="To", widget=DATE_INPUT)

    def filter_date_from(self, queryset, name, value):
        return queryset.filter(created_at__gte=start_of(value))

    def filter_date_to(self, queryset, name, value):
        return queryset.filter(created_at__lt=start_of(value + timedelta(days=1)))
