"""Quality control decisions on lots, and corrections of a lot's expiry date."""

from django.db import transaction
from django.utils import timezone

from inventory import rules
from inventory.exceptions import InvalidTransition, InventoryError
from inventory.locks import lock_balances, lock_lot
from inventory.models import Lot, LotDecision, QCStatus, StockBalance

from .actor import as_actor
from .alerts import alerts_refresh
from .audit import audit_record

# REJECTED is final: rejected stock leaves only through an adjustment.
ALLOWED = {
    QCStatus.QUARANTINE: {QCStatus.APPROVED, QCStatus.REJECTED},
    QCStatus.APPROVED: {QCStatus.QUARANTINE, QCStatus.REJECTED},
    QCStatus.REJECTED: set(),
}


def _decide(*, actor, lot: Lot, to_status: str, note: str, shown: str | None) -> Lot:
    actor = as_actor(actor)
    with transaction.atomic():
        lot = lock_lot(lot.pk)
        rules.check_decision_shown(lot, shown, to_status)
        balances = lock_balances(StockBalance.objects.filter(lot=lot))
        from_status = lot.qc_status
        # Counted in available stock until now: a hold or a rejection takes it out.
        was_sellable = rules.is_sellable(lot, timezone.localdate())
        if to_status not in ALLOWED[QCStatus(from_status)]:
            raise InvalidTransition(f"Lot {lot.code}", from_status, to_status)
        # Reservations on a lot taken out of sale stay with their orders: they still count
        # against available stock (rules.available) and ship from the item's sellable
        # lots (rules.replace_stale), so defective stock is held at once, never shipped.
        Lot.objects.filter(pk=lot.pk).update(qc_status=to_status)
        lot.qc_status = to_status
        LotDecision.objects.create(
            lot=lot, from_status=from_status, to_status=to_status, note=note, actor=actor.user
        )
        audit_record(
            actor=actor,
            action=f"lot.{to_status.lower()}",
            obj=lot,
            details={
                "item": lot.item.sku,
                "from": from_status,
                "to": to_status,
                "note": note,
                "on_hand": {b.store.code: b.on_hand for b in balances},
            },
        )
        # An approval only adds to what is available: it resolves, never opens. Holding
        # or rejecting a lot that was not available (in quarantine, expired) lowers
        # nothing: no alert (one per drop).
        stocked = {(lot.item_id, b.store_id) for b in balances if b.on_hand > 0}
        if to_status == QCStatus.APPROVED:
            alerts_refresh(pairs=stocked, actor=actor, may_open=False)
        elif was_sellable:
            alerts_refresh(pairs=stocked, actor=actor)
    return lot


def lot_approve(*, actor, lot: Lot, note: str = "", shown: str | None = None) -> Lot:
    """Approve a lot in quarantine: its stock becomes available. `shown`: the status
    the page showed the lot in (rules.check_decision_shown)."""
    return _decide(actor=actor, lot=lot, to_status=QCStatus.APPROVED, note=note, shown=shown)


def lot_reject(*, actor, lot: Lot, note: str = "", shown: str | None = None) -> Lot:
    """Reject a lot for good, saying why; orders that reserved it ship from other lots."""
    if not (note or "").strip():
        # The supplier's claim and the next inspector both start from the reason.
        raise InventoryError(f"Say why lot {lot.code} is rejected.", field="note")
    return _decide(actor=actor, lot=lot, to_status=QCStatus.REJECTED, note=note, shown=shown)


def lot_quarantine(*, actor, lot: Lot, note: str = "", shown: str | None = None) -> Lot:
    """Put an approved lot back on hold (a recall, a complaint) until it is approved or
    rejected again; orders that reserved it ship from other lots."""
    return _decide(actor=actor, lot=lot, to_status=QCStatus.QUARANTINE, note=note, shown=shown)


def lot_set_expiry(*, actor, lot: Lot, expires_on, note: str) -> Lot:
    """Correct the expiry date a lot was received with (keyed wrong on the receipt, a
    supplier's corrected certificate), saying why. Available stock follows at once: a
    date moved into the past takes the lot out of sale, so it leaves only by an
    adjustment; one moved forward puts it back on sale. The same date again (a double
    click) changes nothing and records nothing."""
    actor = as_actor(actor)
    if not (note or "").strip():
        raise InventoryError("Say why the expiry date changes.", field="note")
    with transaction.atomic():
        lot = lock_lot(lot.pk)  # the lot, then its balances: the one global order
        if lot.expires_on == expires_on:
            return lot
        balances = lock_balances(StockBalance.objects.filter(lot=lot))
        today = timezone.localdate()
        was_sellable, before = rules.is_sellable(lot, today), lot.expires_on
        Lot.objects.filter(pk=lot.pk).update(expires_on=expires_on)
        lot.expires_on = expires_on
        audit_record(
            actor=actor,
            action="lot.expiry",
            obj=lot,
            details={
                "item": lot.item.sku,
                "from": before.isoformat() if before else None,
                "to": expires_on.isoformat() if expires_on else None,
                "note": note,
            },
        )
        # As a QC decision: back on sale only resolves alerts, out of sale may open them.
        stocked = {(lot.item_id, b.store_id) for b in balances if b.on_hand > 0}
        if rules.is_sellable(lot, today) and not was_sellable:
            alerts_refresh(pairs=stocked, actor=actor, may_open=False)
        elif was_sellable and not rules.is_sellable(lot, today):
            alerts_refresh(pairs=stocked, actor=actor)
    return lot
