"""Quantities: a figure typed or posted, checked and brought to its stored places."""

from decimal import Decimal, InvalidOperation

from inventory.exceptions import InvalidQuantity
from inventory.quantities import UNIT_FORMS

ZERO = Decimal("0")
MAX_QUANTITY = Decimal("99999999999.999")  # what Decimal(14,3) can hold
QTY_STEP = Decimal("0.001")
CENT = Decimal("0.01")  # a sum of money's step: prices, costs, values
# Counted units take whole numbers; measured ones up to the column's 3 places.
UNIT_DECIMALS = {"pcs": 0, "box": 0, "kg": 3, "l": 3, "m": 3}


class _All:
    def __repr__(self):
        return "ALL"


# "Everything left" (ship all, receive all): passed to a service instead of figures, so
# that it reads what is left after locking the order; figures read before may be stale.
ALL = _All()


def clean_quantity(
    value,
    *,
    allow_negative: bool = False,
    allow_zero: bool = False,
    label: str = "Quantity",
    unit: str | None = None,
    field: str | None = None,
) -> Decimal:
    """Return the quantity as a Decimal with 3 places, or refuse it with a clear message.

    With `unit`, refuse more decimal places than the unit allows (no 1.5 pcs). Zero only
    `allow_zero` (a count of an empty shelf); a movement of nothing is refused. `field`
    names the input the refusal belongs to (`quantity` by default).
    """

    def refuse(message: str):
        return InvalidQuantity(f"{label} {message}", field=field)

    try:
        quantity = Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise refuse("must be a number.") from None
    if not quantity.is_finite():
        raise refuse("must be a number.")
    # Before quantize(): a huge value (1e100) would overflow the decimal context there.
    if abs(quantity) > MAX_QUANTITY:
        raise refuse("is too large.")
    places = UNIT_DECIMALS.get(unit, 3) if unit else 3
    if quantity != quantity.quantize(Decimal(1).scaleb(-places)):
        if places == 0:
            raise refuse(f"must be a whole number of {UNIT_FORMS.get(unit, (unit, unit))[1]}.")
        raise refuse(f"can have at most {places} decimal places.")
    if quantity == 0 and not allow_zero:
        raise refuse("must not be zero.")
    if quantity < 0 and not allow_negative:
        raise refuse("must not be negative." if allow_zero else "must be greater than zero.")
    return quantity.quantize(QTY_STEP)


def check_capacity(balance) -> None:
    """A balance holds at most what its Decimal(14,3) columns can: a posting that would
    take it past that is refused, since no figure beyond it could be read back."""
    if balance.on_hand > MAX_QUANTITY or balance.reserved > MAX_QUANTITY:
        raise InvalidQuantity(
            f"Lot {balance.lot.code} would then hold {balance.on_hand.normalize():f} in one "
            f"store, more than the {MAX_QUANTITY:f} a lot can hold there."
        )
