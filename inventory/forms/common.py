"""Form pieces shared by every screen that changes stock."""

import uuid

from django import forms


class IdempotentFormMixin(forms.Form):
    """Carries a one-time token; the service makes a replayed token a no-op."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)


class QuantityField(forms.DecimalField):
    """A positive quantity with at most 3 decimals, within Decimal(14,3)."""

    def __init__(self, *, allow_negative=False, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 3)
        if not allow_negative:
            kwargs.setdefault("min_value", 0.001)
        super().__init__(**kwargs)


class MoneyField(forms.DecimalField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)
