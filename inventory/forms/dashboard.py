"""The dashboard's filter form: a store and a range of days."""

from django import forms

from inventory.models import Store
from inventory.selectors.dashboard import Period

from .fields import BoundedDateField, ModelSelectField
from .filtering import FilterFormMixin

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_DAYS = 3 * 366


class DashboardFilterForm(FilterFormMixin, forms.Form):
    store = ModelSelectField(queryset=Store.objects.all(), required=False, empty_label="All stores")
    date_from = BoundedDateField(required=False, label="From", widget=DATE_INPUT)
    date_to = BoundedDateField(required=False, label="To", widget=DATE_INPUT)

    def date_range(self, data) -> tuple:
        """Blanks default to the last 30 days: the end to today, the start to 30 days
        before the end."""
        default = Period.last_days()
        end = data.get("date_to") or default.date_to
        start = data.get("date_from") or end - (default.date_to - default.date_from)
        return start, end

    def clean(self):
        data = super().clean()
        start, end = self.date_range(data)
        dates_read = not (self.has_error("date_from") or self.has_error("date_to"))
        if dates_read and (end - start).days >= MAX_DAYS:
            self.add_error("date_from", f"Choose a range of at most {MAX_DAYS} days.")
        data["period"] = Period(date_from=start, date_to=end)
        return data

    def selected_period(self) -> Period | None:
        """Return the chosen period (the last 30 days when none is given), or None when
        the filters cannot be read: then the dashboard shows no figures."""
        if not self.is_bound:
            return Period.last_days()
        return None if self.refusal() else self.cleaned_data["period"]

    def selected_store(self):
        if self.is_bound and self.is_valid():
            return self.cleaned_data.get("store")
        return None
