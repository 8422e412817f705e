"""Movements: the list and its filters, the streamed CSV export, a movement and its reversal."""

import contextlib
import csv
import io
from datetime import UTC, datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inventory.models import LedgerEntry, Lot, PurchaseOrder, PurchaseOrderLine
from inventory.services.purchasing import purchase_order_receive
from inventory.services.stock import stock_adjust, stock_receive, stock_transfer
from inventory.tests.factories import ItemFactory
from inventory.tests.services.stock_helpers import figures, snapshot

pytestmark = pytest.mark.django_db
D = Decimal
LIST = reverse("inventory:ledger_list")
EXPORT = reverse("inventory:ledger_export")
HEADER = (
    "id,created_at,kind,sku,item,store,lot,quantity,on_hand_delta,reserved_delta,"
    "unit_cost,reason,note,user,reverses,operation"
)


@contextlib.contextmanager
def moved_at(when):
    with mock.patch("django.utils.timezone.now", return_value=when):
        yield


def receive(user, item, store, quantity, code, **kwargs):
    stock_receive(actor=user, item=item, store=store, quantity=quantity, lot_code=code, **kwargs)
    return Lot.objects.get(item=item, code=code)


def texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def listed(response):
    return [e.pk for e in response.context["page"]]


@pytest.fixture
def history(manager_user, staff_user, store, other_store, item):
    """Four movements by two people in two stores over two days."""
    widget = ItemFactory(sku="W-1", name="Widget")
    with moved_at(datetime(2026, 3, 1, 9, 30, tzinfo=UTC)):
        lot_a = receive(manager_user, item, store, 10, "A", unit_cost="2.50")
    with moved_at(datetime(2026, 3, 2, 14, 0, tzinfo=UTC)):
        lot_b = receive(staff_user, widget, other_store, 5, "B", unit_cost="1.00")
        stock_adjust(
            actor=manager_user,
            lot=lot_a,
            store=store,
            quantity=-2,
            reason="DAMAGE",
            note="=cmd|' /C calc'!A0",
        )
    entries = list(LedgerEntry.objects.order_by("pk"))
    return {"lot_a": lot_a, "lot_b": lot_b, "widget": widget, "entries": entries}


# --- permissions ------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, history):
    pk = history["entries"][0].pk
    for url in [LIST, EXPORT, reverse("inventory:ledger_detail", args=[pk])]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith("/login/")
    response = client.post(reverse("inventory:ledger_reverse", args=[pk]))
    assert response.url.startswith("/login/")


def test_staff_sees_movements_but_may_not_export_or_reverse(staff_client, history):
    entry = history["entries"][0]
    before = snapshot()

    assert staff_client.get(LIST).status_code == 200
    assert staff_client.get(entry.get_absolute_url()).status_code == 200
    assert b"Export CSV" not in staff_client.get(LIST).content
    assert b"Reverse this movement" not in staff_client.get(entry.get_absolute_url()).content
    assert staff_client.get(EXPORT).status_code == 403
    response = staff_client.post(
        reverse("inventory:ledger_reverse", args=[entry.pk]), {"idempotency_key": "k"}
    )
    assert response.status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize("who", ["manager_client", "admin_role_client"])
def test_managers_and_admins_export(request, who, history):
    response = request.getfixturevalue(who).get(EXPORT)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"


def test_unknown_movement_is_404(staff_client):
    assert staff_client.get(reverse("inventory:ledger_detail", args=[999999])).status_code == 404


def test_reverse_only_accepts_post(manager_client, history):
    url = reverse("inventory:ledger_reverse", args=[history["entries"][0].pk])

    assert manager_client.get(url).status_code == 405


# --- list and filters -------------------------------------------------------------


def test_list_is_newest_first(staff_client, history):
    assert listed(staff_client.get(LIST)) == [e.pk for e in reversed(history["entries"])]


