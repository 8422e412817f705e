"""Many rows (a thousand with IMPORT_ROWS=1000) import through the page in one go; the
time is printed (run with -s), not asserted: the figure for the README comes from here."""

import os
import time

import pytest
from django.db import connection

from inventory.models import AuditEvent, Item
from inventory.tests.factories import CategoryFactory, SupplierFactory
from inventory.tests.views.item_import_helpers import HEADER, upload

pytestmark = pytest.mark.django_db

# 200 in the suite; IMPORT_ROWS=1000 for the figure in the README.
ROWS = int(os.environ.get("IMPORT_ROWS", 200))


def test_many_rows_import_in_one_request(manager_client):
    # given
    CategoryFactory(name="Tools")
    SupplierFactory(name="Acme")
    rows = [
        f"BULK-{n:04d},Item {n},tools,pcs,1.{n % 100:02d},2.50,{n % 7},{400000 + n},,Acme,no"
        for n in range(ROWS)
    ]
    text = "\n".join([HEADER, *rows])
    # when
    started = time.perf_counter()
    response = upload(manager_client, text)
    elapsed = time.perf_counter() - started
    # then
    assert response.status_code == 302
    assert Item.objects.count() == ROWS
    assert AuditEvent.objects.filter(action="item.create").count() == ROWS
    assert str(Item.objects.get(sku="BULK-0042").unit_cost) == "1.42"
    print(f"\n{ROWS} rows imported in {elapsed:.2f} s on {connection.vendor}")
