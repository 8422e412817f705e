"""The one posting pipeline every stock document goes through.

A service validates its input, opens ``transaction.atomic()`` and then drives a
Posting through the same steps:

1. ``claim()``: insert the Operation that holds the idempotency key; a used key
   returns the first result and nothing else happens.
2. ``lock()``: lock every row the document will touch before deciding anything:
   lots, then balances, each in primary-key order, one statement per table
   whatever the number of lines (the document row is locked before, through
   inventory.locks). Missing balance rows are created empty first, in one statement.
3. Decide with the pure rules in inventory.rules and stage entries with ``post()``.
4. ``write()``: new lots in one insert, new balances in one, ledger rows in one, the
   balance changes in one UPDATE, the audit event in one insert, then the low-stock
   alerts; their e-mails go out with ``on_commit``.

Django owns the transaction: nothing here sends BEGIN or COMMIT or reads the
connection's state. A deadlock or serialization failure is retried once by
``retry_on_conflict`` (the idempotency key makes the retry safe).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Case, DecimalField, F, Q, Value, When
from django.utils import timezone

from inventory import rules
from inventory.exceptions import (
    DocumentChanged,
    IdempotencyConflict,
    InactiveRecord,
    InsufficientStock,
    ResentWithChanges,
)
from inventory.locks import lock_balances, lock_lots
from inventory.models import Item, LedgerEntry, Lot, Operation, QCStatus, StockBalance

from .actor import Actor, as_actor
from .alerts import apply_alert_actions, unresolved_alerts
from .audit import audit_record
from .transactions import KeyUsed, plain_claim

ZERO = Decimal("0")
QTY = DecimalField(max_digits=14, decimal_places=3)


@dataclass
class StockResult:
    """What a posting wrote; `replayed` is True when the key had been used already."""

    operation: Operation
    entries: list[LedgerEntry] = field(default_factory=list)
    replayed: bool = False


def require_active(obj, what: str, *, field_name: str | None = None, why: str = "") -> None:
    if not obj.is_active:
        raise InactiveRecord(f"{what} {obj} is deactivated{why}.", field=field_name)


def require_active_to_add(quantity, item, store, *, field_name: str = "lot") -> None:
    """A deactivated item or store takes in nothing more, but what it still holds can be
    counted down or written off (an adjustment or a count that lowers it)."""
    if quantity > 0:
        why = ": its stock can be written off, not added to"
        require_active(item, "Item", field_name=field_name, why=why)
        require_active(store, "Store", field_name="store", why=why)


def check_take_out(posting: "Posting", balance, quantity) -> None:
    """Stock taken out of one lot by choice (a transfer naming it, a reversal): at most
    the lot's unreserved stock and, from a sellable lot, at most what the item has
    available in the store (rules.draw_available), so that no order's reservation is
    left without stock to ship. The pair's stock must be locked (lock(stocked=...))."""
    if not rules.is_sellable(balance.lot, posting.today):
        if rules.free(balance) < quantity:
            refuse_unreserved(balance.item, balance.store, balance.lot, quantity, balance)
        return
    if (balance.item_id, balance.store_id) not in posting.stocked:
        # Read as not sellable before the locks, sellable after (a QC approval meanwhile).
        raise DocumentChanged(f"Lot {balance.lot.code} changed meanwhile; try again.")
    rules.draw_available(
        item=balance.item,
        store=balance.store,
        quantity=quantity,
        balances=posting.stocked_balances(balance.item_id, balance.store_id),
        today=posting.today,
        lot=balance.lot,
    )


def refuse_unreserved(item, store, lot, requested, balance=None):
    """A lot named by choice gives at most its unreserved stock (none when not in store)."""
    available = rules.free(balance) if balance is not None else rules.ZERO
    what = f"unreserved in lot {lot.code}"
    raise InsufficientStock(
        item=item, store=store, requested=requested, available=available, what=what
    )


def clean_idempotency_key(value) -> str | None:
    key = (value or "").strip() or None
    if key is not None and (len(key) > 64 or "\x00" in key):
        raise IdempotencyConflict("The form token is invalid; reload the page and try again.")
    return key