def test_filters(staff_client, history, store, other_store, staff_user, item):
    first, second, third = history["entries"]
    cases = [
        ({"item": item.pk}, [third.pk, first.pk]),
        ({"store": other_store.pk}, [second.pk]),
        ({"lot": "b"}, [second.pk]),
        ({"kind": "ADJUST"}, [third.pk]),
        ({"user": staff_user.pk}, [second.pk]),
        ({"date_from": "2026-03-02"}, [third.pk, second.pk]),
        ({"date_to": "2026-03-01"}, [first.pk]),
        ({"date_from": "2026-03-01", "date_to": "2026-03-01", "store": store.pk}, [first.pk]),
        ({"operation": third.operation_id}, [third.pk]),
        ({"kind": "RECEIVE", "store": other_store.pk, "item": item.pk}, []),
    ]
    for params, expected in cases:
        assert listed(staff_client.get(LIST, params)) == expected, params


@pytest.mark.parametrize(
    "params",
    [
        {"date_from": "2026-03-05", "date_to": "2026-03-01"},
        {"date_from": "yesterday"},
        {"item": "999999"},
        {"kind": "STEAL"},
        {"store": "x"},
    ],
)
def test_invalid_filters_show_errors_and_no_rows(staff_client, history, params):
    response = staff_client.get(LIST, params)

    assert response.status_code == 200
    assert listed(response) == []
    assert response.context["filter"].errors


@pytest.mark.parametrize("count", [5, 50])
def test_list_query_count_is_constant(staff_client, manager_user, store, count):
    for n in range(count):
        receive(manager_user, ItemFactory(), store, 1, f"L{n}")
    with CaptureQueriesContext(connection) as queries:
        response = staff_client.get(LIST)

    assert len(response.context["page"]) == count
    # session, user with its role, page (no count), then the item, store and user choices
    assert len(queries.captured_queries) == 6


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
        ],
    ]


def test_export_with_invalid_filters_goes_back_to_the_list(manager_client, history):
    response = manager_client.get(EXPORT, {"date_from": "nonsense"})

    assert response.status_code == 302
    assert response.url == f"{LIST}?date_from=nonsense"
    assert texts(response) == ["Correct the filters before exporting."]


def test_export_of_nothing_is_the_header(manager_client, history):
    lines = export_rows(manager_client.get(EXPORT, {"kind": "RETURN"}))

    assert lines == [HEADER]


# --- detail and reversal ----------------------------------------------------------


def test_transfer_detail_shows_the_other_half(
    manager_client, manager_user, store, other_store, item
):
    receive(manager_user, item, store, 10, "A")
    result = stock_transfer(
        actor=manager_user, item=item, from_store=store, to_store=other_store, quantity=3
    )
    out, into = result.entries

    response = manager_client.get(out.get_absolute_url())

    assert response.context["entry"] == out
    assert response.context["siblings"] == [into]
    assert response.context["reversed_by"] is None
    assert b"Reverse this movement" in response.content
    assert b"for both halves of the transfer" in response.content


def test_reversal_through_the_screen(manager_client, manager_user, store, item):
    # given
    lot = receive(manager_user, item, store, 10, "A")
    entry = LedgerEntry.objects.get(kind="RECEIVE")

    # when
    response = manager_client.post(
        reverse("inventory:ledger_reverse", args=[entry.pk]),
        {"note": "wrong item", "idempotency_key": "rev-1"},
    )

    # then
    reversal = LedgerEntry.objects.get(reverses=entry)
    assert response.status_code == 302
    assert response.url == entry.get_absolute_url()
    assert texts(response) == [f"Movement #{entry.pk} reversed by #{reversal.pk}."]
    assert (reversal.on_hand_delta, reversal.reason, reversal.note) == (
        D("-10"),
        "REVERSAL",
        "wrong item",
    )
    assert figures(store=store, lot=lot) == (D("0"), D("0"))
    page = manager_client.get(entry.get_absolute_url())
    assert page.context["reversed_by"] == reversal
    assert b"Reverse this movement" not in page.content
    back = manager_client.get(reversal.get_absolute_url())
    assert back.context["entry"].reverses == entry
    assert b'data-testid="reverses"' in back.content


