"""The API's JSON parser: a body nested too deeply is a 400, not a RecursionError (500),
and a body larger than DATA_UPLOAD_MAX_MEMORY_SIZE a 413, however it reached the parser."""

import io

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
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            # DRF turns only ValueError into a ParseError.
            raise exceptions.ParseError(_too_deep()) from None
        if _depth(data) > MAX_DEPTH:
            raise exceptions.ParseError(_too_deep())
        return data


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
