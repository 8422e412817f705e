"""Bodies too large for the API: refused as problems, before anything is parsed or written."""

import io

import pytest
from rest_framework.exceptions import ParseError

from api.parsers import MAX_DEPTH, JSONParser, TooLarge

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


def test_a_body_over_the_upload_limit_is_a_problem(manager_api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    before = db_state()

    response = manager_api.post(f"{V1}/categories/", {"name": "Bolts", "description": "x" * 2000})

    assert response.status_code in (400, 413)
    assert response["Content-Type"] == "application/problem+json"
    assert db_state() == before
