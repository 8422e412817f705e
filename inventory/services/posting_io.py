"""The database side of a posting, batched: open (claim, lock, read) and write.

The stock services decide; these calls only move rows. On PostgreSQL each is one
call of a function from inventory/db_posting.py, instead of a dozen ORM
statements. When the service's atomic block is the connection's only one, the
posting owns its transaction and its edges travel with the calls (see _call): an
issue from a reservation or a lot costs two round trips ("BEGIN; open", "write;
COMMIT") and a receipt into a new lot one (the write alone, committed as it runs).
Inside a caller's transaction they are ordinary statements. On other databases
(SQLite) the same reads and writes run through the ORM, statement by statement.
Both write identical rows; the test suite runs on both.

The one exception, issue_posting(): a direct issue on PostgreSQL, drawn and written
by one function call (one round trip), by the same rule as stock_issue; see
inventory/db_posting.py.
"""

import functools
import json
import time
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.models.base import ModelState

from inventory.db_posting import SHORT_SQLSTATE
from inventory.locks import lock_balances
from inventory.models import LedgerEntry, Lot, Operation, StockBalance

from .alerts import announce_alerts, apply_alert_actions, fill_reorder_levels, unresolved_alerts
from .audit import audit_values

ZERO = Decimal("0")
_IDLE = 0  # psycopg.pq.TransactionStatus.IDLE


@dataclass
class Opened:
    """What open_posting() found: the operation and the item's locked balances."""

    operation: Operation | None
    replayed: bool = False
    balances: list[StockBalance] = field(default_factory=list)
    reorder_level: Decimal = ZERO


@functools.cache
def uses_functions() -> bool:
    """PostgreSQL: the posting functions. (A process talks to one kind of database.)"""
    return connections[DEFAULT_DB_ALIAS].vendor == "postgresql"


def open_posting(*, kind, actor, idempotency_key, item, store, lot=None, at) -> Opened:
    """Claim the idempotency key (unless kind is None: joining the caller's operation),
    then lock the item's balances in the store that hold stock (only `lot`'s, if given)
    in primary-key order and return them with their lots' current QC status.

    A used key returns Opened(replayed=True) with the first operation, locking nothing.
    """
    from .posting import _replay, begin_operation, clean_idempotency_key

    key = clean_idempotency_key(idempotency_key)
    if not uses_functions():
        operation = None
        if kind is not None:
            operation, replayed = begin_operation(kind=kind, actor=actor, idempotency_key=key)
            if replayed:
                return Opened(operation=operation, replayed=True)
        balances = StockBalance.objects.filter(item=item, store=store, has_stock=True)
        if lot is not None:
            balances = balances.filter(lot=lot)
        locked = lock_balances(balances)  # with their item, so its current reorder level
        level = locked[0].item.reorder_level if locked else _reorder_level(item)
        return Opened(operation=operation, balances=locked, reorder_level=level)

    rows = _call(
        "SELECT * FROM inventory_open_posting(%s::text, %s::text, %s::bigint, "
        "%s::timestamptz, %s::bigint, %s::bigint, %s::bigint)",
        [kind, key, actor.user.pk, at, item.pk, store.pk, lot.pk if lot is not None else None],
    )
    operation_id, replayed, level = rows[0][0], rows[0][1], rows[0][2]
    if replayed:
        first = _replay(Operation.objects.get(pk=operation_id), kind)
        return Opened(operation=first, replayed=True)
    operation = _saved_operation(operation_id, kind, key, actor, at) if kind is not None else None
    balances = []
    item_id, store_id = item.pk, store.pk
    for row in rows:
        if row[3] is None:
            continue
        balance_id, lot_id, on_hand, reserved = row[3:7]
        lot = _lot_from_row(item, lot_id, row[7:])
        balance = build_instance(
            StockBalance,
            {
                "id": balance_id,
                "store_id": store_id,
                "lot_id": lot_id,
                "item_id": item_id,
                "on_hand": on_hand,
                "reserved": reserved,
            },
            lot=lot,
            store=store,
            item=item,
        )
        balances.append(balance)
    return Opened(operation=operation, balances=balances, reorder_level=level)


