"""The dashboard's filter form: a store and a range of days."""

from django import forms

from inventory.models import Store
from inventory.selectors.dashboard import Period

from .fields import BoundedDateField, ModelSelectField

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_DAYS = 3 * 366


class DashboardFilterForm(forms.Form):
    store = ModelSelectField(
        queryset=Store.objects.order_by("code"), required=False, empty_label="All stores"
    )
    date_from = BoundedDateField(required=False, label="From", widget=DATE_INPUT)
    date_to = BoundedDateField(required=False, label="To", widget=DATE_INPUT)

    def clean(self):
        data = super().clean()
        default = Period.last_days()
        start = data.get("date_from") or (
            data["date_to"] - (default.date_to - default.date_from)
            if data.get("date_to")
            else default.date_from
        )
        end = data.get("date_to") or default.date_to
        if start > end:
            self.add_error("date_to", "The end date is before the start date.")
        elif (end - start).days >= MAX_DAYS:
            self.add_error("date_from", f"Choose a range of at most {MAX_DAYS} days.")
        else:
            data["period"] = Period(date_from=start, date_to=end)
        return data

    def selected_period(self) -> Period:
        """Return the chosen period, or the last 30 days when the input is invalid."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data["period"]
        return Period.last_days()

    def selected_store(self):
        if self.is_bound and self.is_valid():
            return self.cleaned_data.get("store")
        return None