def test_a_second_reversal_is_refused_and_changes_nothing(
    manager_client, manager_user, store, item
):
    receive(manager_user, item, store, 10, "A")
    entry = LedgerEntry.objects.get(kind="RECEIVE")
    url = reverse("inventory:ledger_reverse", args=[entry.pk])
    manager_client.post(url, {"idempotency_key": "rev-1"})
    before = snapshot()

    response = manager_client.post(url, {"idempotency_key": "rev-2"})

    assert response.status_code == 302
    assert texts(response)[-1] == f"Movement #{entry.pk} has already been reversed."
    assert snapshot() == before


def test_a_replayed_reversal_reports_it(manager_client, manager_user, store, item):
    receive(manager_user, item, store, 10, "A")
    entry = LedgerEntry.objects.get(kind="RECEIVE")
    url = reverse("inventory:ledger_reverse", args=[entry.pk])
    manager_client.post(url, {"idempotency_key": "rev-1"})
    before = snapshot()

    response = manager_client.post(url, {"idempotency_key": "rev-1"})

    assert texts(response)[-1] == "This was already recorded; nothing was changed the second time."
    assert snapshot() == before


def test_reversal_that_would_go_below_zero_is_refused(manager_client, manager_user, store, item):
    # given 10 received, then 8 written off: reversing the receipt would leave -8
    lot = receive(manager_user, item, store, 10, "A")
    stock_adjust(actor=manager_user, lot=lot, store=store, quantity=-8, reason="LOSS")
    entry = LedgerEntry.objects.get(kind="RECEIVE")
    before = snapshot()

    response = manager_client.post(
        reverse("inventory:ledger_reverse", args=[entry.pk]), {"idempotency_key": "rev-1"}
    )

    assert response.status_code == 302
    assert texts(response) == [
        "Only 2 pcs of SKU-0042 unreserved in lot A in Main Store; 10 requested."
    ]
    assert snapshot() == before


def test_order_movements_are_refused_with_a_message(manager_client, manager_user, store, item):
    order = PurchaseOrder.objects.create(
        supplier=item.supplier, store=store, status="ORDERED", created_by=manager_user
    )
    line = PurchaseOrderLine.objects.create(
        order=order, item=item, quantity_ordered=5, unit_cost="2.50", quantity_received=0
    )
    purchase_order_receive(
        actor=manager_user, order=order, receipts=[{"line": line, "quantity": 5}]
    )
    entry = LedgerEntry.objects.get(kind="RECEIVE")
    before = snapshot()

    page = manager_client.get(entry.get_absolute_url())
    response = manager_client.post(
        reverse("inventory:ledger_reverse", args=[entry.pk]), {"idempotency_key": "rev-1"}
    )

    assert b"correct it from the order" in page.content
    assert b"Reverse this movement" not in page.content
    assert texts(response) == ["This movement belongs to an order; correct it from the order."]
    assert snapshot() == before


def test_reversal_without_token_is_refused(manager_client, manager_user, store, item):
    receive(manager_user, item, store, 10, "A")
    entry = LedgerEntry.objects.get(kind="RECEIVE")
    before = snapshot()

    response = manager_client.post(reverse("inventory:ledger_reverse", args=[entry.pk]), {})

    assert texts(response) == ["The form expired; reload the page and try again."]
    assert snapshot() == before


def test_unknown_movement_cannot_be_reversed(manager_client):
    url = reverse("inventory:ledger_reverse", args=[999999])

    assert manager_client.post(url, {"idempotency_key": "k"}).status_code == 404


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


def test_date_filter_uses_bounds_not_a_date_function(staff_client, history):
    filterset = staff_client.get(LIST, {"date_from": "2026-03-02"}).context["filter"]

    sql = str(filterset.qs.query)
    assert "django_datetime_cast_date" not in sql
    assert "2026-03-02 00:00:00" in sql