class Posting:
    """One stock document on its way to the ledger: claim, lock, stage, write."""

    def __init__(self, *, kind: str, actor, idempotency_key: str | None = None):
        self.kind = kind
        self.actor: Actor = as_actor(actor)
        self.key = clean_idempotency_key(idempotency_key)
        self.today = timezone.localdate()
        self.operation: Operation | None = None
        self.entries: list[LedgerEntry] = []
        self.balances: dict[tuple[int, int], StockBalance] = {}  # (store_id, lot_id) -> row
        self.stocked: set[tuple[int, int]] = set()  # (item_id, store_id): all stock locked
        self.new_lots: list[Lot] = []
        self.new_balances: list[StockBalance] = []
        self.deltas = defaultdict(lambda: [ZERO, ZERO])  # balance pk -> [on_hand, reserved]

    # -- 1. claim ------------------------------------------------------------------

    def claim(self) -> StockResult | None:
        """Insert the operation that claims the key; return the first result on a replay.

        First in the transaction, before any lock, so that a concurrent twin waits on
        the key rather than on a balance row.
        """
        if plain_claim():
            try:
                self.operation = Operation.objects.create(
                    kind=self.kind,
                    idempotency_key=self.key,
                    actor=self.actor.user,
                    submission=self.actor.submission,
                )
            except IntegrityError as exc:
                raise KeyUsed() from exc
            return None
        try:
            with transaction.atomic():
                self.operation = Operation.objects.create(
                    kind=self.kind,
                    idempotency_key=self.key,
                    actor=self.actor.user,
                    submission=self.actor.submission,
                )
        except IntegrityError:
            first = Operation.objects.filter(idempotency_key=self.key).first()
            if first is None:
                raise
            if first.kind != self.kind:
                raise IdempotencyConflict(
                    "This form token was already used for another operation; reload the page."
                ) from None
            if first.submission and first.submission != self.actor.submission:
                raise ResentWithChanges(
                    "This form was already sent and recorded, and what it holds now is "
                    "different: that was not recorded. It is kept below; check it and "
                    "send it again to record it as a new one."
                ) from None
            entries = list(first.entries.select_related("lot").order_by("pk"))
            return StockResult(operation=first, entries=entries, replayed=True)
        return None

    # -- 2. lock -------------------------------------------------------------------

    def lock(self, *, stocked=(), rows=(), lots=()) -> dict[int, Lot]:
        """Lock `lots` (pks), then the balances: every balance holding stock of each
        (item_id, store_id) in `stocked`, and the (store_id, lot_id) `rows`, created
        empty when missing. Return the locked lots by pk.

        Lots and balances are each one statement in primary-key order, so documents
        touching the same rows in any line order queue instead of deadlocking.
        """
        locked_lots = lock_lots(lots) if lots else {}
        rows = sorted(set(rows), key=lambda pair: (pair[1], pair[0]))
        if rows:
            lot_items = dict(
                Lot.objects.filter(pk__in={p[1] for p in rows}).values_list("pk", "item")
            )
            # Inserted in (lot, store) order: two documents adding the same rows wait
            # on the first one's insert instead of each holding one the other needs.
            StockBalance.objects.bulk_create(
                [
                    StockBalance(
                        store_id=s, lot_id=lot, item_id=lot_items[lot], on_hand=0, reserved=0
                    )
                    for s, lot in rows
                ],
                ignore_conflicts=True,
            )
        where = Q(pk__in=[])
        for store_id, item_ids in _group(((s, i) for i, s in stocked)).items():
            where |= Q(store_id=store_id, item_id__in=item_ids, has_stock=True)
        for store_id, lot_ids in _group(rows).items():
            where |= Q(store_id=store_id, lot_id__in=lot_ids)
        found = lock_balances(StockBalance.objects.filter(where)) if (stocked or rows) else []
        # Re-read the lots after the balance locks: a QC decision that committed while
        # we waited is seen (a decision in progress waits on these balances).
        current = {**locked_lots}
        missing = {b.lot_id for b in found} - current.keys()
        if missing:
            current.update(Lot.objects.in_bulk(missing))
        for balance in found:
            balance.lot = current[balance.lot_id]
            self.balances[(balance.store_id, balance.lot_id)] = balance
        self.stocked |= set(stocked)
        return locked_lots

    def stocked_balances(self, item_id, store_id) -> list[StockBalance]:
        """The locked balances of the pair that hold stock (after earlier lines' draws)."""
        return [
            b
            for b in self.balances.values()
            if b.item_id == item_id and b.store_id == store_id and b.on_hand > 0
        ]

    def balance(self, store_id, lot, item=None) -> StockBalance:
        """The locked balance of (store, lot), or a new one for a lot new to the store."""
        if lot.pk is not None:
            found = self.balances.get((store_id, lot.pk))
        else:  # a lot new to this document, named again by a later line
            found = next(
                (b for b in self.new_balances if b.store_id == store_id and b.lot is lot), None
            )
        if found is None:
            found = StockBalance(
                store_id=store_id, lot=lot, item_id=lot.item_id, on_hand=0, reserved=0
            )
            if item is not None:
                found.item = item
            if lot.pk is not None:
                self.balances[(store_id, lot.pk)] = found
            self.new_balances.append(found)
        return found

    def new_lot(self, **values) -> Lot:
        """Stage a lot made by this document: nobody else can see it, so no lock."""
        values.setdefault("received_at", timezone.now())
        lot = Lot(**values)
        self.new_lots.append(lot)
        return lot

    def quarantine_lot(self, source: Lot, item, tag: str) -> Lot:
        """Stage a new QUARANTINE lot for stock that came back from `source` (a return of a
        QC item or of damaged goods, found stock): inspected before it can be sold again."""
        return self.new_lot(
            item=item,
            code=f"{source.code}/{tag}{self.operation.pk}"[-60:],
            qc_status=QCStatus.QUARANTINE,
            expires_on=source.expires_on,
            unit_cost=source.unit_cost,
            supplier_id=source.supplier_id,
            origin_lot=source,
        )

    # -- 3. stage ------------------------------------------------------------------

    def post(self, balance, *, kind, quantity, on_hand=ZERO, reserved=ZERO, **links) -> LedgerEntry:
        """Stage one ledger row and move its balance (in memory) by the same deltas."""
        entry = LedgerEntry(
            kind=kind,
            item_id=balance.item_id,
            store_id=balance.store_id,
            lot=balance.lot,
            quantity=quantity,
            on_hand_delta=on_hand,
            reserved_delta=reserved,
            unit_cost=balance.lot.unit_cost,
            actor=self.actor.user,
            **links,
        )
        balance.on_hand += on_hand
        balance.reserved += reserved
        rules.check_capacity(balance)
        if balance.pk is not None:
            delta = self.deltas[balance.pk]
            delta[0] += on_hand
            delta[1] += reserved
        self.entries.append(entry)
        return entry

    # -- 4. write ------------------------------------------------------------------

    def write(self, *, action: str, obj, details: dict) -> StockResult:
        """Write everything staged, in bulk, with the audit event and the alerts."""
        if self.new_lots:
            # A concurrent receipt may create the same code first: the unique index
            # refuses this insert and retry_on_conflict runs the document again.
            Lot.objects.bulk_create(self.new_lots)
        # Re-assigning the saved lot sets lot_id and keeps the cached lot (setting
        # lot_id alone would drop the cache and cost a query per row later).
        for balance in self.new_balances:
            balance.lot = balance.lot
        if self.new_balances:
            StockBalance.objects.bulk_create(self.new_balances)
        for entry in self.entries:
            entry.operation = self.operation
            entry.lot = entry.lot
        LedgerEntry.objects.bulk_create(self.entries)
        changed = {pk: d for pk, d in self.deltas.items() if d[0] or d[1]}
        if changed:
            # Only the columns that move: a sale's UPDATE leaves reserved alone.
            moved = {
                name: F(name) + _by_pk(changed, index)
                for index, name in enumerate(("on_hand", "reserved"))
                if any(d[index] for d in changed.values())
            }
            StockBalance.objects.filter(pk__in=changed).update(**moved)
        audit_record(
            actor=self.actor,
            action=action,
            obj=obj,
            details={
                "operation": self.operation.pk,
                **details,
                "entries": entries_detail(self.entries),
            },
        )
        self._refresh_alerts()
        return StockResult(operation=self.operation, entries=self.entries)

    def _refresh_alerts(self) -> None:
        """Open or resolve the low-stock alerts of every pair this document touched."""
        from inventory.selectors.stock import stock_available_by_pair

        pairs = {(e.item_id, e.store_id) for e in self.entries}
        levels = {}
        for balance in [*self.balances.values(), *self.new_balances]:
            if _ITEM.is_cached(balance):
                levels[balance.item_id] = balance.item.reorder_level
        missing = {item_id for item_id, _ in pairs} - levels.keys()
        if missing:
            levels.update(Item.objects.filter(pk__in=missing).values_list("pk", "reorder_level"))
        pairs = {p for p in pairs if levels[p[0]] > 0}
        if not pairs:
            return
        known = {
            p: rules.available(self.stocked_balances(*p), self.today) for p in pairs & self.stocked
        }
        unknown = pairs - known.keys()
        if unknown:
            known.update(stock_available_by_pair(pairs=unknown))
        unresolved = {(a.item_id, a.store_id) for a in unresolved_alerts(pairs)}
        apply_alert_actions(rules.alert_changes(known, unresolved, levels, self._lowered()))

    def _lowered(self) -> set:
        """The (item_id, store_id) pairs whose available stock this document lowered."""
        change = defaultdict(lambda: ZERO)
        for e in self.entries:  # as rules.available counts them
            stock = e.on_hand_delta if rules.is_sellable(e.lot, self.today) else ZERO
            change[(e.item_id, e.store_id)] += stock - e.reserved_delta
        return {pair for pair, delta in change.items() if delta < 0}


_ITEM = StockBalance._meta.get_field("item")


def _group(pairs) -> dict:
    grouped = defaultdict(set)
    for key, value in pairs:
        grouped[key].add(value)
    return grouped


def _by_pk(changed: dict, index: int) -> Case | Value:
    """Each row's delta: one constant when all rows move alike (a one-row document),
    else a CASE on the primary key (costlier to build and to compile)."""
    deltas = {d[index] for d in changed.values()}
    if len(deltas) == 1:
        return Value(deltas.pop(), output_field=QTY)
    return Case(
        *(When(pk=pk, then=Value(d[index])) for pk, d in changed.items()),
        default=Value(ZERO),
        output_field=QTY,
    )


def entries_detail(entries) -> list[dict]:
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
