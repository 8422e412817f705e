"""Low-stock alerts: opened once per crossing below the reorder level, emailed after commit."""

from django.db import IntegrityError, transaction
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from inventory.models import Alert, Item

from .actor import as_actor
from .audit import audit_record


def alert_actions(available: dict, levels: dict, *, include_unlevelled: bool = False) -> list:
    """The alert rule. Return, per (item, store), whether an alert must be open.

    Below the reorder level an alert must be open (at most one unresolved per item
    and store, which a unique index keeps); at or above it, any alert is resolved.
    Items without a reorder level can never be low, so they are skipped, unless a
    level was just removed (include_unlevelled) and old alerts must be resolved.
    """
    actions = []
    for (item_id, store_id), now_available in available.items():
        level = levels[item_id]
        if level <= 0 and not include_unlevelled:
            continue
        actions.append(
            {
                "item_id": item_id,
                "store_id": store_id,
                "open": now_available < level,
                "available": now_available,
                "level": level,
            }
        )
    return actions


def alert_changes(available: dict, unresolved: set, levels: dict) -> list:
    """The actions of alert_actions() that change something: open where an alert
    must be open and none is unresolved, resolve where none must be and one is."""
    return [
        action
        for action in alert_actions(available, levels)
        if action["open"] != ((action["item_id"], action["store_id"]) in unresolved)
    ]


def alerts_refresh(*, pairs, actor=None, levels=None, include_unlevelled=False) -> list[Alert]:
    """Apply the alert rule to each (item, store) from its current available stock.

    Return the alerts opened. `levels` ({item_id: reorder_level}) spares a query when
    the caller has the items. Stock postings that locked every balance of the pair
    already know the figure and pass their actions to the posting write instead.
    """
    from inventory.selectors.stock import stock_available_by_pair

    pairs = set(pairs)
    if not pairs:
        return []
    levels = dict(levels or {})
    fill_reorder_levels(levels, {i for i, _ in pairs})
    if not include_unlevelled:
        pairs = {pair for pair in pairs if levels[pair[0]] > 0}
        if not pairs:
            return []
    available = stock_available_by_pair(pairs=pairs)
    actions = alert_actions(available, levels, include_unlevelled=include_unlevelled)
    return apply_alert_actions(actions)


def apply_alert_actions(actions) -> list[Alert]:
    """Open or resolve alerts as `actions` say; e-mail the opened ones after commit."""
    if not actions:
        return []
    unresolved = {
        (a.item_id, a.store_id): a
        for a in unresolved_alerts({(a["item_id"], a["store_id"]) for a in actions})
    }
    opened = []
    for action in actions:
        alert = unresolved.get((action["item_id"], action["store_id"]))
        if action["open"] and alert is None:
            try:
                with transaction.atomic():
                    alert = Alert.objects.create(
                        item_id=action["item_id"],
                        store_id=action["store_id"],
                        available_at_open=action["available"],
                        reorder_level=action["level"],
                    )
            except IntegrityError:
                continue  # a concurrent posting opened it first
            opened.append(alert)
        elif not action["open"] and alert is not None:
            # An acknowledged alert keeps when and by whom it was acknowledged.
            Alert.objects.filter(pk=alert.pk).update(
                status=Alert.Status.RESOLVED,
                closed_at=Coalesce("closed_at", Value(timezone.now())),
            )
    announce_alerts([alert.pk for alert in opened])
    return opened


def unresolved_alerts(pairs):
    """The open or acknowledged alerts of these (item_id, store_id) pairs."""
    return [
        alert
        for alert in Alert.objects.filter(
            ~Q(status=Alert.Status.RESOLVED),
            item_id__in={i for i, _ in pairs},
            store_id__in={s for _, s in pairs},
        )
        if (alert.item_id, alert.store_id) in pairs
    ]


def fill_reorder_levels(levels: dict, item_ids) -> None:
    """Add to `levels` ({item_id: reorder level}) the items it does not have yet."""
    missing = set(item_ids) - levels.keys()
    if missing:
        levels.update(Item.objects.filter(pk__in=missing).values_list("pk", "reorder_level"))


def announce_alerts(alert_pks) -> None:
    """E-mail the managers about newly opened alerts once the transaction commits."""
    for pk in alert_pks:
        transaction.on_commit(lambda pk=pk: _enqueue_email(pk))


def _enqueue_email(alert_pk: int) -> None:
    from inventory.tasks import send_low_stock_alert

    send_low_stock_alert.enqueue(alert_pk)


def alert_acknowledge(*, actor, alert: Alert) -> Alert:
    """Close an open alert for people; it resolves for good when stock recovers."""
    actor = as_actor(actor)
    with transaction.atomic():
        updated = Alert.objects.filter(pk=alert.pk, status=Alert.Status.OPEN).update(
            status=Alert.Status.ACKNOWLEDGED, closed_at=timezone.now(), closed_by=actor.user
        )
        if updated:
            audit_record(
                actor=actor,
                action="alert.acknowledge",
                obj=alert,
                details={"item": alert.item.sku, "store": alert.store.code},
            )
        alert.refresh_from_db()
    return alert
