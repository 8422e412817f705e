"""Movements: the streamed CSV export of the filtered rows, read in chunks."""

import csv
import io
from unittest import mock

import pytest
from django.db.models import QuerySet
from django.http import StreamingHttpResponse

from inventory.models import LedgerEntry
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


def test_export_with_invalid_filters_answers_400_with_the_list_and_its_errors(
    manager_client, history
):
    response = manager_client.get(EXPORT, {"date_from": "nonsense"})

    assert response.status_code == 400
    assert list(response.context["page"]) == []
    assert response.context["filter"].form.errors == {"date_from": ["Enter a valid date."]}


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
