"""Receipts into lots, shared by stock_receive, purchase receipts and direct purchases.

A receipt names a lot code or leaves it blank (a code is generated). New stock of a
QC item always arrives in a new QUARANTINE lot, so it is never available before a
QC decision on it; naming a lot of such an item that is already on record is refused.
"""

import secrets
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db.models.functions import Lower
from django.utils import timezone

from inventory import rules
from inventory.exceptions import InvalidTransition, InventoryError, LineChecks, NothingLeft
from inventory.models import OPEN_PURCHASE_STATUSES, LedgerEntry, Lot, PurchaseOrder, QCStatus
from inventory.quantities import fmt_amount, fmt_qty

from .posting import Posting, require_active

MAX_COST = Decimal("9999999999.99")  # what Decimal(12,2) can hold


@dataclass
class Receipt:
    """One line of stock arriving: validated by clean_receipt()."""

    item: object
    quantity: Decimal
    unit_cost: Decimal
    lot_code: str = ""
    expires_on: date | None = None
    supplier: object = None
    po_line: object = None
    note: str = ""
    index: int | None = None  # the document line it came from, for refusals


def clean_cost(value, item, *, label: str | None = None) -> Decimal:
    """Return a unit cost with 2 places (the item's when blank), or refuse it clearly."""
    if value in (None, ""):
        return item.unit_cost
    label = label or f"Unit cost of {item.sku}"
    try:
        cost = Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise InventoryError(f"{label} must be a number.", field="unit_cost") from None
    if not cost.is_finite():
        raise InventoryError(f"{label} must be a number.", field="unit_cost")
    if cost < 0:
        raise InventoryError(f"{label} cannot be negative.", field="unit_cost")
    if cost > MAX_COST:
        raise InventoryError(f"{label} is too large.", field="unit_cost")
    if cost != cost.quantize(rules.CENT):
        raise InventoryError(f"{label} can have at most 2 decimal places.", field="unit_cost")
    return cost.quantize(rules.CENT)


def clean_receipt(
    *, item, quantity, unit_cost=None, lot_code="", expires_on=None, label=None, **rest
) -> Receipt:
    """Validate one receipt line before any transaction starts (`label`: how the
    messages name the quantity and cost; by default "... of SKU")."""
    require_active(item, "Item", field_name="item")
    code = (lot_code or "").strip()
    if len(code) > 60:
        raise InventoryError("Lot code is too long (60 characters at most).", field="lot_code")
    if "\x00" in code:
        raise InventoryError("Lot code contains a character that is not allowed.", field="lot_code")
    if rules.is_past(expires_on, timezone.localdate()):
        raise InventoryError(
            f"Expiry date {expires_on} is in the past: expired stock cannot be received.",
            field="expires_on",
        )
    suffix = f" of {item.sku}" if label is None else label
    return Receipt(
        item=item,
        quantity=rules.clean_quantity(quantity, label=f"Quantity{suffix}", unit=item.unit),
        unit_cost=clean_cost(unit_cost, item, label=f"Unit cost{suffix}"),
        lot_code=code,
        expires_on=expires_on or None,
        **rest,
    )


def clean_direct_lines(lines) -> list[Receipt]:
    """Check every line of goods that arrived without an order (item, lot code, expiry,
    quantity, cost) before any transaction, so that one refusal names each bad line."""
    cleaned, checks = [], LineChecks()
    for index, line in enumerate(lines):
        with checks.on_line(index):
            cleaned.append(
                clean_receipt(
                    item=line["item"],
                    quantity=line["quantity"],
                    unit_cost=line.get("unit_cost"),
                    lot_code=line.get("lot_code") or "",
                    expires_on=line.get("expires_on") or None,
                    index=index,
                )
            )
    checks.refuse()
    return cleaned


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _everything_outstanding(order, lines) -> list[dict]:
    """Receive everything outstanding, as read after the order's lock: every line with
    what it expects now (PurchaseOrderLine.outstanding; blank when nothing, so a refusal's
    index stays the line's place on the order), in generated lots. What another receipt
    brought first is not received twice."""
    if order.status == PurchaseOrder.Status.RECEIVED:
        raise NothingLeft(
            f"{order.number} has nothing left to receive: it was received in full "
            "(by another user or window); nothing was changed."
        )
    return [{"line": line.pk, "quantity": line.outstanding or None} for line in lines]


def planned_receipts(order, lines, receipts) -> list[Receipt]:
    """Check the submitted receipts of a locked order's lines (ALL: what is outstanding
    now): refuse (before writing anything) a line of another order, a deactivated item, a
    bad quantity, more than is outstanding, or a submission with every line blank."""
    if receipts is rules.ALL:
        receipts = _everything_outstanding(order, lines)
    if order.status not in OPEN_PURCHASE_STATUSES:
        raise InvalidTransition(order.number, order.status, PurchaseOrder.Status.RECEIVED)
    by_pk = {line.pk: line for line in lines}
    wanted: dict[int, Decimal] = {}
    planned, checks = [], LineChecks()
    for index, receipt in enumerate(receipts):
        with checks.on_line(index):
            line_id = getattr(receipt["line"], "pk", receipt["line"])
            if line_id not in by_pk:
                raise InventoryError(f"That line does not belong to {order.number}.", field="line")
            line = by_pk[line_id]
            if _is_blank(receipt.get("quantity")):
                continue
            cleaned = clean_receipt(
                item=line.item,
                quantity=receipt["quantity"],
                unit_cost=line.unit_cost,
                lot_code=receipt.get("lot_code") or "",
                expires_on=receipt.get("expires_on") or None,
                supplier=order.supplier,
                po_line=line,
                index=index,
            )
            wanted[line.pk] = wanted.get(line.pk, Decimal("0")) + cleaned.quantity
            if wanted[line.pk] > line.outstanding:
                raise InventoryError(
                    f"Only {fmt_amount(line.outstanding, line.item.unit)} of {line.item.sku} "
                    f"are outstanding on {order.number}; {fmt_qty(wanted[line.pk])} entered.",
                    field="quantity",
                )
            planned.append(cleaned)
    checks.refuse()
    if not planned:
        raise InventoryError("Enter a quantity received for at least one line.", field="quantity")
    return planned


