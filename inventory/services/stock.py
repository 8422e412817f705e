"""Stock services: every change to stock goes through here, one transaction each.

Each service locks (inventory.locks), re-reads, checks, writes ledger rows and moves
balances with F() in the same transaction, records an audit event and refreshes
low-stock alerts. A replayed idempotency key returns the first result unchanged.
"""

import secrets
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone

from inventory.exceptions import (
    InsufficientStock,
    InventoryError,
    LotNotApproved,
    NotReversible,
)
from inventory.locks import lock_balances, lock_lot
from inventory.models import LedgerEntry, Lot, Operation, QCStatus, StockBalance

from .actor import as_actor
from .alerts import alert_actions, alert_changes, apply_alert_actions, fill_reorder_levels
from .posting import (
    StockResult,
    approved,
    balance_for,
    begin_operation,
    clean_idempotency_key,
    clean_quantity,
    fefo_key,
    held_reservations,
    post_entry,
    refresh_lot_statuses,
    replayed_result,
    require_active,
)
from .posting_io import build_instance, issue_posting, open_posting, uses_functions, write_posting

Kind = LedgerEntry.Kind
ZERO = Decimal("0")


def _start(kind, actor, idempotency_key, result):
    """Join the caller's operation, or begin one; return (result, replayed)."""
    if result is not None:
        return result, False
    operation, replayed = begin_operation(kind=kind, actor=actor, idempotency_key=idempotency_key)
    if replayed:
        return replayed_result(operation), True
    return StockResult(operation=operation), False


def _unclaimed(kind, actor, idempotency_key) -> Operation:
    """The operation of a posting whose key write_posting() claims (not saved yet)."""
    values = {"kind": kind, "idempotency_key": clean_idempotency_key(idempotency_key)}
    values["actor_id"] = actor.user.pk
    return build_instance(Operation, values, adding=True, actor=actor.user)


def _open(kind, actor, idempotency_key, result, *, item, store, lot=None):
    """Claim the key (or join the caller's operation), then lock the item's stocked
    balances in the store. Return (result, replayed, balances)."""
    at = result.at if result is not None else timezone.now()
    opened = open_posting(
        kind=kind if result is None else None,
        actor=actor,
        idempotency_key=idempotency_key,
        item=item,
        store=store,
        lot=lot,
        at=at,
    )
    if opened.replayed:
        return replayed_result(opened.operation), True, []
    if result is None:
        result = StockResult(operation=opened.operation, at=at)
    result.levels[item.pk] = opened.reorder_level
    if lot is None:  # every stocked balance of the pair is locked: available is known
        result.pairs[(item.pk, store.pk)] = opened.balances
    return result, False, opened.balances


def _finish(result: StockResult, *, actor, action, obj, details, own_operation: bool):
    """Write the staged rows with the audit event and, for an operation of its own,
    the low-stock alerts: decided from the locked balances where every one of the
    pair is locked, otherwise from the available stock the write reads back.

    A receipt that locked nothing claims its key here; if the key was used, nothing
    is written and the first operation's result is returned.
    """
    known, unknown = {}, set()
    if own_operation:
        known = {pair: result.available(pair) for pair in result.pairs}
        fill_reorder_levels(result.levels, {item_id for item_id, _ in result.touched})
        unknown = {p for p in result.touched - known.keys() if result.levels[p[0]] > 0}
    written = write_posting(
        result,
        actor=actor,
        audit={"action": action, "obj": obj, "details": details},
        alerts=alert_actions(known, result.levels),
        pairs=unknown,
        claim=result.operation.pk is None,
        final=own_operation,  # every service returns _finish(): nothing is written after
    )
    if written.replayed is not None:
        return replayed_result(written.replayed)
    if unknown:
        apply_alert_actions(alert_changes(written.available, written.unresolved, result.levels))
    return result


def _draw(quantity, rows, allowance):
    """Yield (row, take) that draw `quantity` from rows in order, at most allowance(row) each."""
    remaining = quantity
    for row in rows:
        if remaining <= 0:
            return
        take = min(remaining, allowance(row))
        if take > 0:
            remaining -= take
            yield row, take