def build_instance(model, values: dict, *, adding: bool = False, **related):
    """A model instance built without Model.__init__, for the posting hot path.

    An issue reads every stocked lot of the item, and a posting builds its ledger
    row, operation, lot and balance; through __init__ that was a quarter of the
    posting's Python time. Columns missing from `values` are None (so a new field
    must be filled here or fail loudly on insert); `related` fills the cache of the
    foreign keys whose objects the caller has. `adding`: not saved yet.
    """
    instance = model.__new__(model)
    instance._state = ModelState()
    instance._state.adding = adding
    instance._state.db = None if adding else DEFAULT_DB_ALIAS
    instance.__dict__.update(_blank_row(model))
    instance.__dict__.update(values)
    instance._state.fields_cache.update(related)
    return instance


_BLANK_ROWS: dict = {}


def _blank_row(model) -> dict:
    row = _BLANK_ROWS.get(model)
    if row is None:
        row = _BLANK_ROWS[model] = {f.attname: None for f in model._meta.concrete_fields}
    return row


def _saved_operation(operation_id, kind, key, actor, at) -> Operation:
    """The operation a posting function claimed (inserted) for this posting."""
    values = {"id": operation_id, "kind": kind, "idempotency_key": key}
    values.update(actor_id=actor.user.pk, created_at=at)
    return build_instance(Operation, values, actor=actor.user)


# The lot columns the posting functions return after a lot's id, in this order.
_LOT_COLUMNS = (
    "qc_status",
    "expires_on",
    "received_at",
    "unit_cost",
    "code",
    "supplier_id",
    "origin_lot_id",
)


def _lot_from_row(item, lot_id, columns) -> Lot:
    """A lot of `item` from a posting function's row: its id, then _LOT_COLUMNS."""
    values = dict(zip(_LOT_COLUMNS, columns, strict=True))
    values.update(id=lot_id, item_id=item.pk)
    return build_instance(Lot, values, item=item)


def _reorder_level(item) -> Decimal:
    levels: dict = {}
    fill_reorder_levels(levels, {item.pk})
    return levels[item.pk]


@dataclass
class Written:
    """What write_posting() reports back."""

    replayed: Operation | None = None  # the first operation, when the key was used
    available: dict = field(default_factory=dict)  # pair -> available after the writes
    unresolved: set = field(default_factory=set)  # pairs with an unresolved alert


