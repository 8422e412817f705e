"""Money as documents show it: a line's value is rounded to the cent on its own, and a
document's total is the sum of its lines as shown, never a cent off their sum."""

from django.db.models import (
    Case,
    DecimalField,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
    When,
)
from django.db.models.functions import Round
from django.db.models.lookups import Exact

from inventory.models import LedgerEntry

MONEY = DecimalField(max_digits=18, decimal_places=2)
QUANTITY = DecimalField(max_digits=24, decimal_places=3)


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


def share_of_line(*, line: str, price, signed, kinds, fetch_price=None):
    """A ledger row's money as the cents it added to its order line's value: the line's
    value (`price` x the `signed` quantities of its `kinds` rows up to this one, to the
    cent) less that value before this row. A line received or shipped in parts, or from
    several lots, so sums to the cents its order shows, where rounding each row alone
    could be a cent off. `line` names the row's line column (so_line_id, po_line_id);
    `fetch_price` is how a row of that line reaches the price (a field path), `price`
    the row's own price expression."""
    before = Sum(signed, filter=Q(pk__lt=OuterRef("pk")), default=0)
    share = (
        LedgerEntry.objects.filter(
            **{line: OuterRef(line), "pk__lte": OuterRef("pk"), "kind__in": kinds}
        )
        .order_by()
        .values(line)
        .annotate(
            value=cents(Sum(signed) * Max(fetch_price or price))
            - cents(before * Max(fetch_price or price))
        )
        .values("value")
    )
    # A whole quantity at a price in cents is worth whole cents, which add just that to
    # any value (rounding shifts by whole cents): only a row of a fraction of a unit
    # (kilograms, say) reads its line's other rows.
    return Case(
        When(Exact(Round(signed), signed), then=cents(signed * price)),
        default=Subquery(share, output_field=MONEY),
        output_field=MONEY,
    )