def post_receipts(posting: Posting, *, store, receipts: list[Receipt]) -> list:
    """Lock the named lots that exist and their balances, check each receipt against its
    lot, and stage RECEIVE rows. Return the lot each receipt went into, in order."""
    named = {(r.item.pk, r.lot_code.lower()) for r in receipts if r.lot_code}
    existing = _existing_lots(named)
    locked = posting.lock(
        lots=[lot.pk for lot in existing.values()],
        rows=[(store.pk, lot.pk) for lot in existing.values()],
    )
    made: dict = {}
    lots, checks = [], LineChecks()
    for receipt in receipts:
        key = (receipt.item.pk, receipt.lot_code.lower()) if receipt.lot_code else None
        lot = locked.get(existing[key].pk) if key in existing else made.get(key)
        if lot is not None and lot.pk is not None:
            lot.item = receipt.item
            with checks.on_line(receipt.index):
                check_receipt_into(lot, receipt)
        elif lot is None:
            lot = posting.new_lot(
                item=receipt.item,
                code=receipt.lot_code or _generated_code(),
                qc_status=rules.new_lot_status(receipt.item),
                expires_on=receipt.expires_on,
                unit_cost=receipt.unit_cost,
                supplier=receipt.supplier or receipt.item.supplier,
            )
            if key is not None:
                made[key] = lot
        else:  # a lot new to this document, named by an earlier line too
            with checks.on_line(receipt.index):
                check_same_new_lot(lot, receipt)
        posting.post(
            posting.balance(store.pk, lot, receipt.item),
            kind=LedgerEntry.Kind.RECEIVE,
            quantity=receipt.quantity,
            on_hand=receipt.quantity,
            po_line=receipt.po_line,
            note=receipt.note,
        )
        lots.append(lot)
    checks.refuse()  # before the posting writes: a refused line's row is never written
    return lots


def check_receipt_into(lot: Lot, receipt: Receipt) -> None:
    """The rule for adding a receipt to a lot already on record (re-read under its lock)."""
    item = receipt.item
    if item.qc_required:
        raise InventoryError(
            f"Lot {lot.code} of {item.sku} is already on record. Each delivery of an item "
            "that needs QC is inspected as a lot of its own: use a new lot code "
            "(or leave it blank).",
            field="lot_code",
        )
    if lot.qc_status == QCStatus.REJECTED:
        raise InventoryError(
            f"Lot {lot.code} was rejected by QC; receive into a new lot.", field="lot_code"
        )
    if rules.is_expired(lot, timezone.localdate()):
        raise InventoryError(
            f"Lot {lot.code} expired on {lot.expires_on}: expired stock cannot be received. "
            "Receive into a new lot.",
            field="lot_code",
        )
    if lot.unit_cost != receipt.unit_cost:
        raise InventoryError(
            f"Lot {lot.code} was received at {lot.unit_cost}; "
            "a receipt at another cost needs a new lot code.",
            field="lot_code",
        )
    if receipt.expires_on and lot.expires_on and lot.expires_on != receipt.expires_on:
        raise InventoryError(
            f"Lot {lot.code} expires on {lot.expires_on}; use a new lot code for "
            "another expiry date.",
            field="expires_on",
        )


def check_same_new_lot(lot: Lot, receipt: Receipt) -> None:
    """Two lines naming one new lot code make one lot: at one cost and one expiry date."""
    if lot.unit_cost != receipt.unit_cost:
        raise InventoryError(
            f"Lot {lot.code} appears twice at different costs; use two lot codes.",
            field="lot_code",
        )
    if receipt.expires_on and lot.expires_on != receipt.expires_on:
        if lot.expires_on is None:
            lot.expires_on = receipt.expires_on  # the first line left it blank
            return
        raise InventoryError(
            f"Lot {lot.code} appears twice with different expiry dates "
            f"({lot.expires_on} and {receipt.expires_on}); use two lot codes.",
            field="expires_on",
        )


def _existing_lots(named: set) -> dict:
    """{(item_id, lowercased code): lot} for the named lots on record, in one query."""
    if not named:
        return {}
    rows = Lot.objects.annotate(code_ci=Lower("code")).filter(
        item_id__in={i for i, _ in named}, code_ci__in={c for _, c in named}
    )
    return {(lot.item_id, lot.code_ci): lot for lot in rows if (lot.item_id, lot.code_ci) in named}


def _generated_code() -> str:
    return f"L{timezone.localdate():%y%m%d}-{secrets.token_hex(4).upper()}"