def write_posting(
    result,
    *,
    actor,
    audit: dict | None,
    alerts: list,
    pairs=(),
    claim: bool = False,
    final: bool = False,
) -> Written:
    """Write the result's staged ledger rows with their balance deltas (creating new
    lots and balances first), the audit event (naming the operation) and the alert
    actions, then give the staged rows their primary keys.

    claim: the operation is not saved yet (result.operation.pk is None); claim its
    idempotency key first, and when the key was used write nothing and return the
    first operation as Written.replayed. pairs: (item_id, store_id) pairs whose
    available stock after the writes, and unresolved alerts, the caller needs.
    final: the service writes nothing else in its transaction. When it owns the
    transaction (its atomic block is the only one), the write commits it at once;
    anything the caller runs afterwards (an alert the read-back calls for) is a
    transaction of its own, as side effects are.
    """
    pending, result.pending = result.pending, []
    audit_row = audit_values(actor=actor, **audit) if audit is not None else None
    if not uses_functions():
        return _write_with_orm(result, actor, pending, audit_row, alerts, pairs, claim)
    operation = result.operation
    entries = [_entry_json(entry, balance) for entry, balance in pending]
    rows = _call(
        "SELECT * FROM inventory_write_posting(%s::bigint, %s::text, %s::text, %s::bigint, "
        "%s::timestamptz, %s::jsonb, %s::jsonb, %s::jsonb, %s::jsonb)",
        [
            None if claim else operation.pk,
            operation.kind,
            operation.idempotency_key,
            actor.user.pk,
            result.at,
            json.dumps(entries),
            json.dumps(audit_row) if audit_row is not None else None,
            json.dumps(alerts, default=str),
            json.dumps([{"item_id": i, "store_id": s} for i, s in pairs]),
        ],
        final=final,
    )
    if rows[0][0] == "replayed":
        from .posting import _replay

        return Written(replayed=_replay(Operation.objects.get(pk=rows[0][1]), operation.kind))
    operation.pk = rows[0][1]
    operation._state.adding, operation._state.db = False, DEFAULT_DB_ALIAS
    written = Written()
    opened = []
    entry_rows = iter(rows[1 : len(pending) + 1])
    for (entry, balance), (_, entry_id, balance_id, lot_id, *_) in zip(
        pending, entry_rows, strict=True
    ):
        lot = balance.lot
        lot.pk = lot_id  # a new lot's id (the same for an existing lot)
        # Straight into the instances: the lot_id descriptor would drop the cached lot.
        balance.__dict__.update(id=balance_id, lot_id=lot_id)
        entry.__dict__.update(
            id=entry_id, lot_id=lot_id, operation_id=operation.pk, created_at=result.at
        )
        for saved in (entry, balance, lot):  # saved rows now, not new ones
            saved._state.adding, saved._state.db = False, DEFAULT_DB_ALIAS
    for tag, row_id, _, _, item_id, store_id, available, unresolved in rows[len(pending) + 1 :]:
        if tag == "alert":
            opened.append(row_id)
        else:
            written.available[(item_id, store_id)] = available
            if unresolved:
                written.unresolved.add((item_id, store_id))
    announce_alerts(opened)
    return written


def _write_with_orm(result, actor, pending, audit_row, alerts, pairs, claim) -> Written:
    """The same writes and reads as inventory_write_posting, through the ORM."""
    from django.db.models import F

    from inventory.models import AuditEvent
    from inventory.selectors.stock import stock_available_by_pair

    from .posting import begin_operation

    operation = result.operation
    if claim:
        first, replayed = begin_operation(
            kind=operation.kind, actor=actor, idempotency_key=operation.idempotency_key
        )
        if replayed:
            return Written(replayed=first)
        result.operation = operation = first
    for entry, balance in pending:
        lot = balance.lot
        if lot.pk is None:
            lot.save()
        if balance.pk is None:  # starts at this entry's deltas, as in the SQL
            balance.pk = StockBalance.objects.create(
                store_id=balance.store_id,
                lot_id=lot.pk,
                item_id=balance.item_id,
                on_hand=entry.on_hand_delta,
                reserved=entry.reserved_delta,
            ).pk
            balance._state.adding, balance._state.db = False, DEFAULT_DB_ALIAS
        else:
            StockBalance.objects.filter(pk=balance.pk).update(
                on_hand=F("on_hand") + entry.on_hand_delta,
                reserved=F("reserved") + entry.reserved_delta,
            )
        # Objects, not ids: setting lot_id alone would drop the cached lot.
        balance.lot, entry.lot, entry.operation = lot, lot, operation
        entry.save()
    if audit_row is not None:
        audit_row["details"] = {**audit_row["details"], "operation": operation.pk}
        AuditEvent.objects.create(**audit_row)
    apply_alert_actions(alerts)
    pairs = set(map(tuple, pairs))
    if not pairs:
        return Written()
    return Written(
        available=stock_available_by_pair(pairs=pairs),
        unresolved={(a.item_id, a.store_id) for a in unresolved_alerts(pairs)},
    )


@dataclass
class Issued:
    """What issue_posting() wrote: the operation (the first one when replayed), its
    ledger rows and, for the alerts, the item's current reorder level and the pair's
    available stock after the issue, read back as write_posting() reads it."""

    operation: Operation
    replayed: bool = False
    entries: list[LedgerEntry] = field(default_factory=list)
    reorder_level: Decimal = ZERO
    readback: Written = field(default_factory=Written)


