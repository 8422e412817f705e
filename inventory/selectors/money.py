"""Money as documents show it: a line's value is rounded to the cent on its own, and a
document's total is the sum of its lines as shown, never a cent off their sum."""

from django.db.models import Case, DecimalField, ExpressionWrapper, F, When
from django.db.models.functions import Round

MONEY = DecimalField(max_digits=18, decimal_places=2)


def cents(expression):
    """`expression` (a quantity times a price) rounded to the cent, in the database.

    PostgreSQL rounds its exact numerics half away from zero. SQLite holds decimals as
    floating point, so a product that lands on half a cent there rounds as its binary
    value falls; every page reads the same rounded figure either way."""
    return Round(ExpressionWrapper(expression, output_field=MONEY), 2, output_field=MONEY)


def line_value(*, ordered, moved, price, cancelled, lines="", status="order__status"):
    """What an order line comes to, to the cent: its `ordered` quantity at `price`, or,
    once its order is `cancelled`, only what `moved` (was shipped or received), since the
    rest never changed hands. `lines` and `status` name the line's fields and its order's
    status from the model queried ("" and "order__status" from the line itself)."""
    quantity = Case(
        When(**{status: cancelled}, then=F(f"{lines}{moved}")),
        default=F(f"{lines}{ordered}"),
    )
    return cents(quantity * F(f"{lines}{price}"))
