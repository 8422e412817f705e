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


def test_a_nul_in_a_json_field_is_refused_naming_that_field(manager_api, staff_api, store, item):
    # Found by a QA pass: the problem named no field, so a client could not tell which.
    before = db_state()

    category = manager_api.post(f"{V1}/categories/", '{"name": "Bolts\\u0000"}')
    sale = staff_api.stock_post(
        f"{V1}/sales-orders/quick/",
        f'{{"store": {store.pk}, "note": "a\\u0000", "lines": ['
        f'{{"item": {item.pk}, "quantity": "1"}}, '
        f'{{"item": {item.pk}, "quantity": "1", "lot_code": "L\\u00001"}}]}}',
    )

    nul = "This text contains a character (NUL) that no field accepts; send it without."
    assert (category.status_code, sale.status_code) == (400, 400)
    assert category.json() == {
        "type": "urn:inventory:problem:nul-character",
        "title": "Bad request",
        "status": 400,
        "detail": "The request contained a character (NUL) that no field accepts.",
        "errors": {"name": [nul]},
    }
    assert sale.json()["errors"] == {"note": [nul], "lines": {"1": {"lot_code": [nul]}}}
    assert sale.json()["line"] == 1
    assert db_state() == before


def test_a_nul_in_a_key_or_the_query_is_refused_as_before(manager_api):
    before = db_state()

    in_key = manager_api.post(f"{V1}/categories/", '{"na\\u0000me": "Bolts"}')
    in_query = manager_api.get(f"{V1}/categories/", {"search": "a\x00b"})

    assert in_key.status_code == 400
    assert in_key.json()["errors"] == {
        "na\\u0000me": [
            "This text contains a character (NUL) that no field accepts; send it without."
        ]
    }
    assert in_query.status_code == 400
    assert in_query.json()["type"] == "urn:inventory:problem:nul-character"
    assert "errors" not in in_query.json()
    assert db_state() == before