def issue_posting(*, actor, idempotency_key, item, store, quantity, note, audit, at) -> Issued:
    """Issue `quantity` of the item from the store's available APPROVED stock, earliest
    expiry first, in one call of inventory_issue_posting (PostgreSQL only; see
    inventory/db_posting.py). Short stock raises InsufficientStock, having written
    nothing; a used key returns Issued(replayed=True) with the first operation."""
    from inventory.exceptions import InsufficientStock

    from .posting import _replay, clean_idempotency_key

    key = clean_idempotency_key(idempotency_key)
    audit_row = audit_values(actor=actor, **audit)
    try:
        rows = _call(
            "SELECT * FROM inventory_issue_posting(%s::text, %s::text, %s::bigint, "
            "%s::timestamptz, %s::bigint, %s::bigint, %s::numeric, %s::text, %s::jsonb)",
            [
                "ISSUE",
                key,
                actor.user.pk,
                at,
                item.pk,
                store.pk,
                quantity,
                note,
                json.dumps(audit_row),
            ],
            final=True,
        )
    except DatabaseError as exc:
        cause = exc.__cause__
        if getattr(cause, "sqlstate", None) != SHORT_SQLSTATE:
            raise
        available = Decimal(cause.diag.message_detail)
        raise InsufficientStock(
            item=item, store=store, requested=quantity, available=available
        ) from None
    tag, operation_id = rows[0][0], rows[0][1]
    if tag == "replayed":
        return Issued(
            operation=_replay(Operation.objects.get(pk=operation_id), "ISSUE"), replayed=True
        )
    operation = _saved_operation(operation_id, "ISSUE", key, actor, at)
    _, _, _, available, unresolved, level = rows[0][:6]
    pair = (item.pk, store.pk)
    readback = Written(available={pair: available}, unresolved={pair} if unresolved else set())
    issued = Issued(operation=operation, reorder_level=level, readback=readback)
    for row in rows[1:]:
        entry_id, take, lot_id = row[1], row[2], row[6]
        lot = _lot_from_row(item, lot_id, row[7:])
        values = {
            "id": entry_id,
            "operation_id": operation_id,
            "kind": "ISSUE",
            "item_id": item.pk,
            "store_id": store.pk,
            "lot_id": lot_id,
            "quantity": take,
            "on_hand_delta": -take,
            "reserved_delta": ZERO,
            "unit_cost": lot.unit_cost,
            "actor_id": actor.user.pk,
            "created_at": at,
            "reason": "",
            "note": note,
        }
        issued.entries.append(
            build_instance(LedgerEntry, values, operation=operation, lot=lot, actor=actor.user)
        )
    return issued


def _entry_json(entry: LedgerEntry, balance: StockBalance) -> dict:
    lot = balance.lot
    new_lot = None
    if lot.pk is None:
        new_lot = {
            "code": lot.code,
            "qc_status": lot.qc_status,
            "expires_on": lot.expires_on and lot.expires_on.isoformat(),
            "supplier_id": lot.supplier_id,
        }
    return {  # quantities as text: JSON numbers would go through floats
        "kind": entry.kind,
        "item_id": entry.item_id,
        "store_id": entry.store_id,
        "lot_id": lot.pk,
        "balance_id": balance.pk,
        "new_lot": new_lot,
        "quantity": str(entry.quantity),
        "on_hand_delta": str(entry.on_hand_delta),
        "reserved_delta": str(entry.reserved_delta),
        "unit_cost": str(entry.unit_cost),
        "reason": entry.reason,
        "note": entry.note,
        "po_line_id": entry.po_line_id,
        "so_line_id": entry.so_line_id,
        "reverses_id": entry.reverses_id,
    }


