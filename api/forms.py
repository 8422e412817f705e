"""The form of the API tokens page: a name and an optional last day of validity."""

from datetime import datetime, time, timedelta

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

    def expires_at(self):
        """The end of the chosen day (local time), or None for no expiry."""
        day = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        try:
            return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
        except OverflowError:  # 9999-12-31: no later day exists
            return None