def _entries_detail(entries):
    return [
        {
            "kind": e.kind,
            "lot": e.lot.code,
            "store": e.store_id,
            "quantity": e.quantity,
            "on_hand_delta": e.on_hand_delta,
            "reserved_delta": e.reserved_delta,
        }
        for e in entries
    ]


def stock_receive(
    *,
    actor,
    item,
    store,
    quantity,
    unit_cost=None,
    lot_code: str = "",
    expires_on=None,
    supplier=None,
    po_line=None,
    note: str = "",
    idempotency_key: str | None = None,
    result: StockResult | None = None,
) -> StockResult:
    """Receive stock into a new or existing lot of the item.

    A new lot starts in QUARANTINE when the item needs QC, otherwise APPROVED, and
    keeps the receipt's unit cost. An existing lot is extended only at the same cost.
    """
    actor = as_actor(actor)
    quantity = clean_quantity(quantity)
    require_active(item, "Item", field_name="item")
    require_active(store, "Store", field_name="store")
    cost = item.unit_cost if unit_cost in (None, "") else _clean_cost(unit_cost)
    own = result is None
    code = (lot_code or "").strip()
    with transaction.atomic():
        if code:
            result, replayed = _start("RECEIVE", actor, idempotency_key, result)
            if replayed:
                return result
            lot, created = _named_lot(item, code, cost, expires_on, supplier)
            if created:
                # Nobody else can see a lot made in this transaction: its balance needs
                # no lock (write_posting creates it).
                balance = _new_balance(store, lot, item)
            else:
                balance = balance_for(store=store, lot=lot)
                (balance,) = lock_balances(StockBalance.objects.filter(pk=balance.pk))
        else:
            # A new lot locks nothing: its own operation's key is claimed by the write
            # (in _finish), which also reads back the available stock for the alerts.
            if result is None:
                result = StockResult(operation=_unclaimed("RECEIVE", actor, idempotency_key))
            code = f"L{timezone.localdate():%y%m%d}-{secrets.token_hex(4).upper()}"
            lot = _new_lot(item, code, cost, expires_on, supplier, at=result.at)
            balance = _new_balance(store, lot, item)
        post_entry(
            result,
            balance=balance,
            kind=Kind.RECEIVE,
            quantity=quantity,
            on_hand_delta=quantity,
            actor=actor,
            po_line=po_line,
            note=note,
        )
        return _finish(
            result,
            actor=actor,
            action="stock.receive",
            obj=item,
            details={
                "store": store.code,
                "lot": lot.code,
                "qc_status": lot.qc_status,
                "quantity": quantity,
                "unit_cost": cost,
                "entries": _entries_detail(result.entries[-1:]),
            },
            own_operation=own,
        )


MAX_COST = Decimal("9999999999.99")  # what Decimal(12,2) can hold


def _clean_cost(value) -> Decimal:
    """Return a unit cost as a Decimal with 2 places, or refuse it with a clear message."""
    try:
        cost = Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise InventoryError("Unit cost must be a number.", field="unit_cost") from None
    if not cost.is_finite():
        raise InventoryError("Unit cost must be a number.", field="unit_cost")
    if cost < 0:
        raise InventoryError("Unit cost cannot be negative.", field="unit_cost")
    if cost > MAX_COST:
        raise InventoryError("Unit cost is too large.", field="unit_cost")
    if cost != cost.quantize(Decimal("0.01")):
        raise InventoryError("Unit cost can have at most 2 decimal places.", field="unit_cost")
    return cost.quantize(Decimal("0.01"))


