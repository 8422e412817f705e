"""Movements: the streamed CSV export of the filtered rows, read in chunks."""

import csv
import io
from unittest import mock

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext

from inventory.models import LedgerEntry
from inventory.services.purchasing import (
    purchase_order_create,
    purchase_order_place,
    purchase_order_receive,
)
from inventory.services.sales import sales_order_confirm, sales_order_create, sales_order_ship
from inventory.services.sales_shipping import sales_order_return
from inventory.services.stock import ledger_entry_reverse, stock_adjust
from inventory.tests.factories import ItemFactory
from inventory.tests.views.ledger_view_helpers import (
    EXPORT,
    HEADER,
    receive,
)

pytestmark = pytest.mark.django_db


# --- CSV export -------------------------------------------------------------------


def export_rows(response):
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode()
    return text.splitlines()


def test_export_streams_the_filtered_rows(manager_client, history, store):
    first, _, third = history["entries"]

    response = manager_client.get(EXPORT, {"store": store.pk})

    assert response["Content-Disposition"].startswith('attachment; filename="movements-')
    lines = export_rows(response)
    assert lines[0] == HEADER
    assert list(csv.reader(io.StringIO("\n".join(lines[1:])))) == [
        [
            str(third.pk),
            "2026-03-02T14:00:00+00:00",
            "ADJUST",
            "SKU-0042",
            "Blue widget",
            "MAIN",
            "A",
            "2.000",
            "-2.000",
            "0.000",
            "2.50",
            "DAMAGE",
            "'=cmd|' /C calc'!A0",
            "manager1",
            "",
            str(third.operation_id),
            "",
            "",
        ],
        [
            str(first.pk),
            "2026-03-01T09:30:00+00:00",
            "RECEIVE",
            "SKU-0042",
            "Blue widget",
            "MAIN",
            "A",
            "10.000",
            "10.000",
            "0.000",
            "2.50",
            "",
            "",
            "manager1",
            "",
            str(first.operation_id),
            "",
            "",
        ],
    ]


def test_export_with_invalid_filters_answers_400_with_the_list_and_its_errors(
    manager_client, history
):
    response = manager_client.get(EXPORT, {"date_from": "nonsense"})

    assert response.status_code == 400
    assert list(response.context["page"]) == []
    assert response.context["filter"].form.errors == {
        "date_from": ["Enter a valid date as YYYY-MM-DD, e.g. 2026-12-31."]
    }


def test_export_of_nothing_is_the_header(manager_client, history):
    lines = export_rows(manager_client.get(EXPORT, {"kind": "RETURN"}))

    assert lines == [HEADER]


def test_export_reads_the_rows_in_chunks(manager_client, manager_user, store):
    # given
    for n in range(5):
        receive(manager_user, ItemFactory(), store, 1, f"L{n}")
    chunks = []
    original = QuerySet.iterator

    def spy(self, chunk_size=None):
        chunks.append(chunk_size)
        return original(self, chunk_size=chunk_size)

    # when
    with mock.patch.object(QuerySet, "iterator", spy):
        response = manager_client.get(EXPORT)
        lines = export_rows(response)

    # then the rows come from an iterator over 2,000-row chunks, newest first
    assert chunks == [2000]
    assert [line.split(",")[0] for line in lines[1:]] == [
        str(pk)
        for pk in LedgerEntry.objects.order_by("-created_at", "-pk").values_list("pk", flat=True)
    ]


# --- the document and the money of each movement ------------------------------------


def bought(user, supplier, store, lines):
    """Place and receive in full a purchase order of [(item, quantity, unit_cost)]."""
    order = purchase_order_create(actor=user, supplier=supplier, store=store, lines=lines)
    purchase_order_place(actor=user, order=order)
    receipts = [{"line": line, "quantity": line.quantity_ordered} for line in order.lines.all()]
    purchase_order_receive(actor=user, order=order, receipts=receipts)
    return order


def sold(user, store, item, quantity, unit_price):
    """Confirm and ship in full a sales order of one line."""
    order = sales_order_create(
        actor=user, store=store, customer=None, lines=[(item, quantity, unit_price)]
    )
    sales_order_confirm(actor=user, order=order, idempotency_key=None)
    line = order.lines.get()
    sales_order_ship(actor=user, order=order, shipments={line: quantity}, idempotency_key=None)
    return order


def documents(response):
    """(kind, reverses, unit_cost, order, unit_price) of each exported row, newest first."""
    header, *rows = csv.reader(io.StringIO(b"".join(response.streaming_content).decode()))
    at = {name: header.index(name) for name in header}
    names = ("kind", "reverses", "unit_cost", "order", "unit_price")
    return [tuple(row[at[name]] for name in names) for row in rows]


def test_export_names_each_movement_s_order_and_its_price_or_cost(
    manager_client, manager_user, supplier, store, item
):
    # given a purchase received, one of its receipts reversed, a sale shipped and partly
    # returned, and an adjustment
    widget = ItemFactory(sku="W-1")
    po = bought(manager_user, supplier, store, [(item, "10", "2.35"), (widget, "3", "1.10")])
    widget_receipt = LedgerEntry.objects.get(item=widget)
    ledger_entry_reverse(actor=manager_user, entry=widget_receipt)
    so = sold(manager_user, store, item, "4", "7.90")
    sales_order_return(actor=manager_user, line=so.lines.get(), quantity="1", idempotency_key=None)
    lot = LedgerEntry.objects.get(item=item, kind="RECEIVE").lot
    stock_adjust(actor=manager_user, lot=lot, store=store, quantity=-1, reason="DAMAGE")

    # when
    rows = documents(manager_client.get(EXPORT))

    # then each row names its order as the movement page does; a sale's shipment and
    # return carry the line's price, every row the lot's cost (a receipt's is its line's)
    po_number, so_number = f"PO-{po.pk:06d}", f"SO-{so.pk:06d}"
    assert rows == [
        ("ADJUST", "", "2.35", "", ""),
        ("RETURN", "", "2.35", so_number, "7.90"),
        ("ISSUE", "", "2.35", so_number, "7.90"),
        ("RESERVE", "", "2.35", so_number, ""),
        ("RECEIVE", str(widget_receipt.pk), "1.10", po_number, ""),
        ("RECEIVE", "", "1.10", po_number, ""),
        ("RECEIVE", "", "2.35", po_number, ""),
    ]


def export_queries(client) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(EXPORT)
        body = b"".join(response.streaming_content)
    assert response.status_code == 200
    assert body.count(b"\n") == 1 + LedgerEntry.objects.count()
    return [q["sql"] for q in queries]


def test_export_queries_do_not_grow_with_rows_or_documents(
    manager_client, manager_user, supplier, store, item
):
    # given one purchase and one sale
    bought(manager_user, supplier, store, [(item, "100", "2.00")])
    sold(manager_user, store, item, "1", "5.00")
    few = export_queries(manager_client)

    # when ten times as many orders and movements are exported
    for _ in range(10):
        bought(manager_user, supplier, store, [(ItemFactory(), "5", "1.00")])
        sold(manager_user, store, item, "1", "5.00")
    many = export_queries(manager_client)

    # then the export reads them in as many queries, one of them for the rows and their
    # orders (the lines joined, no query per row)
    assert LedgerEntry.objects.count() == 33
    assert len(many) == len(few)
    (rows_sql,) = [sql for sql in many if "inventory_ledgerentry" in sql]
    assert "inventory_purchaseorderline" in rows_sql
    assert "inventory_salesorderline" in rows_sql
