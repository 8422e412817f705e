"""The API's JSON parser: a body nested too deeply is a 400, not a RecursionError (500),
a body larger than DATA_UPLOAD_MAX_MEMORY_SIZE a 413, however it reached the parser, and
a JSON number with a fraction or an exponent is read as its exact text (a Decimal), never
as a float, so the strict number fields judge what was sent (2.9999999999999999 is not 3).
"""

import codecs
import io
import json
from decimal import Decimal

from django.conf import settings
from rest_framework import exceptions, parsers

# No request body of this API nests deeper than a few levels (an order, its lines, a
# line's fields); far below the depth at which json or the idempotency fingerprint
# (json.dumps of the parsed body) would exhaust Python's recursion limit.
MAX_DEPTH = 32


class TooLarge(exceptions.APIException):
    status_code = 413
    default_detail = "The request body is larger than this API accepts."
    default_code = "too_large"


class JSONParser(parsers.JSONParser):
    """DRF's JSONParser, refusing a body nested deeper than MAX_DEPTH levels or too large.

    DRF reads the request stream to its end, with no limit of its own: Django's
    DATA_UPLOAD_MAX_MEMORY_SIZE applies only to `request.body`, which no API code
    has to read first.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None:
            body = stream.read(limit + 1)
            if len(body) > limit:
                raise TooLarge(f"The request body is larger than {limit} bytes.")
            stream = io.BytesIO(body)
        try:
            data = _load(stream, parsers.get_encoding(parser_context or {}))
        except ValueError as exc:
            raise exceptions.ParseError(f"JSON parse error - {exc}") from None
        except RecursionError:
            # DRF turns only ValueError into a ParseError.
            raise exceptions.ParseError(_too_deep()) from None
        if _depth(data) > MAX_DEPTH:
            raise exceptions.ParseError(_too_deep())
        return data


class JSONNumber(Decimal):
    """A JSON number with a fraction or an exponent: the Decimal of its text, and `text`,
    the number as it was written (str() of the Decimal would say 1 for 1e0, 0.25 for
    2.5e-1), which the strict number fields read."""

    __slots__ = ("text",)

    def __new__(cls, text: str):
        number = super().__new__(cls, text)
        number.text = text
        return number


def _load(stream, encoding: str):
    """Parse JSON with floats as JSONNumber; NaN and Infinity (not JSON) are a ValueError."""
    return json.load(
        codecs.getreader(encoding)(stream),
        parse_float=JSONNumber,
        parse_constant=_not_json,
        object_pairs_hook=_one_of_each,
    )


def _one_of_each(pairs) -> dict:
    """An object whose keys are each given once: with a key sent twice, JSON readers
    disagree on which one counts (Python's takes the last), so neither is guessed."""
    data = dict(pairs)
    if len(data) != len(pairs):
        seen = set()
        twice = next(key for key, _ in pairs if key in seen or seen.add(key))
        raise ValueError(f'the key "{twice}" is given twice in one object.')
    return data


def _not_json(name: str):
    raise ValueError(f"{name} is not a JSON number.")


def _too_deep() -> str:
    return f"JSON parse error - the body nests arrays or objects more than {MAX_DEPTH} deep."


def _depth(data) -> int:
    """How deeply arrays and objects nest in data, counted without recursion."""
    deepest = 0
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        deepest = max(deepest, depth)
        if depth > MAX_DEPTH:
            break  # already too deep: no need to walk the rest
        pending.extend((child, depth + 1) for child in children)
    return deepest
