"""Email every active Manager a digest of what is below its reorder level (run from cron)."""

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandError

from inventory.models import Store
from inventory.quantities import fmt_amount
from inventory.selectors.stock import low_stock
from inventory.services.alerts import alerts_open_for_digest
from inventory.tasks import manager_emails


def digest_body(rows) -> str:
    """Return the plain-text digest, one line per (item, store) below its reorder level."""
    lines = [f"{len(rows)} item/store line(s) are below their reorder level:", ""]
    for row in rows:
        unit = row["item__unit"]
        lines.append(
            f"- {row['item__sku']} {row['item__name']} at {row['store__name']}: "
            f"available {fmt_amount(row['available'], unit)}, "
            f"reorder level {fmt_amount(row['item__reorder_level'], unit)}, "
            f"short {fmt_amount(row['shortfall'], unit)}"
        )
    return "\n".join(lines) + "\n"


class Command(BaseCommand):
    help = (
        "Email every active Manager a digest of items below their reorder level, per store. "
        "Sends nothing when nothing is low. Meant for cron, e.g. every morning."
    )

    def add_arguments(self, parser):
        parser.add_argument("--store", help="Only this store (its code).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Print the digest instead of emailing it."
        )

    def handle(self, *args, store=None, dry_run=False, **options):
        store_obj = None
        if store:
            store_obj = Store.objects.filter(code__iexact=store).first()
            if store_obj is None:
                raise CommandError(f"No store with code {store!r}.")
        rows = low_stock(store=store_obj)
        if not dry_run:
            # Stock can go low without a movement (a lot expired overnight): open those
            # pairs' alerts too, e-mailed by this digest rather than one by one.
            opened = alerts_open_for_digest({(row["item_id"], row["store_id"]) for row in rows})
            if opened:
                self.stdout.write(f"low_stock_report: opened {len(opened)} alert(s).")
        if not rows:
            self.stdout.write("low_stock_report: 0 lines below reorder level; no email sent.")
            return
        body = digest_body(rows)
        if dry_run:
            self.stdout.write(body)
            self.stdout.write(f"low_stock_report: {len(rows)} lines below reorder level (dry run).")
            return
        recipients = manager_emails()
        if recipients:
            send_mail(
                f"{settings.LOW_STOCK_EMAIL_SUBJECT_PREFIX}Low-stock digest: {len(rows)} lines",
                body,
                settings.DEFAULT_FROM_EMAIL,
                recipients,
            )
        self.stdout.write(
            f"low_stock_report: {len(rows)} lines below reorder level; "
            f"emailed {len(recipients)} manager(s)."
        )
