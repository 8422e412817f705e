"""PostgreSQL functions that carry a posting's reads and writes in one or two calls.

`inventory_open_posting` claims the idempotency key, locks the balances of one item
in one store and returns them with their lots' current QC status; the Python service
then decides (FEFO, availability, QC, alert thresholds) and hands
`inventory_write_posting` the exact rows to write: new lots and balances, ledger
rows, balance deltas, the audit event and the alert changes. A posting that locks
nothing (a receipt into a new lot) lets the write claim the key. All claim it with
the same SQL (CLAIM).

One exception, for the most frequent posting: `inventory_issue_posting` issues
directly from available stock in one call, so it decides as it writes. It draws by
the same rule as stock_issue (APPROVED lots only, FEFO as posting.fefo_key orders
them, at most on hand minus reserved from each, refused when short) and writes the
same rows and audit details; a property test on PostgreSQL
(test_issue_posting_parity.py) holds the two to the same results.

On SQLite, inventory/services/posting_io.py performs the same reads and writes
statement by statement; the whole test suite runs on both databases.

Used by migration 0004 (and re-created by later migrations when they change).
"""

# The claim of the idempotency key, in every function: insert the operation; if the
# key was used, take that first operation instead (v_used), and write nothing. One
# text, spliced into each at "-- claim --": as a function of its own, called from
# each, it cost a nested call per posting.
CLAIM = """
        INSERT INTO inventory_operation (kind, idempotency_key, actor_id, created_at)
        VALUES (p_kind, p_key, p_actor, p_at)
        ON CONFLICT (idempotency_key) DO NOTHING
        RETURNING id INTO v_operation;
        v_used := v_operation IS NULL;
        IF v_used THEN
            SELECT o.id INTO v_operation FROM inventory_operation o
                WHERE o.idempotency_key = p_key;
        END IF;"""


def _with_claim(sql: str) -> str:
    return sql.replace("        -- claim --", CLAIM.strip("\n"))


OPEN_POSTING = """
CREATE OR REPLACE FUNCTION inventory_open_posting(
    p_kind text, p_key text, p_actor bigint, p_at timestamptz,
    p_item bigint, p_store bigint, p_lot bigint
) RETURNS TABLE (
    operation_id bigint, replayed boolean, reorder_level numeric,
    balance_id bigint, lot_id bigint, on_hand numeric, reserved numeric,
    qc_status text, expires_on date, received_at timestamptz, unit_cost numeric,
    lot_code text, supplier_id bigint, origin_lot_id bigint
) LANGUAGE plpgsql AS $$
DECLARE
    v_operation bigint;
    v_used boolean;
BEGIN
    IF p_kind IS NOT NULL THEN
        -- claim --
        IF v_used THEN  -- the caller replays the first operation
            operation_id := v_operation; replayed := true;
            RETURN NEXT;
            RETURN;
        END IF;
    END IF;
    -- Balances in primary-key order (inventory/locks.py). Empty rows cannot be drawn
    -- from, so they are neither locked nor returned.
    PERFORM 1 FROM inventory_stockbalance b
        WHERE b.item_id = p_item AND b.store_id = p_store AND b.has_stock
          AND (p_lot IS NULL OR b.lot_id = p_lot)
        ORDER BY b.id FOR UPDATE;
    -- A new statement, so a new snapshot: QC decisions that committed while we
    -- waited for the locks are seen. One row even when no balance holds stock.
    RETURN QUERY SELECT v_operation, false, i.reorder_level, b.id, b.lot_id, b.on_hand,
            b.reserved, l.qc_status::text, l.expires_on, l.received_at, l.unit_cost,
            l.code::text, l.supplier_id, l.origin_lot_id
        FROM inventory_item i
        LEFT JOIN inventory_stockbalance b
            ON b.item_id = i.id AND b.store_id = p_store AND b.has_stock
           AND (p_lot IS NULL OR b.lot_id = p_lot)
        LEFT JOIN inventory_lot l ON l.id = b.lot_id
        WHERE i.id = p_item
        ORDER BY b.id;
END;
$$;
"""

