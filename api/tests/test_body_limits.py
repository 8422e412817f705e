"""Bodies too large for the API: refused as problems, before anything is parsed or written."""

import io

import pytest
from rest_framework.exceptions import ParseError

from api.parsers import MAX_DEPTH, JSONParser, TooLarge
from inventory.models import Category

from .db_state import db_state

pytestmark = pytest.mark.django_db
V1 = "/api/v1"


def test_the_parser_refuses_a_body_over_the_upload_limit(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    body = b'{"name": "' + b"x" * 100 + b'"}'

    with pytest.raises(TooLarge) as excinfo:
        JSONParser().parse(io.BytesIO(body))

    assert excinfo.value.status_code == 413
    assert str(excinfo.value.detail) == "The request body is larger than 100 bytes."


def test_the_parser_reads_a_body_at_the_limit(settings):
    body = b'{"name": "' + b"x" * 88 + b'"}'
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = len(body)

    assert JSONParser().parse(io.BytesIO(body)) == {"name": "x" * 88}


def test_the_parser_takes_bodies_nested_up_to_its_depth():
    body = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    expected = []
    for _ in range(MAX_DEPTH - 1):
        expected = [expected]

    assert JSONParser().parse(io.BytesIO(body.encode())) == expected
    with pytest.raises(ParseError):
        JSONParser().parse(io.BytesIO(("[" + body + "]").encode()))


@pytest.mark.parametrize("debug", [False, True])
def test_a_body_over_the_upload_limit_is_a_413_problem(manager_api, settings, debug):
    settings.DEBUG = debug  # Django's own 400 page for it is HTML, under DEBUG too
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    before = db_state()

    response = manager_api.post(f"{V1}/categories/", {"name": "Bolts", "description": "x" * 2000})

    assert response.status_code == 413, response.content[:200]
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == "The request body is larger than 1000 bytes."
    assert db_state() == before


def test_a_three_megabyte_note_is_a_413_problem(staff_api, store, item):
    before = db_state()

    response = staff_api.stock_post(
        f"{V1}/sales-orders/quick/",
        {"store": store.pk, "lines": [{"item": item.pk, "quantity": "1"}], "note": "x" * 3_000_000},
    )

    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"
    assert db_state() == before


def test_an_escaped_nul_in_a_json_string_is_refused(manager_api):
    before = db_state()

    # JSON text {"name": "Bolts\u0000"} and {"name": "\\\u0000"}: a real NUL once decoded
    for body in ('{"name": "Bolts\\u0000"}', r'{"name": "\\\u0000"}'):
        response = manager_api.post(f"{V1}/categories/", body)

        assert response.status_code == 400
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["type"] == "urn:inventory:problem:nul-character"
        assert db_state() == before


@pytest.mark.parametrize(("text", "name"), [(r"a\\u0000", "a\\u0000"), (r"\\\\u0000", "\\\\u0000")])
def test_an_escaped_backslash_before_u0000_is_text_not_nul(manager_api, text, name):
    response = manager_api.post(f"{V1}/categories/", f'{{"name": "{text}"}}')

    assert response.status_code == 201, response.content
    assert Category.objects.get().name == name