def _call(sql: str, params: list, *, final: bool = False):
    """Run one function call; where the posting owns its transaction, with its edges.

    Each round trip costs as much CPU as a small statement (about 90 us, client and
    server, on a 2-core machine), so when the service's atomic block is the
    connection's only one (nothing outside it to roll back with):
    - the first call of the transaction carries the BEGIN: "BEGIN; SELECT ...";
    - the final write carries the COMMIT: "SELECT ...; COMMIT", or, when it is the
      transaction's only statement, runs alone in autocommit (one round trip).
    Django's own BEGIN and COMMIT then find nothing to do (psycopg sends neither on
    an idle connection), its rollback still rolls back a failed posting, and its
    on_commit hooks run as usual. Merged statements go as one simple query, bound
    on the client. Otherwise the call is a prepared statement, bound on the server.

    Behind a pooler that cannot keep prepared statements (PgBouncer in transaction
    mode before 1.21), set POSTING_PREPARED_STATEMENTS=0. Logged like Django's
    queries, so query-count tests see them.
    """
    db = connections[DEFAULT_DB_ALIAS]  # resolved once: the proxy costs a lookup per use
    if db.connection is None:  # what ensure_connection() checks first
        db.ensure_connection()
    raw = db.connection
    prepare = settings.POSTING_PREPARED_STATEMENTS
    if prepare and raw.prepare_threshold is None:  # Django's default: never prepare
        raw.prepare_threshold = 2**31  # so only calls with prepare=True are prepared
    edge = _transaction_edge(db, raw, final)
    started = time.monotonic()
    with db.wrap_database_errors:
        try:
            if edge in ("begin", "alone"):  # idle, so allowed; else psycopg sends a BEGIN
                raw.autocommit = True
            if edge in ("begin", "commit"):
                sql = f"BEGIN; {sql}" if edge == "begin" else f"{sql}; COMMIT"
                cursor = _posting_cursor(db, raw, "ClientCursor")
                cursor.execute(sql, params)
                if edge == "begin":
                    cursor.nextset()  # past BEGIN's result, to the call's rows
            else:
                cursor = _posting_cursor(db, raw, "Cursor")
                cursor.execute(sql, params, prepare=prepare)
            rows = cursor.fetchall()
        finally:
            # Committed (or never begun): back to Django's setting, so that whatever
            # the block runs next starts a transaction of its own.
            if raw.autocommit and not db.autocommit and raw.pgconn.transaction_status == _IDLE:
                raw.autocommit = False
    if db.queries_logged:
        db.queries_log.append(
            {"sql": f"{sql} -- {params!r}"[:2000], "time": f"{time.monotonic() - started:.3f}"}
        )
    return rows


def _transaction_edge(db, raw, final: bool) -> str | None:
    """Which edge of the transaction the call can carry: "begin", "commit", "alone"
    (the whole transaction), or None (an ordinary statement)."""
    owns = (
        len(db.atomic_blocks) == 1  # a test case's or a caller's block counts too
        and not db.savepoint_ids
        and not db.needs_rollback
    )
    if not owns:
        return None
    # Nothing sent in the block yet (psycopg would start with its own BEGIN).
    untouched = raw.pgconn.transaction_status == _IDLE and not raw.autocommit
    if final:
        return "alone" if untouched else "commit"
    return "begin" if untouched else None


def _posting_cursor(db, raw, psycopg_cursor_class: str):
    """One cursor of each class per connection, kept for the next postings.

    They load timestamptz with psycopg's C loader: Django's loader re-applies the
    time zone in Python (the connection's zone is UTC already), and the lots'
    receipt times were a tenth of a posting's Python time.
    """
    import psycopg

    kept = db.__dict__.setdefault("_inventory_posting_cursors", {})
    cursor = kept.get(psycopg_cursor_class)
    if cursor is None or cursor.closed or cursor.connection is not raw:
        cursor = getattr(psycopg, psycopg_cursor_class)(raw)
        cursor.adapters.register_loader("timestamptz", _c_timestamptz_loader())
        kept[psycopg_cursor_class] = cursor
    return cursor


def _c_timestamptz_loader():
    import psycopg
    from psycopg.pq import Format

    oid = psycopg.postgres.types["timestamptz"].oid
    return psycopg.postgres.adapters.get_loader(oid, Format.TEXT)
