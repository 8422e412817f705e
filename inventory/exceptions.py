"""Domain errors. Each message is written for the person at the screen."""

from contextlib import contextmanager
from decimal import Decimal

from inventory.quantities import fmt_amount, fmt_qty


class InventoryError(Exception):
    """Base of every refusal a service makes; `field` names the form field it belongs to,
    and `index` the document line (0-based, in the order the lines were given)."""

    field: str | None = None
    index: int | None = None

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        if field is not None:
            self.field = field

    def __str__(self):
        return self.message


@contextmanager
def on_line(index: int | None):
    """Mark a refusal raised inside with the document line it concerns, so a form shows
    it on that row and the API names the line."""
    try:
        yield
    except InventoryError as exc:
        if exc.index is None:
            exc.index = index
        raise


class InvalidQuantity(InventoryError):
    field = "quantity"


class InactiveRecord(InventoryError):
    pass


class InsufficientStock(InventoryError):
    """Too little stock of one item in one store.

    `parts`: the quantities of the document's lines that ask for this item, when there
    are several; `requested` is then their sum, and the message says so, since the
    available quantity is shared between those lines.
    """

    field = "quantity"

    def __init__(
        self, *, item, store, requested, available, what="available", parts=None, aside=None
    ):
        self.item, self.store = item, store
        self.requested, self.available = Decimal(requested), Decimal(available)
        self.what = what
        self.parts = list(parts or [])
        # `aside`: stock on hand but not for sale, by why (rules.set_aside).
        held = ", ".join(f"{fmt_amount(q, item.unit)} {why}" for why, q in (aside or {}).items())
        if len(self.parts) > 1:
            asked = (
                f"{len(self.parts)} lines ask for {fmt_qty(requested)} in all "
                f"({' + '.join(fmt_qty(part) for part in self.parts)})."
            )
        else:
            asked = f"{fmt_qty(requested)} requested."
        if held:
            asked += f" On hand but not for sale: {held}."
        super().__init__(
            f"Only {fmt_amount(available, item.unit)} of {item.sku} {what} in {store.name}; {asked}"
        )


class RefusedLines(InventoryError):
    """Several lines refused at once, each refusal carrying its line's `index`: the
    form shows every bad line together, not one per submission."""

    def __init__(self, refusals: list[InventoryError]):
        self.refusals = refusals
        super().__init__(" ".join(r.message for r in refusals))


class ShortLines(RefusedLines):
    """Several lines are short at once (order confirmation, quick sale)."""

    @property
    def shortages(self) -> list[InsufficientStock]:
        return self.refusals


class LineChecks:
    """Check every line of a document, then refuse the bad ones together:

    checks = LineChecks()
    for index, line in enumerate(lines):
        with checks.on_line(index):
            ...  # a refusal here is kept, and the next line is checked
    checks.refuse()
    """

    def __init__(self):
        self.refusals: list[InventoryError] = []

    @contextmanager
    def on_line(self, index: int | None):
        try:
            with on_line(index):
                yield
        except InventoryError as exc:
            self.refusals.append(exc)

    def refuse(self) -> None:
        """Raise what was kept: the one refusal as it is, several as RefusedLines."""
        if len(self.refusals) == 1:
            raise self.refusals[0]
        if self.refusals:
            raise RefusedLines(self.refusals)


class OrdersHoldMore(InventoryError):
    """Orders hold more of a lot or item than a document leaves there for them to move to.
    `without_figures` says it with no quantity on record, for a blind count sheet."""

    def __init__(self, message: str, *, without_figures: str, field: str | None = None):
        super().__init__(message, field=field)
        self.without_figures = without_figures


class LotNotApproved(InventoryError):
    def __init__(self, lot):
        self.lot = lot
        super().__init__(
            f"Lot {lot.code} of {lot.item.sku} is {lot.get_qc_status_display().lower()}; "
            "only approved stock can be reserved or issued."
        )


class InvalidTransition(InventoryError):
    def __init__(self, obj, from_status, to_status):
        self.from_status, self.to_status = from_status, to_status
        was, wanted = (str(status).replace("_", " ").lower() for status in (from_status, to_status))
        # The same status twice is a double click or a second tab: say it is done already.
        if was == wanted:
            state = "in quarantine" if was == "quarantine" else was
            super().__init__(f"{obj} is already {state}; nothing was changed.")
        else:
            # Usually someone else (or another window) moved it first: say where it is.
            done = ACTIONS.get(wanted, wanted)
            super().__init__(f"{obj} is {was}, so it cannot be {done}; nothing was changed.")


# What moving a document or a lot to a status is called, for InvalidTransition.
ACTIONS = {
    "draft": "edited",
    "ordered": "placed",
    "partially received": "received",
    "partially shipped": "shipped",
    "quarantine": "put back in quarantine",
}


class DocumentChanged(InventoryError):
    """The document moved on since its page was read (another window, another user)."""


class NothingLeft(InventoryError):
    """A "ship everything" or "receive everything" found nothing left to do when the order
    was locked: another user or window did it first. Nothing was changed."""


class NotReversible(InventoryError):
    pass


class IdempotencyConflict(InventoryError):
    pass


class ResentWithChanges(IdempotencyConflict):
    """A form's one-time token came back with other content than it was recorded with
    (Back, then a new sale typed into the old form): nothing is recorded, and the form
    comes back holding what was typed, with a new token (views.common.attach_error)."""


class Busy(InventoryError):
    """Another submission held the same rows twice in a row: ask the person to retry."""

    def __init__(self):
        super().__init__("The system is busy with the same stock right now; please try again.")


def refused_lines(exc: InventoryError) -> list[tuple[int, InventoryError]]:
    """(line index, refusal) for each document line a refusal names: its `index`, or a
    shortage's `indexes` when several lines share it; each of several lines refused."""
    refusals = exc.refusals if isinstance(exc, RefusedLines) else [exc]
    return [
        (index, refusal)
        for refusal in refusals
        for index in getattr(refusal, "indexes", None) or [refusal.index]
        if index is not None and index >= 0
    ]
