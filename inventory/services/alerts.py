"""Low-stock alerts: opened once per crossing below the reorder level, emailed after commit."""

from django.db import IntegrityError, transaction
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from inventory.models import Alert, Item

from .actor import as_actor
from .audit import audit_record


def alerts_refresh(*, pairs, actor=None, levels=None, include_unlevelled=False) -> list[Alert]:
    """Open an alert for each (item, store) now below its reorder level that has none
    unresolved, and resolve those that have recovered. Return the alerts opened.

    `levels` ({item_id: reorder_level}) spares a query when the caller has the items.
    Items without a reorder level can never be low, so postings skip them (no query);
    item_update passes include_unlevelled=True when a level changes, to resolve
    alerts left open under the old level.
    """
    from inventory.selectors.stock import stock_available_by_pair

    pairs = set(pairs)
    if not pairs:
        return []
    levels = dict(levels or {})
    missing = {i for i, _ in pairs} - set(levels)
    if missing:
        levels.update(Item.objects.filter(pk__in=missing).values_list("pk", "reorder_level"))
    if not include_unlevelled:
        pairs = {pair for pair in pairs if levels[pair[0]] > 0}
        if not pairs:
            return []
    available = stock_available_by_pair(pairs=pairs)
    unresolved = {
        (a.item_id, a.store_id): a
        for a in Alert.objects.filter(
            ~Q(status=Alert.Status.RESOLVED),
            item_id__in={i for i, _ in pairs},
            store_id__in={s for _, s in pairs},
        )
    }
    opened = []
    for pair in pairs:
        level, now_available = levels[pair[0]], available[pair]
        alert = unresolved.get(pair)
        if now_available < level and alert is None:
            try:
                with transaction.atomic():
                    alert = Alert.objects.create(
                        item_id=pair[0],
                        store_id=pair[1],
                        available_at_open=now_available,
                        reorder_level=level,
                    )
            except IntegrityError:
                continue  # a concurrent posting opened it first
            opened.append(alert)
            transaction.on_commit(lambda pk=alert.pk: _enqueue_email(pk))
        elif now_available >= level and alert is not None:
            # An acknowledged alert keeps when and by whom it was acknowledged.
            Alert.objects.filter(pk=alert.pk).update(
                status=Alert.Status.RESOLVED,
                closed_at=Coalesce("closed_at", Value(timezone.now())),
            )
    return opened


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