def _named_lot(item, code, cost, expires_on, supplier) -> tuple[Lot, bool]:
    """Return (lot, created): the named lot to extend, or a new one (saved)."""
    if len(code) > 60:
        raise InventoryError("Lot code is too long (60 characters at most).", field="lot_code")
    lot = Lot.objects.filter(item=item, code__iexact=code).first()
    if lot is None:
        try:
            with transaction.atomic():
                lot = _new_lot(item, code, cost, expires_on, supplier, at=timezone.now())
                lot.save()
                return lot, True
        except IntegrityError:
            # A concurrent receipt created the same lot code first: extend that lot.
            lot = Lot.objects.get(item=item, code__iexact=code)
    # Lock the lot (before any balance, as locks.py orders them) so that a QC
    # rejection cannot commit between this check and the receipt.
    lot = lock_lot(lot.pk)
    if lot.qc_status == QCStatus.REJECTED:
        raise InventoryError(
            f"Lot {lot.code} was rejected by QC; receive into a new lot.", field="lot_code"
        )
    if lot.unit_cost != cost:
        raise InventoryError(
            f"Lot {lot.code} was received at {lot.unit_cost}; "
            "a receipt at another cost needs a new lot code.",
            field="lot_code",
        )
    if expires_on and lot.expires_on and lot.expires_on != expires_on:
        raise InventoryError(
            f"Lot {lot.code} expires on {lot.expires_on}; use a new lot code for "
            "another expiry date.",
            field="expires_on",
        )
    return lot, False


def _new_lot(item, code, cost, expires_on, supplier, *, at) -> Lot:
    """An unsaved lot: QUARANTINE when the item needs QC, otherwise APPROVED."""
    values = {
        "item_id": item.pk,
        "code": code,
        "qc_status": QCStatus.QUARANTINE if item.qc_required else QCStatus.APPROVED,
        "expires_on": expires_on,
        "unit_cost": cost,
        "supplier_id": supplier.pk if supplier else item.supplier_id,
        "received_at": at,
    }
    return build_instance(Lot, values, adding=True, item=item)


def _new_balance(store, lot, item) -> StockBalance:
    """An unsaved, empty balance of a lot new to the store (write_posting creates it)."""
    values = {"store_id": store.pk, "lot_id": lot.pk, "item_id": item.pk}
    values.update(on_hand=ZERO, reserved=ZERO)
    return build_instance(StockBalance, values, adding=True, store=store, lot=lot, item=item)


def stock_reserve(
    *,
    actor,
    item,
    store,
    quantity,
    so_line=None,
    lot=None,
    idempotency_key: str | None = None,
    result: StockResult | None = None,
) -> StockResult:
    """Reserve from APPROVED lots of the item in the store, earliest expiry first.

    The reservation is held against specific lots (and the sales order line, if any);
    reserving more than is available is refused and writes nothing. With `lot`, draw
    from that lot only, which must be APPROVED.
    """
    actor = as_actor(actor)
    quantity = clean_quantity(quantity)
    require_active(item, "Item", field_name="item")
    own = result is None
    _check_lot_of_item(item, lot)
    with transaction.atomic():
        result, replayed, balances = _open(
            "RESERVE", actor, idempotency_key, result, item=item, store=store, lot=lot
        )
        if replayed:
            return result
        _require_approved(lot)
        candidates = sorted(approved(balances), key=fefo_key)
        available = sum((b.available for b in candidates), ZERO)
        if available < quantity:
            raise InsufficientStock(item=item, store=store, requested=quantity, available=available)
        for balance, take in _draw(quantity, candidates, lambda balance: balance.available):
            post_entry(
                result,
                balance=balance,
                kind=Kind.RESERVE,
                quantity=take,
                reserved_delta=take,
                actor=actor,
                so_line=so_line,
            )
        return _finish(
            result,
            actor=actor,
            action="stock.reserve",
            obj=item,
            details={
                "store": store.code,
                "quantity": quantity,
                "entries": _entries_detail(result.entries),
            },
            own_operation=own,
        )


def stock_unreserve(
    *,
    actor,
    item,
    store,
    quantity,
    so_line=None,
    idempotency_key: str | None = None,
    result: StockResult | None = None,
) -> StockResult:
    """Release reservations held by the order line (or unassigned ones), latest expiry first."""
    actor = as_actor(actor)
    quantity = clean_quantity(quantity)
    own = result is None
    with transaction.atomic():
        # Reserved stock is on hand, so the stocked balances hold every reservation.
        result, replayed, balances = _open(
            "UNRESERVE", actor, idempotency_key, result, item=item, store=store
        )
        if replayed:
            return result
        held = held_reservations(item=item, store=store, so_line=so_line)
        total = sum(held.values(), ZERO)
        if total < quantity:
            raise InsufficientStock(
                item=item, store=store, requested=quantity, available=total, what="reserved"
            )
        for balance, take in _draw(
            quantity,
            sorted(balances, key=fefo_key, reverse=True),
            lambda balance: held.get(balance.lot_id, ZERO),
        ):
            post_entry(
                result,
                balance=balance,
                kind=Kind.UNRESERVE,
                quantity=take,
                reserved_delta=-take,
                actor=actor,
                so_line=so_line,
            )
        return _finish(
            result,
            actor=actor,
            action="stock.unreserve",
            obj=item,
            details={
                "store": store.code,
                "quantity": quantity,
                "entries": _entries_detail(result.entries),
            },
            own_operation=own,
        )


