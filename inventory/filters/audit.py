"""Filters for the audit log: who, what, which object, when."""

import django_filters
from django import forms
from django.db.models import Q

from inventory.forms.filtering import FilterFormMixin
from inventory.models import AuditEvent

from .base import DATE_INPUT, CreatedDaysFilterSet, DateFilter


class AuditFilterForm(FilterFormMixin, forms.Form):
    pass


class AuditEventFilter(CreatedDaysFilterSet):
    """Filter audit events; every field is optional and the filters combine with AND."""

    user = django_filters.CharFilter(method="filter_user", label="User")
    action = django_filters.CharFilter(
        field_name="action",
        lookup_expr="istartswith",
        label="Action",
        help_text='"stock" matches every stock action, "stock.issue" only issues.',
    )
    object_type = django_filters.CharFilter(
        field_name="object_type", lookup_expr="iexact", label="Object type"
    )
    object_id = django_filters.CharFilter(field_name="object_id", label="Object id")
    q = django_filters.CharFilter(method="filter_text", label="Object name")
    # Declared again here only to keep their place in the form, last.
    date_from = DateFilter(method="filter_date_from", label="From", widget=DATE_INPUT)
    date_to = DateFilter(method="filter_date_to", label="To", widget=DATE_INPUT)

    class Meta:
        model = AuditEvent
        fields: list[str] = []
        form = AuditFilterForm

    def filter_user(self, queryset, name, value):
        """Match the actor's username, or the username typed at a failed login."""
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(actor_username__icontains=value)
            | Q(action="auth.login_failed", details__username__icontains=value)
        )

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(object_repr__icontains=value)
