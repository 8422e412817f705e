"""Stock rules: pure decisions on rows the services have already read and locked.

Nothing here touches the database, so each rule is written once and runs the same
on SQLite and PostgreSQL. The services (inventory/services/) validate, lock, call
these rules and write what they decide. One submodule per concern; every public name
is re-exported here, so `rules.x` and `from inventory.rules import X` work as before.
"""

from .adjustments import (
    NEGATIVE_REASONS,
    POSITIVE_REASONS,
)
from .alerts import (
    alert_actions,
    alert_changes,
    is_low,
)
from .counts import (
    newest_key,
    on_shelf,
    spread_count,
)
from .drawing import (
    draw,
    draw_available,
    draw_lines_available,
    draw_release,
    draw_reserved,
    rehome_reservations,
    replace_stale,
    set_aside,
)
from .lots import (
    QC_ASIDE,
    available,
    check_decision_shown,
    check_lot_of_item,
    check_movable,
    check_not_changed,
    fefo_key,
    free,
    is_expired,
    is_past,
    is_sellable,
    new_lot_status,
    return_held,
    sellable_balances,
)
from .quantities import (
    ALL,
    CENT,
    MAX_QUANTITY,
    QTY_STEP,
    UNIT_DECIMALS,
    ZERO,
    check_capacity,
    clean_quantity,
)

__all__ = [
    "ALL",
    "CENT",
    "MAX_QUANTITY",
    "NEGATIVE_REASONS",
    "POSITIVE_REASONS",
    "QC_ASIDE",
    "QTY_STEP",
    "UNIT_DECIMALS",
    "ZERO",
    "alert_actions",
    "alert_changes",
    "available",
    "check_capacity",
    "check_decision_shown",
    "check_lot_of_item",
    "check_movable",
    "check_not_changed",
    "clean_quantity",
    "draw",
    "draw_available",
    "draw_lines_available",
    "draw_release",
    "draw_reserved",
    "fefo_key",
    "free",
    "is_expired",
    "is_low",
    "is_past",
    "is_sellable",
    "new_lot_status",
    "newest_key",
    "on_shelf",
    "rehome_reservations",
    "replace_stale",
    "return_held",
    "sellable_balances",
    "set_aside",
    "spread_count",
]