def _check_lot_of_item(item, lot) -> None:
    if lot is not None and lot.item_id != item.pk:
        raise InventoryError(f"Lot {lot.code} is not a lot of {item.sku}.", field="lot")


def _require_approved(lot) -> None:
    """Refuse a named lot that QC has not approved (re-read after the balance locks)."""
    if lot is None:
        return
    current = Lot.objects.select_related("item").get(pk=lot.pk)
    if current.qc_status != QCStatus.APPROVED:
        raise LotNotApproved(current)


def stock_issue(
    *,
    actor,
    item,
    store,
    quantity,
    from_reservation: bool = False,
    so_line=None,
    lot=None,
    note: str = "",
    idempotency_key: str | None = None,
    result: StockResult | None = None,
) -> StockResult:
    """Issue stock out of the store, from a reservation or from available APPROVED stock.

    Draws earliest expiry first and never from QUARANTINE or REJECTED lots. Issuing
    more than is available (or reserved) is refused and writes nothing. With `lot`,
    draw from that lot only, which must be APPROVED.
    """
    actor = as_actor(actor)
    quantity = clean_quantity(quantity)
    if not from_reservation:
        require_active(item, "Item", field_name="item")
    own = result is None
    _check_lot_of_item(item, lot)
    if own and not from_reservation and so_line is None and lot is None and uses_functions():
        return _issue_in_one_call(actor, item, store, quantity, note, idempotency_key)
    with transaction.atomic():
        result, replayed, balances = _open(
            "ISSUE", actor, idempotency_key, result, item=item, store=store, lot=lot
        )
        if replayed:
            return result
        _require_approved(lot)
        ordered = sorted(approved(balances), key=fefo_key)
        if from_reservation:
            held = held_reservations(item=item, store=store, so_line=so_line)
            allowance = {b.lot_id: held.get(b.lot_id, ZERO) for b in ordered}
            what = "reserved"
        else:
            allowance = {b.lot_id: b.available for b in ordered}
            what = "available"
        total = sum(allowance.values(), ZERO)
        if total < quantity:
            raise InsufficientStock(
                item=item, store=store, requested=quantity, available=total, what=what
            )
        for balance, take in _draw(quantity, ordered, lambda balance: allowance[balance.lot_id]):
            post_entry(
                result,
                balance=balance,
                kind=Kind.ISSUE,
                quantity=take,
                on_hand_delta=-take,
                reserved_delta=-take if from_reservation else ZERO,
                actor=actor,
                so_line=so_line,
                note=note,
            )
        return _finish(
            result,
            actor=actor,
            action="stock.issue",
            obj=item,
            details={
                **_issue_details(store, quantity, from_reservation),
                "entries": _entries_detail(result.entries),  # the one call adds these itself
            },
            own_operation=own,
        )


def _issue_details(store, quantity, from_reservation: bool) -> dict:
    return {"store": store.code, "quantity": quantity, "from_reservation": from_reservation}


def _issue_in_one_call(actor, item, store, quantity, note, idempotency_key) -> StockResult:
    """stock_issue from available stock, on PostgreSQL: the claim, the locks, the
    drawing and the writes in one round trip (inventory_issue_posting draws by the
    rule above). The low-stock alert change it calls for, if any, follows in a
    transaction of its own, as after a receipt."""
    at = timezone.now()
    details = _issue_details(store, quantity, from_reservation=False)
    with transaction.atomic():
        issued = issue_posting(
            actor=actor,
            idempotency_key=idempotency_key,
            item=item,
            store=store,
            quantity=quantity,
            note=note,
            audit={"action": "stock.issue", "obj": item, "details": details},
            at=at,
        )
        if issued.replayed:
            return replayed_result(issued.operation)
        readback, levels = issued.readback, {item.pk: issued.reorder_level}
        apply_alert_actions(alert_changes(readback.available, readback.unresolved, levels))
        return StockResult(operation=issued.operation, entries=issued.entries, at=at)


