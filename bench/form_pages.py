"""CPU of the stock form pages with a large catalogue, in process.

    .venv/bin/python -m bench.form_pages [--items 1000] [--parties 1] [--runs 200]
        [--pages-only] [--party-pages]
    scripts/pg-tmp.sh .venv/bin/python -m bench.form_pages   (PostgreSQL: Python CPU only)

Creates a throwaway database (a temporary SQLite file, or a fresh database on the
server of DATABASE_URL when it is PostgreSQL), migrates, adds --items active items
(each with a lot in stock) and times GET of the form pages through
django.test.Client, logged in as a manager, with DEBUG=0: --runs requests per page
after 5 warm-up ones, CPU by time.process_time() around each. Prints the median
per page, of the picker endpoints as picker.js calls them, and, for scale, of
GET /login/ (anonymous). On SQLite the database work is in
this process too, so the CPU is the whole cost of the request.
"""

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import time
import urllib.parse
import warnings

PAGES = [
    "/sales/quick/",
    "/purchases/new/",
    "/sales/new/",
    "/purchases/order/new/",
    "/transfers/new/",
    "/adjustments/new/",
]
# Pages that once listed every supplier or customer: the list filters and the item form.
PARTY_PAGES = ["/purchases/", "/sales/", "/items/new/"]


def _setup(database_url: str) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "inventory_system.settings",
            "DATABASE_URL": database_url,
            "DEBUG": "0",
            "HTTPS": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "testserver",
            "EMAIL_URL": "dummymail://",
            "TASKS_BACKEND": "immediate",
        }
    )
    import django

    django.setup()
    from django.conf import settings

    # No collectstatic for an in-process run: plain static URLs instead of the manifest's
    # hashed names (a dictionary lookup per asset either way).
    settings.STORAGES["staticfiles"]["BACKEND"] = (
        "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _seed(items: int, parties: int = 1):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from inventory.models import Category, Customer, Item, Store, Supplier
    from inventory.services.stock import stock_receive

    user = get_user_model().objects.create_user("bench-manager", password="x")
    user.groups.add(Group.objects.get(name="Manager"))
    store = Store.objects.create(code="MAIN", name="Main Store")
    Store.objects.create(code="WH", name="Warehouse")
    Supplier.objects.bulk_create(Supplier(name=f"Supplier {n}") for n in range(parties))
    Customer.objects.bulk_create(Customer(name=f"Customer {n}") for n in range(parties))
    category = Category.objects.create(name="General")
    Item.objects.bulk_create(
        Item(
            sku=f"BENCH-{n:05d}",
            name=f"Bench item {n}",
            category=category,
            unit_cost=1,
            unit_price=2,
            reorder_level=0,
        )
        for n in range(items)
    )
    for item in Item.objects.all()[:50]:  # some lots, so the lot pickers have something
        for code in ("L1", "L2", "L3"):
            stock_receive(actor=user, item=item, store=store, quantity=5, lot_code=code)
    first = Item.objects.order_by("sku").first()
    # What picker.js asks as one types: part of a SKU, part of a name, an item's lots.
    options = [
        f"/pickers/items/?q=bench-001&store={store.pk}",
        f"/pickers/items/?q=item+12&store={store.pk}",
        f"/pickers/lots/?item={first.pk}&store={store.pk}",
    ]
    return user, options


def _time(client, url: str, runs: int) -> tuple[float, int]:
    for _ in range(5):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    samples = []
    for _ in range(runs):
        start = time.process_time()
        response = client.get(url)
        samples.append(time.process_time() - start)
    return statistics.median(samples) * 1000, len(response.content)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument(
        "--parties", type=int, default=1, help="suppliers and customers each (default 1)"
    )
    parser.add_argument(
        "--pages-only",
        action="store_true",
        help="skip the picker endpoints (to time code from before they existed)",
    )
    parser.add_argument(
        "--party-pages",
        action="store_true",
        help=f"time {', '.join(PARTY_PAGES)} too (pages that once listed every party)",
    )
    args = parser.parse_args(argv)

    url = os.environ.get("DATABASE_URL", "")
    scheme = urllib.parse.urlsplit(url).scheme
    cleanup = None
    if scheme.startswith("postgres"):
        import psycopg

        name = f"bench_forms_{os.getpid()}"
        admin = urllib.parse.urlsplit(url)._replace(path="/postgres").geturl()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        database_url = urllib.parse.urlsplit(url)._replace(path=f"/{name}").geturl()

        def cleanup():
            from django.db import connections

            connections.close_all()
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        handle, path = tempfile.mkstemp(suffix=".sqlite3")
        os.close(handle)
        database_url = f"sqlite:///{path}"

        def cleanup():
            os.unlink(path)

    # whitenoise warns that collectstatic has not run; nothing is served from it here.
    warnings.filterwarnings("ignore", message="No directory at")
    try:
        _setup(database_url)
        from django.test import Client

        user, options = _seed(args.items, args.parties)
        anonymous, client = Client(), Client()
        client.force_login(user)
        engine = "PostgreSQL" if scheme.startswith("postgres") else "SQLite"
        print(
            f"{engine}, {args.items} items, {args.parties} suppliers and customers each, "
            f"median CPU of {args.runs} GETs (process_time)"
        )
        login_ms, _ = _time(anonymous, "/login/", args.runs)
        print(f"{'/login/':44} {login_ms:7.2f} ms")
        pages = PAGES + (PARTY_PAGES if args.party_pages else [])
        for page in pages + ([] if args.pages_only else options):
            ms, size = _time(client, page, args.runs)
            print(f"{page:44} {ms:7.2f} ms  {size / 1024:7.1f} KiB  {ms / login_ms:5.1f}x login")
    finally:
        cleanup()


if __name__ == "__main__":
    sys.exit(main())
