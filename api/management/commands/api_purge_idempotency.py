"""Delete stored Idempotency-Key responses older than API_IDEMPOTENCY_DAYS (default 7).

Run it daily (cron, a scheduled task). A retry later than that is answered by the
service's own operation key instead: still one movement, marked replayed.
"""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from api.models import IdempotentRequest


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=settings.API_IDEMPOTENCY_DAYS)

    def handle(self, *args, days, **options):
        cutoff = timezone.now() - timedelta(days=days)
        deleted, _ = IdempotentRequest.objects.filter(created_at__lt=cutoff).delete()
        self.stdout.write(f"Deleted {deleted} stored responses older than {days} days.")