NEGATIVE_REASONS = {"DAMAGE", "LOSS", "WRITE_OFF", "RETURN_TO_SUPPLIER"}
POSITIVE_REASONS = {"FOUND"}
ADJUST_REASONS = set(LedgerEntry.Reason.values) - {"REVERSAL"}


def stock_adjust(
    *,
    actor,
    lot,
    store,
    quantity,
    reason: str,
    note: str = "",
    idempotency_key: str | None = None,
) -> StockResult:
    """Correct the stock of one lot in one store by a signed quantity, for a stated reason.

    A decrease may not take on hand below what is reserved. This is the only way
    stock of a REJECTED lot leaves (write-off or return to supplier).
    """
    actor = as_actor(actor)
    quantity = clean_quantity(quantity, allow_negative=True)
    if reason not in ADJUST_REASONS:
        raise InventoryError("Choose a reason for the adjustment.", field="reason")
    if reason in NEGATIVE_REASONS and quantity > 0:
        raise InventoryError(
            f"{LedgerEntry.Reason(reason).label} takes stock out: enter a negative quantity.",
            field="quantity",
        )
    if reason in POSITIVE_REASONS and quantity < 0:
        raise InventoryError(
            "Found stock adds to stock: enter a positive quantity.", field="quantity"
        )
    with transaction.atomic():
        result, replayed = _start("ADJUST", actor, idempotency_key, None)
        if replayed:
            return result
        if quantity > 0:
            balance = balance_for(store=store, lot=lot)
            (balance,) = lock_balances(StockBalance.objects.filter(pk=balance.pk))
        else:
            locked = lock_balances(StockBalance.objects.filter(store=store, lot=lot))
            balance = locked[0] if locked else None
            available = balance.available if balance else ZERO
            if available < -quantity:
                raise InsufficientStock(
                    item=lot.item,
                    store=store,
                    requested=-quantity,
                    available=available,
                    what=f"unreserved in lot {lot.code}",
                )
        post_entry(
            result,
            balance=balance,
            kind=Kind.ADJUST,
            quantity=abs(quantity),
            on_hand_delta=quantity,
            actor=actor,
            reason=reason,
            note=note,
        )
        return _finish(
            result,
            actor=actor,
            action="stock.adjust",
            obj=lot.item,
            details={
                "store": store.code,
                "lot": lot.code,
                "quantity": quantity,
                "reason": reason,
                "note": note,
                "entries": _entries_detail(result.entries),
            },
            own_operation=True,
        )


