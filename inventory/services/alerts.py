"""Low-stock alerts: opened once per crossing below the reorder level, emailed after commit."""

from django.db import IntegrityError, transaction
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from inventory.exceptions import InvalidTransition
from inventory.models import Alert, Item, Store
from inventory.rules import alert_actions, is_low

from .actor import as_actor
from .audit import audit_record


def alerts_refresh(
    *, pairs, actor=None, levels=None, include_unlevelled=False, may_open=True, announce=True
) -> list[Alert]:
    """Apply the alert rule to each (item, store) from its current available stock.

    Return the alerts opened. `may_open=False` only resolves: after a change that can
    only raise what is available (a QC approval), an alert would report no drop.
    `levels` ({item_id: reorder_level}) spares a query when the caller has the items.
    `announce=False` e-mails no one (the caller reports the alerts itself).
    Stock postings that locked every balance of the pair already know the figure and
    pass their actions to the posting write instead.
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
    if not may_open:
        actions = [action for action in actions if not action["open"]]
    return apply_alert_actions(actions, announce=announce)


def alerts_open_for_digest(pairs) -> list[Alert]:
    """Open the alerts of (item_id, store_id) pairs gone low without a movement (a lot
    expired overnight, which no posting saw), e-mailing no one: the low-stock digest that
    calls this reports them. Return the alerts opened."""
    with transaction.atomic():
        return alerts_refresh(pairs=pairs, announce=False)


def apply_alert_actions(actions, *, announce=True) -> list[Alert]:
    """Open or resolve alerts as `actions` say; e-mail the opened ones after commit."""
    if not actions:
        return []
    unresolved = {
        (a.item_id, a.store_id): a
        for a in unresolved_alerts({(a["item_id"], a["store_id"]) for a in actions})
    }
    opened = []
    inactive = _inactive_pairs(
        {(a["item_id"], a["store_id"]) for a in actions if a["open"]} - unresolved.keys()
    )
    for action in actions:
        pair = (action["item_id"], action["store_id"])
        alert = unresolved.get(pair)
        if action["open"] and alert is None:
            # Asked again with whether the item and store are active, which is read only
            # for the alerts about to open: a deactivated one is never low.
            if not is_low(action["available"], action["level"], active=pair not in inactive):
                continue
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
    if announce:
        announce_alerts([alert.pk for alert in opened])
    return opened


def _inactive_pairs(pairs) -> set:
    """Those of the (item_id, store_id) pairs whose item or store is deactivated (one
    query, and none when there is nothing to open)."""
    if not pairs:
        return set()
    active_items = set(
        Item.objects.filter(pk__in={i for i, _ in pairs}, is_active=True).values_list(
            "pk", flat=True
        )
    )
    active_stores = set(
        Store.objects.filter(pk__in={s for _, s in pairs}, is_active=True).values_list(
            "pk", flat=True
        )
    )
    return {(i, s) for i, s in pairs if i not in active_items or s not in active_stores}


def alerts_resolve_deactivated(obj) -> None:
    """Resolve the alerts of an item or store just deactivated: it is never low again."""
    field = "item" if isinstance(obj, Item) else "store"
    Alert.objects.filter(~Q(status=Alert.Status.RESOLVED), **{field: obj}).update(
        status=Alert.Status.RESOLVED, closed_at=Coalesce("closed_at", Value(timezone.now()))
    )


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
    """Close an open alert for people; it resolves for good when stock recovers.

    Only an OPEN alert, as the database has it at the update (not as the caller read
    it): one acknowledged or resolved meanwhile is refused, with nothing changed.
    """
    actor = as_actor(actor)
    with transaction.atomic():
        updated = Alert.objects.filter(pk=alert.pk, status=Alert.Status.OPEN).update(
            status=Alert.Status.ACKNOWLEDGED, closed_at=timezone.now(), closed_by=actor.user
        )
        alert.refresh_from_db()
        if not updated:
            raise InvalidTransition(
                f"The alert for {alert.item.sku} at {alert.store.name}",
                alert.status,
                Alert.Status.ACKNOWLEDGED,
            )
        audit_record(
            actor=actor,
            action="alert.acknowledge",
            obj=alert,
            details={"item": alert.item.sku, "store": alert.store.code},
        )
    return alert
