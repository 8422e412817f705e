"""RFC 9457 problem details (application/problem+json) for every error the API returns.

The service's message becomes `detail`; field errors go under `errors` by field; a
shortage carries the item, store, requested and available figures as members.
Out-of-range input that reaches the database (a huge id on SQLite) is a 400, not a 500.
"""

import json
import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DataError
from django.http import Http404, HttpResponse
from rest_framework import exceptions

from inventory.exceptions import (
    DocumentChanged,
    IdempotencyConflict,
    InsufficientStock,
    InvalidTransition,
    InventoryError,
    LotNotApproved,
    NothingLeft,
    NotReversible,
    RefusedLines,
    ShortLines,
)

CONTENT_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:inventory:problem:"
logger = logging.getLogger(__name__)

# Refusals because of the state of stock or of a document: the request was fine, the
# world was not (409). Anything else a service refuses is a 422.
CONFLICTS = (
    DocumentChanged,  # stock or a document moved on since the figures sent were read
    InsufficientStock,
    ShortLines,
    InvalidTransition,
    LotNotApproved,
    NotReversible,
    NothingLeft,  # a "ship all" or "receive all" that someone else had done already
    IdempotencyConflict,
)


class Problem(Exception):
    """Raise to answer with a problem of one's own (idempotency, a state the view checks)."""

    def __init__(self, status: int, slug: str, title: str, detail: str, **members):
        super().__init__(detail)
        self.status, self.slug, self.title, self.detail = status, slug, title, detail
        self.members = members


def problem_body(*, status: int, title: str, detail: str, slug: str = "", **members) -> dict:
    body = {
        "type": f"{TYPE_PREFIX}{slug}" if slug else "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
    }
    body.update(members)
    return body


