"""Filters whose form fields refuse what the database or Python's dates cannot take.

Use these instead of django_filters.DateFilter and NumberFilter for dates and ids:
a date past DATE_MAX or an id past 64 bits becomes a form error, never a 500.
"""

import django_filters

from inventory.forms.fields import BoundedDateField, IdField


class DateFilter(django_filters.DateFilter):
    field_class = BoundedDateField


class IdFilter(django_filters.NumberFilter):
    """An exact match on a 64-bit id (an operation number)."""

    field_class = IdField