def stock_transfer(
    *,
    actor,
    item,
    from_store,
    to_store,
    quantity,
    lot=None,
    note: str = "",
    idempotency_key: str | None = None,
) -> StockResult:
    """Move stock between stores as TRANSFER_OUT and TRANSFER_IN rows, keeping lot identity.

    Without a lot, moves available APPROVED stock earliest expiry first; with a lot,
    moves that lot's unreserved stock whatever its QC status.
    """
    actor = as_actor(actor)
    quantity = clean_quantity(quantity)
    if from_store.pk == to_store.pk:
        raise InventoryError("Choose two different stores.", field="to_store")
    require_active(to_store, "Store", field_name="to_store")
    with transaction.atomic():
        result, replayed = _start("TRANSFER", actor, idempotency_key, None)
        if replayed:
            return result
        source_qs = StockBalance.objects.filter(item=item, store=from_store)
        if lot is not None:
            source_qs = source_qs.filter(lot=lot)
        # Make sure every destination row exists before locking, then lock source and
        # destination rows together in primary-key order: A->B and B->A cannot deadlock.
        lot_ids = list(source_qs.filter(has_stock=True).values_list("lot_id", flat=True))
        for source_lot in Lot.objects.filter(pk__in=lot_ids):
            balance_for(store=to_store, lot=source_lot)
        locked = lock_balances(
            StockBalance.objects.filter(pk__in=source_qs.values("pk"))
            | StockBalance.objects.filter(store=to_store, lot_id__in=lot_ids)
        )
        refresh_lot_statuses(locked)
        if lot is not None:
            _refuse_rejected(Lot.objects.select_related("item").get(pk=lot.pk))
        sources = [b for b in locked if b.store_id == from_store.pk]
        targets = {b.lot_id: b for b in locked if b.store_id == to_store.pk}
        if lot is None:
            sources = sorted(approved(sources), key=fefo_key)
        available = sum((b.available for b in sources), ZERO)
        if available < quantity:
            raise InsufficientStock(
                item=item, store=from_store, requested=quantity, available=available
            )
        for source, take in _draw(quantity, sources, lambda source: source.available):
            target = targets.get(source.lot_id) or balance_for(store=to_store, lot=source.lot)
            post_entry(
                result,
                balance=source,
                kind=Kind.TRANSFER_OUT,
                quantity=take,
                on_hand_delta=-take,
                actor=actor,
                note=note,
            )
            target.lot = source.lot
            post_entry(
                result,
                balance=target,
                kind=Kind.TRANSFER_IN,
                quantity=take,
                on_hand_delta=take,
                actor=actor,
                note=note,
            )
        return _finish(
            result,
            actor=actor,
            action="stock.transfer",
            obj=item,
            details={
                "from_store": from_store.code,
                "to_store": to_store.code,
                "quantity": quantity,
                "entries": _entries_detail(result.entries),
            },
            own_operation=True,
        )


def _refuse_rejected(lot) -> None:
    if lot.qc_status == QCStatus.REJECTED:
        raise InventoryError(
            f"Lot {lot.code} of {lot.item.sku} was rejected by QC; its stock leaves only "
            "through an adjustment (write-off or return to supplier).",
            field="lot",
        )


def stock_return(
    *,
    actor,
    so_line,
    quantity,
    note: str = "",
    result: StockResult,
) -> StockResult:
    """Take back shipped stock of a sales order line as RETURN rows.

    Goes back into the lots it left, or, when the item needs QC, into a QUARANTINE
    lot per source lot for inspection. The caller (the sales service) holds the
    order lock and checks the returnable quantity.
    """
    actor = as_actor(actor)
    quantity = clean_quantity(quantity)
    order = so_line.order
    item, store = so_line.item, order.store
    shipped = _shipped_by_lot(so_line)
    if sum(shipped.values(), ZERO) < quantity:
        raise InventoryError("More is being returned than was shipped.", field="quantity")
    for lot_id, take in _draw(
        quantity, sorted(shipped, reverse=True), lambda lot_id: shipped[lot_id]
    ):
        source_lot = Lot.objects.get(pk=lot_id)
        target_lot = _return_lot(source_lot, order) if item.qc_required else source_lot
        balance = balance_for(store=store, lot=target_lot)
        (balance,) = lock_balances(StockBalance.objects.filter(pk=balance.pk))
        post_entry(
            result,
            balance=balance,
            kind=Kind.RETURN,
            quantity=take,
            on_hand_delta=take,
            actor=actor,
            so_line=so_line,
            note=note,
        )
    details = {
        "order": order.number,
        "quantity": quantity,
        "entries": _entries_detail(result.entries),
    }
    # Alerts are refreshed by the sales service, which holds the whole operation.
    write_posting(
        result,
        actor=actor,
        audit={"action": "stock.return", "obj": item, "details": details},
        alerts=[],
    )
    return result


def _shipped_by_lot(so_line) -> dict[int, Decimal]:
    """Return {lot_id: shipped minus returned} for the line, per lot it was shipped from."""
    from django.db.models import Sum
    from django.db.models.functions import Coalesce

    shipped = dict(
        LedgerEntry.objects.filter(so_line=so_line, kind=Kind.ISSUE)
        .values_list("lot_id")
        .annotate(q=Sum("quantity"))
    )
    returned = (
        LedgerEntry.objects.filter(so_line=so_line, kind=Kind.RETURN)
        .values_list(Coalesce("lot__origin_lot_id", "lot_id"))
        .annotate(q=Sum("quantity"))
    )
    for lot_id, qty in returned:
        shipped[lot_id] = shipped.get(lot_id, ZERO) - qty
    return shipped


