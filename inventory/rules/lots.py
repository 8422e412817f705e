"""Lots: QC and expiry, which lots are sellable, FEFO order and what is available."""

from datetime import date
from decimal import Decimal

from inventory.exceptions import DocumentChanged, InventoryError
from inventory.models import QCStatus

from .quantities import ZERO


def is_past(expires_on: date | None, today: date) -> bool:
    """Stock expires at the end of its expiry date (in TIME_ZONE)."""
    return expires_on is not None and expires_on < today


def is_expired(lot, today: date) -> bool:
    return is_past(lot.expires_on, today)


QC_ASIDE = {QCStatus.QUARANTINE: "waiting for QC", QCStatus.REJECTED: "rejected"}


def is_sellable(lot, today: date) -> bool:
    """Only APPROVED lots that have not expired are reserved, issued or shipped."""
    return lot.qc_status == QCStatus.APPROVED and not is_expired(lot, today)


def check_not_changed(document, shown: str | None) -> None:
    """A page posts the version of the document it showed (`version`, its updated_at as
    text): a document saved or moved on since, in another window or by someone else, is
    neither overwritten nor acted on. No version (an API call, an old page): no check."""
    if shown and shown != document.version:
        raise DocumentChanged(
            f"{document.number} changed since this page was opened (in another window or by "
            "someone else); nothing was changed. Check it as it is now and try again."
        )


def check_decision_shown(lot, shown: str | None, to_status: str) -> None:
    """A QC page posts the status it showed the lot in (`shown`): a lot decided since,
    in another tab or by a colleague, is not decided again from that stale view (a
    rejection is final). No status shown (an API call): no check."""
    if not shown or shown == lot.qc_status:
        return
    now = QCStatus(lot.qc_status).label.lower()
    if lot.qc_status == to_status:
        raise DocumentChanged(f"Lot {lot.code} is already {now}; nothing was changed.")
    raise DocumentChanged(
        f"Lot {lot.code} was {now} since this page was opened (in another window or by "
        "someone else); nothing was changed. Check it as it is now."
    )


def check_movable(lot, item, today: date) -> None:
    """A lot moves between stores whatever its QC status (quarantined stock may go to be
    inspected elsewhere), except a rejected or expired one: that stock leaves only
    through an adjustment (write-off or return to supplier)."""
    if lot.qc_status == QCStatus.REJECTED:
        why = "was rejected by QC"
    elif is_expired(lot, today):
        why = f"expired on {lot.expires_on}"
    else:
        return
    raise InventoryError(
        f"Lot {lot.code} of {item.sku} {why}; its stock leaves only through an adjustment "
        "(write-off or return to supplier).",
        field="lot",
    )


def check_lot_of_item(lot, item) -> None:
    """A document that names an item and one of its lots: the lot must be that item's."""
    if lot is not None and item is not None and lot.item_id != item.pk:
        raise InventoryError(
            f"Lot {lot.code} is a lot of {lot.item.sku}, not of {item.sku}.", field="lot"
        )


def new_lot_status(item) -> str:
    """New stock of a QC item waits in QUARANTINE for a decision; other stock is usable."""
    return QCStatus.QUARANTINE if item.qc_required else QCStatus.APPROVED


def return_held(item, damaged: bool) -> bool:
    """A customer return waits in a new QUARANTINE lot, for a decision before it can be
    sold again, when the item needs QC or the customer brought it back damaged."""
    return item.qc_required or damaged


def fefo_key(balance):
    """Earliest expiry first (no expiry last), then oldest receipt, then lot id."""
    lot = balance.lot
    return (
        lot.expires_on is None,
        lot.expires_on or lot.received_at.date(),
        lot.received_at,
        lot.pk,
    )


def sellable_balances(balances, today: date) -> list:
    """The balances stock may be drawn from, in FEFO order."""
    return sorted((b for b in balances if is_sellable(b.lot, today)), key=fefo_key)


def free(balance) -> Decimal:
    """What a lot holds in a store that no order has reserved."""
    return balance.on_hand - balance.reserved


def available(balances, today: date) -> Decimal:
    """What can be promised or sold: the stock of sellable lots less every reservation.

    A reservation on a lot that has expired or left APPROVED since still holds the
    order's claim (it ships from sellable stock: replace_stale), so it counts against
    the sellable stock too. Below zero when such claims are more than is left. The same
    rule in SQL: selectors.stock.available_term.
    """
    return sum(
        ((b.on_hand if is_sellable(b.lot, today) else ZERO) - b.reserved for b in balances), ZERO
    )
