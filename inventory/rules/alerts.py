"""Low-stock alerts: when one must be open, and what a document changes."""

from decimal import Decimal


def is_low(available: Decimal, level: Decimal, *, active: bool = True) -> bool:
    """Below the item's reorder level (an item without one is never low), for an item
    and a store both active (`active`): neither is restocked once deactivated. The same
    rule in SQL: selectors.stock.LOW_CANDIDATES and BELOW_LEVEL."""
    return active and level > 0 and available < level


def alert_actions(available: dict, levels: dict, *, include_unlevelled: bool = False) -> list:
    """Return, per (item_id, store_id), whether a low-stock alert must be open.

    Below the reorder level an alert must be open; at or above it, any alert is
    resolved. Items without a reorder level are skipped, unless a level was just
    removed (include_unlevelled) and old alerts must be resolved.
    """
    actions = []
    for (item_id, store_id), now_available in available.items():
        level = levels[item_id]
        if level <= 0 and not include_unlevelled:
            continue
        action = {"item_id": item_id, "store_id": store_id, "available": now_available}
        actions.append({**action, "level": level, "open": is_low(now_available, level)})
    return actions


def alert_changes(available: dict, unresolved: set, levels: dict, lowered: set) -> list:
    """The actions of alert_actions() that change something after a document. An alert
    opens only where the document lowered what is available (`lowered`): stock arriving
    in a store still short of its level is no news (one alert per drop)."""
    changes = []
    for action in alert_actions(available, levels):
        pair = (action["item_id"], action["store_id"])
        if action["open"] == (pair in unresolved):
            continue
        if action["open"] and pair not in lowered:
            continue
        changes.append(action)
    return changes
