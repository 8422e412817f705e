"""Load demo data once: users for each role, catalogue, stock, orders. Safe to re-run."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from inventory.demo import catalog_stock
from inventory.models import Store

DEMO_USERS = [
    ("admin", "admin-demo-2026", "Admin"),
    ("manager", "manager-demo-2026", "Manager"),
    ("staff", "staff-demo-2026", "Staff"),
]


class Command(BaseCommand):
    help = "Create demo users, catalogue, stock movements and orders (only on an empty database)."

    def handle(self, *args, **options):
        if Store.objects.exists():
            self.stdout.write("seed_demo: data already present, nothing added.")
        else:
            # The demo's low-stock alerts go to an in-memory outbox, not the console.
            with (
                override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
                transaction.atomic(),
            ):
                users = catalog_stock.create_users(DEMO_USERS)
                context = catalog_stock.seed(users)
                for module in _order_modules():
                    module.seed(users, context)
            self.stdout.write(self.style.SUCCESS("seed_demo: demo data loaded."))
        self.stdout.write("Demo users (username / password / role):")
        for username, password, role in DEMO_USERS:
            self.stdout.write(f"  {username:8} / {password:18} / {role}")


def _order_modules():
    """Purchasing, sales and past-weeks demo data, where those parts exist."""
    import importlib

    modules = []
    for name in ("history", "purchasing", "sales"):
        try:
            modules.append(importlib.import_module(f"inventory.demo.{name}"))
        except ModuleNotFoundError:
            continue
    return modules
