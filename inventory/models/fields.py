from decimal import Decimal

from django.db import models

QTY = {"max_digits": 14, "decimal_places": 3}
MONEY = {"max_digits": 12, "decimal_places": 2}
ZERO = Decimal("0")
# The longest note (on a movement, an order, a QC decision) the web forms and the API take.
NOTE_MAX_LENGTH = 1000


def QuantityField(**kwargs):  # noqa: N802 - reads like a field class
    kwargs.setdefault("default", ZERO)
    return models.DecimalField(**QTY, **kwargs)


def MoneyField(**kwargs):  # noqa: N802
    kwargs.setdefault("default", ZERO)
    return models.DecimalField(**MONEY, **kwargs)