def _return_lot(source_lot: Lot, order) -> Lot:
    code = f"{source_lot.code}/R-{order.number}"[:60]
    lot, _ = Lot.objects.get_or_create(
        item=source_lot.item,
        code=code,
        defaults={
            "qc_status": QCStatus.QUARANTINE,
            "expires_on": source_lot.expires_on,
            "unit_cost": source_lot.unit_cost,
            "supplier": source_lot.supplier,
            "received_at": timezone.now(),
            "origin_lot": source_lot,
        },
    )
    return lot


REVERSIBLE = {
    Kind.RECEIVE,
    Kind.ADJUST,
    Kind.ISSUE,
    Kind.RETURN,
    Kind.TRANSFER_OUT,
    Kind.TRANSFER_IN,
}


def ledger_entry_reverse(
    *, actor, entry: LedgerEntry, note: str = "", idempotency_key: str | None = None
) -> StockResult:
    """Write the compensating entry (both halves for a transfer), once per entry.

    Movements that belong to an order or a reservation are changed through the order
    instead; a reversal that would take stock below zero (or below what is reserved)
    is refused.
    """
    actor = as_actor(actor)
    if entry.reverses_id is not None:
        raise NotReversible("This movement is itself a reversal; record a new movement instead.")
    if entry.kind not in REVERSIBLE or entry.reserved_delta != 0:
        raise NotReversible("Reservations are released, not reversed.")
    if entry.po_line_id or entry.so_line_id:
        raise NotReversible("This movement belongs to an order; correct it from the order.")
    with transaction.atomic():
        result, replayed = _start("REVERSAL", actor, idempotency_key, None)
        if replayed:
            return result
        originals = [entry]
        if entry.kind in (Kind.TRANSFER_OUT, Kind.TRANSFER_IN):
            twin_kind = Kind.TRANSFER_IN if entry.kind == Kind.TRANSFER_OUT else Kind.TRANSFER_OUT
            twin = (
                LedgerEntry.objects.filter(
                    operation_id=entry.operation_id,
                    kind=twin_kind,
                    lot_id=entry.lot_id,
                    quantity=entry.quantity,
                )
                .exclude(store_id=entry.store_id)
                .first()
            )
            if twin is not None:
                originals.append(twin)
        pairs = [(o.store_id, o.lot_id) for o in originals]
        for store_id, lot_id in pairs:
            StockBalance.objects.get_or_create(
                store_id=store_id, lot_id=lot_id, defaults={"item_id": entry.item_id}
            )
        locked = lock_balances(
            StockBalance.objects.filter(lot_id=entry.lot_id, store_id__in=[p[0] for p in pairs])
        )
        # Checked under the locks: a concurrent reversal of the same entry has committed
        # by now, and the unique `reverses` column would otherwise fail with a 500.
        if LedgerEntry.objects.filter(reverses__in=originals).exists():
            raise NotReversible(f"Movement #{entry.pk} has already been reversed.")
        by_store = {b.store_id: b for b in locked}
        for original in originals:
            balance = by_store[original.store_id]
            if original.on_hand_delta > 0 and balance.available < original.on_hand_delta:
                raise InsufficientStock(
                    item=original.item,
                    store=original.store,
                    requested=original.on_hand_delta,
                    available=balance.available,
                    what=f"unreserved in lot {balance.lot.code}",
                )
        for original in originals:
            post_entry(
                result,
                balance=by_store[original.store_id],
                kind=original.kind,
                quantity=original.quantity,
                on_hand_delta=-original.on_hand_delta,
                actor=actor,
                reverses=original,
                reason=LedgerEntry.Reason.REVERSAL,
                note=note,
            )
        return _finish(
            result,
            actor=actor,
            action="stock.reverse",
            obj=entry.item,
            details={
                "reversed": [o.pk for o in originals],
                "entries": _entries_detail(result.entries),
            },
            own_operation=True,
        )