def problem_response(body: dict, *, headers: dict | None = None) -> HttpResponse:
    response = HttpResponse(
        json.dumps(body, cls=DjangoJSONEncoder), status=body["status"], content_type=CONTENT_TYPE
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _slug(exc: Exception) -> str:
    name = type(exc).__name__
    return "".join(f"-{c.lower()}" if c.isupper() else c for c in name).lstrip("-")


def _qty(value) -> str:
    """A quantity as the API writes every quantity: a string with three decimals."""
    return f"{value:.3f}"


def _shortage(shortage: InsufficientStock) -> dict:
    member = {
        "item": {"id": shortage.item.pk, "sku": shortage.item.sku},
        "store": {"id": shortage.store.pk, "code": shortage.store.code},
        "requested": _qty(shortage.requested),
        "available": _qty(shortage.available),
    }
    index = getattr(shortage, "index", None)
    if index is not None:
        member["line"] = index
    indexes = getattr(shortage, "indexes", None) or []
    if len(indexes) > 1:  # the item is on several lines: `requested` is their sum
        member["lines"] = indexes
    return member


def _refused(refusal: InventoryError) -> dict:
    member = {"line": refusal.index, "detail": refusal.message}
    if refusal.field:
        member["errors"] = {refusal.field: [refusal.message]}
    return member


def inventory_problem(exc: InventoryError) -> dict:
    """Return the problem body of a service's refusal."""
    judged = exc.refusals if isinstance(exc, RefusedLines) else [exc]
    status = 409 if any(isinstance(e, CONFLICTS) for e in judged) else 422
    members = {}
    if isinstance(exc, InsufficientStock):
        members = _shortage(exc)
    elif isinstance(exc, ShortLines):
        shortages = [_shortage(s) for s in exc.shortages]
        members = {**shortages[0], "shortages": shortages} if shortages else {}
    elif isinstance(exc, RefusedLines):  # each line's refusal, as one alone would say it
        members = {"line": exc.refusals[0].index, "refusals": [_refused(r) for r in exc.refusals]}
    if exc.field and not isinstance(exc, RefusedLines):
        members["errors"] = {exc.field: [exc.message]}
    if exc.index is not None:
        members.setdefault("line", exc.index)  # which of the body's lines, from 0
    title = (
        "Not enough stock"
        if isinstance(exc, InsufficientStock | ShortLines)
        else ("Refused by the inventory rules")
    )
    return problem_body(status=status, title=title, detail=exc.message, slug=_slug(exc), **members)


def _plain(detail):
    """DRF's ErrorDetail tree as plain lists and dicts of strings."""
    if isinstance(detail, dict):
        return {str(k): _plain(v) for k, v in detail.items()}
    if isinstance(detail, list):
        return [_plain(v) for v in detail]
    return str(detail)


def _validation_problem(detail) -> dict:
    errors = _plain(detail)
    if not isinstance(errors, dict):
        errors = {"non_field_errors": errors if isinstance(errors, list) else [errors]}
    first = errors.get("non_field_errors")
    message = (
        first[0]
        if isinstance(first, list) and first and isinstance(first[0], str)
        else ("Some fields are invalid; see `errors`.")
    )
    members = {"errors": errors}
    line = _first_refused_line(errors)
    if line is not None:
        members["line"] = line  # as the rules' refusals name theirs
    return problem_body(
        status=400, title="Invalid request", detail=message, slug="validation", **members
    )


def _first_refused_line(errors: dict) -> int | None:
    """The index of the first of a document's lines (`lines`, `receipts`, `counts`) that
    has errors, or None."""
    for key in ("lines", "receipts", "counts"):
        rows = errors.get(key)
        if isinstance(rows, list):  # one entry per line, {} for a good one
            rows = {str(index): row for index, row in enumerate(rows)}
        if isinstance(rows, dict):  # by index, the lines with errors only
            refused = [
                int(k) for k, row in rows.items() if k.isdigit() and isinstance(row, dict) and row
            ]
            if refused:
                return min(refused)
    return None


NUL_DETAIL = "The request contained a character (NUL) that no field accepts."
NUL_FIELD = "This text contains a character (NUL) that no field accepts; send it without."


def nul_problem(body: bytes | None = None) -> dict:
    """The 400 problem of a request holding a NUL character (refused before any view,
    inventory_system.middleware). With the JSON body that held it, `errors` names each
    field whose text (or key) held one, nested as any field error is (`lines` → "0" →
    `lot_code`), and `line` the first line; a NUL elsewhere (the query) names no field."""
    errors = _nul_fields(body) if body else {}
    members = {"errors": errors} if errors else {}
    line = _first_refused_line(errors)
    if line is not None:
        members["line"] = line
    return problem_body(
        status=400, title="Bad request", detail=NUL_DETAIL, slug="nul-character", **members
    )


def _nul_fields(body: bytes) -> dict:
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return {}
    errors = {}
    pending = [((), data)]  # (path, value); a walk without recursion, however deep
    while pending:
        path, value = pending.pop()
        if isinstance(value, dict):
            for key, child in value.items():
                shown = key.replace("\x00", "\\u0000")  # a key is named as it was written
                pending.append(((*path, shown), "\x00" if "\x00" in key else child))
        elif isinstance(value, list):
            pending.extend(((*path, str(index)), child) for index, child in enumerate(value))
        elif isinstance(value, str) and "\x00" in value:
            _put(errors, path or ("non_field_errors",))
    return errors


def _put(errors: dict, path: tuple) -> None:
    """Put NUL_FIELD at `path` in the nested errors."""
    for step in path[:-1]:
        errors = errors.setdefault(step, {})
        if not isinstance(errors, dict):
            return
    errors[path[-1]] = [NUL_FIELD]


def _api_problem(exc: exceptions.APIException) -> tuple[dict, dict]:
    headers = {}
    status = exc.status_code
    detail = exc.detail if isinstance(exc.detail, str) else _plain(exc.detail)
    if isinstance(exc, exceptions.ValidationError):
        return _validation_problem(exc.detail), headers
    if isinstance(exc, exceptions.Throttled):
        wait = int(exc.wait or 1)
        headers["Retry-After"] = str(wait)
        return problem_body(
            status=429,
            title="Too many requests",
            detail=f"The request rate limit was reached; retry in {wait} seconds.",
            slug="throttled",
            retry_after=wait,
        ), headers
    titles = {
        400: "Bad request",
        401: "Not authenticated",
        403: "Forbidden",
        404: "Not found",
        405: "Method not allowed",
        406: "Not acceptable",
        413: "Content too large",
        415: "Unsupported media type",
    }
    if not isinstance(detail, str):
        detail = json.dumps(detail)
    return problem_body(status=status, title=titles.get(status, "Error"), detail=detail), headers


def exception_handler(exc, context):
    """DRF's EXCEPTION_HANDLER: turn every expected error into a problem response."""
    headers = {}
    if isinstance(exc, Problem):
        body = problem_body(
            status=exc.status, title=exc.title, detail=exc.detail, slug=exc.slug, **exc.members
        )
    elif isinstance(exc, InventoryError):
        body = inventory_problem(exc)
    elif isinstance(exc, Http404):
        body = problem_body(status=404, title="Not found", detail="No such object.")
    elif isinstance(exc, DjangoPermissionDenied):
        body = problem_body(status=403, title="Forbidden", detail=str(exc) or "Forbidden.")
    elif isinstance(exc, DjangoValidationError):
        body = _validation_problem(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, OverflowError | DataError):
        # A number too large for the database column (SQLite raises OverflowError).
        body = problem_body(
            status=400, title="Bad request", detail="A value is out of range.", slug="out-of-range"
        )
    elif isinstance(exc, exceptions.APIException):
        body, headers = _api_problem(exc)
        auth_header = getattr(exc, "auth_header", None)  # set by APIView.handle_exception
        if auth_header:
            headers["WWW-Authenticate"] = auth_header
    else:
        return None
    return problem_response(body, headers=headers)