WRITE_POSTING = """
CREATE OR REPLACE FUNCTION inventory_write_posting(
    p_operation bigint, p_kind text, p_key text, p_actor bigint, p_at timestamptz,
    p_entries jsonb, p_audit jsonb, p_alerts jsonb, p_pairs jsonb
) RETURNS TABLE (
    out_tag text, out_id bigint, out_balance bigint, out_lot bigint,
    out_item bigint, out_store bigint, out_available numeric, out_unresolved boolean
) LANGUAGE plpgsql AS $$
-- Without p_operation, first claim p_key for a new operation of kind p_kind: a used
-- key returns one 'replayed' row (the first operation) and writes nothing.
-- Rows returned: 'operation'; one 'entry' per ledger row, in order (id, balance,
-- lot); one 'alert' per alert opened; one 'pair' per (item, store) in p_pairs with
-- its available stock after the writes and whether an alert is unresolved.
DECLARE
    e record;
    a record;
    p record;
    v_operation bigint := p_operation;
    v_used boolean;
    v_lot bigint;
    v_balance bigint;
    v_id bigint;
BEGIN
    IF v_operation IS NULL THEN
        -- claim --
        IF v_used THEN
            out_tag := 'replayed'; out_id := v_operation;
            RETURN NEXT;
            RETURN;
        END IF;
    END IF;
    out_tag := 'operation'; out_id := v_operation;
    RETURN NEXT;
    FOR e IN SELECT * FROM jsonb_to_recordset(p_entries) AS x(
        kind text, item_id bigint, store_id bigint, lot_id bigint, balance_id bigint,
        new_lot jsonb, quantity numeric, on_hand_delta numeric, reserved_delta numeric,
        unit_cost numeric, po_line_id bigint, so_line_id bigint, reverses_id bigint,
        reason text, note text
    ) LOOP
        v_lot := e.lot_id;
        v_balance := e.balance_id;
        IF e.new_lot IS NOT NULL THEN
            INSERT INTO inventory_lot (item_id, code, qc_status, expires_on, unit_cost,
                                       supplier_id, received_at, origin_lot_id)
            VALUES (e.item_id, e.new_lot->>'code', e.new_lot->>'qc_status',
                    (e.new_lot->>'expires_on')::date, e.unit_cost,
                    (e.new_lot->>'supplier_id')::bigint, p_at, NULL)
            RETURNING id INTO v_lot;
        END IF;
        IF v_balance IS NULL THEN  -- a lot new to this store (the caller made sure):
            -- the row starts at this entry's deltas, with no second version to update
            INSERT INTO inventory_stockbalance (store_id, lot_id, item_id, on_hand, reserved)
            VALUES (e.store_id, v_lot, e.item_id, e.on_hand_delta, e.reserved_delta)
            RETURNING id INTO v_balance;
        ELSE
            UPDATE inventory_stockbalance
                SET on_hand = on_hand + e.on_hand_delta, reserved = reserved + e.reserved_delta
                WHERE id = v_balance;
        END IF;
        INSERT INTO inventory_ledgerentry (operation_id, kind, item_id, store_id, lot_id,
            quantity, on_hand_delta, reserved_delta, unit_cost, actor_id, created_at,
            po_line_id, so_line_id, reason, note, reverses_id)
        VALUES (v_operation, e.kind, e.item_id, e.store_id, v_lot, e.quantity,
            e.on_hand_delta, e.reserved_delta, e.unit_cost, p_actor, p_at,
            e.po_line_id, e.so_line_id, e.reason, e.note, e.reverses_id)
        RETURNING id INTO v_id;
        out_tag := 'entry'; out_id := v_id; out_balance := v_balance; out_lot := v_lot;
        RETURN NEXT;
    END LOOP;
    out_balance := NULL; out_lot := NULL;
    IF p_audit IS NOT NULL THEN
        INSERT INTO inventory_auditevent (actor_id, actor_username, action, object_type,
            object_id, object_repr, details, ip_address, user_agent, created_at)
        VALUES ((p_audit->>'actor_id')::integer, p_audit->>'actor_username',
            p_audit->>'action', p_audit->>'object_type', p_audit->>'object_id',
            p_audit->>'object_repr',
            p_audit->'details' || jsonb_build_object('operation', v_operation),
            (p_audit->>'ip_address')::inet, p_audit->>'user_agent', p_at);
    END IF;
    FOR a IN SELECT * FROM jsonb_to_recordset(coalesce(p_alerts, '[]'::jsonb)) AS x(
        item_id bigint, store_id bigint, open boolean, available numeric, level numeric
    ) LOOP
        IF a.open THEN  -- at most one unresolved alert per item and store (unique index)
            v_id := NULL;
            INSERT INTO inventory_alert (item_id, store_id, status, available_at_open,
                                         reorder_level, opened_at)
            VALUES (a.item_id, a.store_id, 'OPEN', a.available, a.level, p_at)
            ON CONFLICT DO NOTHING
            RETURNING id INTO v_id;
            IF v_id IS NOT NULL THEN
                out_tag := 'alert'; out_id := v_id;
                RETURN NEXT;
            END IF;
        ELSE  -- an acknowledged alert keeps when it was closed
            UPDATE inventory_alert SET status = 'RESOLVED', closed_at = coalesce(closed_at, p_at)
                WHERE item_id = a.item_id AND store_id = a.store_id AND status <> 'RESOLVED';
        END IF;
    END LOOP;
    -- Available = APPROVED on hand minus reserved, as the stock selectors compute it.
    -- One pair at a time, with plain parameters: planned for a set of pairs, the
    -- alert check hashed every unresolved alert and the lots were joined by scan.
    out_tag := 'pair'; out_id := NULL;
    FOR p IN SELECT * FROM jsonb_to_recordset(coalesce(p_pairs, '[]'::jsonb))
            AS x(item_id bigint, store_id bigint) LOOP
        out_item := p.item_id; out_store := p.store_id;
        SELECT coalesce(sum(b.on_hand - b.reserved), 0) INTO out_available
            FROM inventory_stockbalance b
            WHERE b.item_id = p.item_id AND b.store_id = p.store_id AND b.has_stock
              AND (SELECT l.qc_status FROM inventory_lot l WHERE l.id = b.lot_id) = 'APPROVED';
        out_unresolved := EXISTS (SELECT 1 FROM inventory_alert al
            WHERE al.item_id = p.item_id AND al.store_id = p.store_id
              AND al.status <> 'RESOLVED');
        RETURN NEXT;
    END LOOP;
END;
$$;
"""


