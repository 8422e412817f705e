"""The API joins the race proof: concurrent quick sales of 1 unit against half as many units.

Two forms:
- through the real stack (api/race.py: gunicorn -w 4 on PostgreSQL, 100 clients, 50 units),
  PostgreSQL only, like inventory/tests/test_stack_race.py;
- in-process against pytest's threaded live server, on either database: 100 clients and
  50 units on PostgreSQL, 20 and 10 on SQLite (whose writers queue one at a time).
"""

import os
import re
import subprocess
import sys
import threading
import time
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection

from api.bench_scenario import api_quick_sale
from api.services import api_token_create
from inventory.management.commands.verify_ledger import ledger_drift
from inventory.models import LedgerEntry, SalesOrder
from inventory.selectors.stock import stock_totals_for_item
from inventory.services.stock import stock_receive
from inventory.tests.factories import ItemFactory, StoreFactory, UserFactory

REPO = Path(__file__).resolve().parents[2]
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


def figure(output: str, label: str) -> str:
    match = re.search(rf"^{re.escape(label)}: (\S+)", output, re.MULTILINE)
    assert match, f"{label!r} not printed:\n{output}"
    return match.group(1)


@pytest.mark.pg
@pytest.mark.skipif(
    not ON_POSTGRES, reason="api.race needs PostgreSQL and gunicorn: run it on PostgreSQL"
)
def test_a_hundred_api_clients_race_for_fifty_units_through_gunicorn():
    # given 50 units and 100 Staff API clients released together
    done = subprocess.run(
        [sys.executable, "-m", "api.race", "--sessions", "100", "--stock", "50"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=420,
    )
    output = done.stdout + done.stderr

    # then exactly half are sold, the other half get a problem response, nothing drifts
    assert done.returncode == 0, output
    assert figure(output, "requests") == "100", output
    assert figure(output, "successes") == "50", output
    assert figure(output, "clean refusals") == "50", output
    assert figure(output, "5xx") == "0", output
    assert figure(output, "other") == "0", output
    assert figure(output, "available after") == "0.000", output
    assert figure(output, "sales recorded") == "50", output
    assert "RESULT: PASS" in output


@pytest.mark.django_db(transaction=True)
def test_concurrent_api_quick_sales_sell_exactly_what_is_available(live_server):
    clients, stock = (100, 50) if connection.vendor == "postgresql" else (20, 10)
    # given `stock` units and one Staff token per client
    manager = UserFactory(role="Manager", username="race-manager")
    item, store = ItemFactory(sku="RACE-API"), StoreFactory(code="RACE")
    stock_receive(actor=manager, item=item, store=store, quantity=stock)
    tokens = [
        api_token_create(actor=UserFactory(role="Staff", username=f"race-{n:03d}"), name="t").raw
        for n in range(clients)
    ]
    barrier = threading.Barrier(clients)
    answers = [None] * clients

    retried = []

    def sell(index):
        key = uuid.uuid4().hex
        barrier.wait(timeout=60)
        for attempt in range(5):
            try:
                answers[index] = api_quick_sale(
                    live_server.url,
                    tokens[index],
                    store_id=store.pk,
                    item_id=item.pk,
                    key=key,
                    timeout=120,
                )
                return
            except OSError as exc:
                # The test server's listen backlog is small (socketserver's 5): a refused
                # connection is retried with the same key, as a till would, safely.
                answers[index] = exc
                retried.append(repr(exc))
                time.sleep(0.2 * (attempt + 1))

    # when every client sells 1 unit at the same moment
    threads = [threading.Thread(target=sell, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)

    # then exactly `stock` succeed, the rest get a shortage problem, and there is no 5xx
    statuses = [a[0] if isinstance(a, tuple) else repr(a) for a in answers]
    assert statuses.count(201) == stock, statuses
    refusals = [a for a in answers if isinstance(a, tuple) and a[0] == 409]
    assert len(refusals) == clients - stock, statuses
    assert all(r[1]["content-type"] == "application/problem+json" for r in refusals)
    assert all(r[2]["requested"] == "1.000" and r[2]["item"]["id"] == item.pk for r in refusals)
    assert not [s for s in statuses if not isinstance(s, int) or s >= 500]
    totals = stock_totals_for_item(item=item, store=store)
    assert (totals["on_hand"], totals["available"]) == (Decimal("0"), Decimal("0"))
    assert SalesOrder.objects.filter(status="SHIPPED").count() == stock
    assert SalesOrder.objects.count() == stock
    assert LedgerEntry.objects.filter(kind="ISSUE").count() == stock
    assert ledger_drift() == []
