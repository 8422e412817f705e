"""The form of the API tokens page: a name and an optional last day of validity."""

from datetime import date, datetime, time, timedelta

from django import forms
from django.utils import timezone


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        max_length=100, help_text="What uses it, e.g. “Till 2” or “Accounting export”."
    )
    expires_on = forms.DateField(
        required=False,
        label="Valid until",
        help_text="Optional: the token stops working at the end of this day.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean_expires_on(self):
        day = self.cleaned_data.get("expires_on")
        if day is not None and day >= date.max:  # no later day to end it at
            raise forms.ValidationError("Choose an earlier day, or none for no expiry.")
        return day

    def expires_at(self):
        """The end of the chosen day (local time), or None for no expiry."""
        day = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