# Raised by inventory_issue_posting when the stock is short; DETAIL is the available
# quantity. Nothing is written: the error rolls back the claim with the rest.
SHORT_SQLSTATE = "IV001"

ISSUE_POSTING = """
CREATE OR REPLACE FUNCTION inventory_issue_posting(
    p_kind text, p_key text, p_actor bigint, p_at timestamptz,
    p_item bigint, p_store bigint, p_quantity numeric, p_note text, p_audit jsonb
) RETURNS TABLE (
    out_tag text, out_id bigint, out_quantity numeric, out_available numeric,
    out_unresolved boolean, out_level numeric, lot_id bigint, qc_status text,
    expires_on date, received_at timestamptz, unit_cost numeric, lot_code text,
    supplier_id bigint, origin_lot_id bigint
) LANGUAGE plpgsql AS $$
-- Rows returned: 'replayed' (the first operation; nothing written) or 'operation'
-- (available stock after the issue, whether an alert is unresolved, the reorder
-- level), then one 'entry' per ledger row with its lot (the columns after lot_id in
-- inventory_open_posting's order), in drawing order.
DECLARE
    v_operation bigint;
    v_used boolean;
    v_available numeric;
    v_remaining numeric := p_quantity;
    v_take numeric;
    v_entries jsonb := '[]'::jsonb;
    r record;
BEGIN
        -- claim --
    IF v_used THEN
        out_tag := 'replayed'; out_id := v_operation;
        RETURN NEXT;
        RETURN;
    END IF;
    -- The same locks as inventory_open_posting: the stocked balances, in id order.
    PERFORM 1 FROM inventory_stockbalance b
        WHERE b.item_id = p_item AND b.store_id = p_store AND b.has_stock
        ORDER BY b.id FOR UPDATE;
    -- New statements, new snapshots: QC decisions committed while we waited count.
    SELECT coalesce(sum(b.on_hand - b.reserved), 0) INTO v_available
        FROM inventory_stockbalance b JOIN inventory_lot l ON l.id = b.lot_id
        WHERE b.item_id = p_item AND b.store_id = p_store AND b.has_stock
          AND l.qc_status = 'APPROVED';
    IF v_available < p_quantity THEN
        RAISE EXCEPTION 'not enough stock' USING ERRCODE = '$SHORT', DETAIL = v_available::text;
    END IF;
    out_tag := 'operation'; out_id := v_operation;
    out_available := v_available - p_quantity;
    out_unresolved := EXISTS (SELECT 1 FROM inventory_alert al
        WHERE al.item_id = p_item AND al.store_id = p_store AND al.status <> 'RESOLVED');
    SELECT i.reorder_level INTO out_level FROM inventory_item i WHERE i.id = p_item;
    RETURN NEXT;
    out_available := NULL; out_unresolved := NULL; out_level := NULL;
    -- posting.fefo_key: earliest expiry first (none last), then oldest receipt.
    FOR r IN SELECT b.id AS balance_id, b.on_hand - b.reserved AS available, l.*
        FROM inventory_stockbalance b JOIN inventory_lot l ON l.id = b.lot_id
        WHERE b.item_id = p_item AND b.store_id = p_store AND b.has_stock
          AND l.qc_status = 'APPROVED' AND b.on_hand > b.reserved
        ORDER BY l.expires_on IS NULL,
                 coalesce(l.expires_on, (l.received_at AT TIME ZONE 'UTC')::date),
                 l.received_at, l.id
    LOOP
        EXIT WHEN v_remaining <= 0;
        v_take := least(v_remaining, r.available);
        v_remaining := v_remaining - v_take;
        UPDATE inventory_stockbalance SET on_hand = on_hand - v_take WHERE id = r.balance_id;
        INSERT INTO inventory_ledgerentry (operation_id, kind, item_id, store_id, lot_id,
            quantity, on_hand_delta, reserved_delta, unit_cost, actor_id, created_at,
            po_line_id, so_line_id, reason, note, reverses_id)
        VALUES (v_operation, 'ISSUE', p_item, p_store, r.id, v_take, -v_take, 0,
            r.unit_cost, p_actor, p_at, NULL, NULL, '', p_note, NULL)
        RETURNING id INTO out_id;
        -- stock._entries_detail, quantities as text as audit._jsonable writes them
        v_entries := v_entries || jsonb_build_object('kind', 'ISSUE', 'lot', r.code,
            'store', p_store, 'quantity', v_take::text,
            'on_hand_delta', (-v_take)::text, 'reserved_delta', '0');
        out_tag := 'entry'; out_quantity := v_take;
        lot_id := r.id; qc_status := r.qc_status; expires_on := r.expires_on;
        received_at := r.received_at; unit_cost := r.unit_cost; lot_code := r.code;
        supplier_id := r.supplier_id; origin_lot_id := r.origin_lot_id;
        RETURN NEXT;
    END LOOP;
    INSERT INTO inventory_auditevent (actor_id, actor_username, action, object_type,
        object_id, object_repr, details, ip_address, user_agent, created_at)
    VALUES ((p_audit->>'actor_id')::integer, p_audit->>'actor_username',
        p_audit->>'action', p_audit->>'object_type', p_audit->>'object_id',
        p_audit->>'object_repr',
        p_audit->'details'
            || jsonb_build_object('entries', v_entries, 'operation', v_operation),
        (p_audit->>'ip_address')::inet, p_audit->>'user_agent', p_at);
END;
$$;
""".replace("$SHORT", SHORT_SQLSTATE)


def create_statements(vendor: str) -> list[str]:
    if vendor != "postgresql":
        return []
    return [
        _with_claim(OPEN_POSTING),
        _with_claim(WRITE_POSTING),
        _with_claim(ISSUE_POSTING),
        DROP_CLAIM_FUNCTION,
    ]


def drop_statements(vendor: str) -> list[str]:
    if vendor != "postgresql":
        return []
    return [
        "DROP FUNCTION IF EXISTS inventory_open_posting(text, text, bigint, timestamptz, "
        "bigint, bigint, bigint);",
        "DROP FUNCTION IF EXISTS inventory_write_posting(bigint, text, text, bigint, "
        "timestamptz, jsonb, jsonb, jsonb, jsonb);",
        "DROP FUNCTION IF EXISTS inventory_issue_posting(text, text, bigint, timestamptz, "
        "bigint, bigint, numeric, text, jsonb);",
        DROP_CLAIM_FUNCTION,
    ]


# Until migration 0006 the claim was a function of its own.
DROP_CLAIM_FUNCTION = (
    "DROP FUNCTION IF EXISTS inventory_claim_operation(text, text, bigint, timestamptz);"
)
