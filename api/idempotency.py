"""Idempotency-Key: a retried POST gets the first response instead of a second effect.

The key, a hash of the request (method, path, canonical JSON body) and the response
are stored in IdempotentRequest, keyed by (token, key) (by (user, key) for a browser
session), in the same transaction as the service call (a refusal, whose transaction
is rolled back, in one of its own). The service gets a key derived from the same as
its operation's idempotency key, so the database holds one operation per key
whatever happens.

A concurrent twin either finds the stored response, or runs into the first one's
locks (the operation key, the document row, the stored response's unique index),
waits, and ends by replaying the stored response: its own transaction is rolled back.
"""

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, OperationalError, transaction
from django.http import HttpResponse
from rest_framework.response import Response

from inventory.exceptions import Busy, InventoryError
from inventory.services.transactions import is_conflict, whole_transaction

from .models import ApiToken, IdempotentRequest
from .problems import CONTENT_TYPE, Problem, inventory_problem, problem_body, problem_response

KEY_HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 64
# Visible ASCII only: the key travels in a header and is echoed in messages.
KEY_PATTERN = re.compile(r"^[\x21-\x7e]{1,64}$")


def request_key(request, *, required: bool) -> str | None:
    """Return the request's Idempotency-Key, or None; refuse a missing or malformed one."""
    value = request.headers.get(KEY_HEADER, "").strip()
    if not value:
        if not required:
            return None
        raise Problem(
            400,
            "idempotency-key-missing",
            "Idempotency-Key required",
            "This request moves stock, so it needs an Idempotency-Key header: a value unique "
            "to this request (a UUID will do, at most 64 visible characters), sent again "
            "unchanged when the same request is retried. A retry then gets the first "
            "response instead of moving stock twice.",
        )
    if not KEY_PATTERN.match(value):
        raise Problem(
            400,
            "idempotency-key-invalid",
            "Idempotency-Key malformed",
            f"The Idempotency-Key must be 1 to {MAX_KEY_LENGTH} visible ASCII characters "
            "(letters, digits, punctuation; no spaces).",
        )
    return value


def operation_key(user, key: str, token=None) -> str:
    """The services' idempotency key for this user's (or token's) key: 64 characters,
    never shared.

    Namespaced by user and token so that two clients who pick the same key never meet
    (two tills signed in as one user each have a token), and hashed so that it fits
    the 64-character column whatever the key.
    """
    scope = f"{user.pk}" if token is None else f"{user.pk}\x00t{token.pk}"
    digest = hashlib.sha256(f"{scope}\x00{key}".encode()).hexdigest()
    return f"api:{digest[:60]}"


def request_fingerprint(request) -> str:
    """Hash method, path and the body as canonical JSON (key order and spacing ignored)."""
    body = json.dumps(request.data, sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder)
    text = f"{request.method}\n{request.get_full_path()}\n{body}"
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _as_json(body) -> str:
    """The body as JSON text, as it is stored and replayed (Decimals become strings)."""
    return json.dumps(body, cls=DjangoJSONEncoder, separators=(",", ":"))


def _replay(stored: IdempotentRequest, fingerprint: str) -> HttpResponse:
    if stored.request_hash != fingerprint:
        raise Problem(
            422,
            "idempotency-key-reused",
            "Idempotency-Key reused",
            f"The Idempotency-Key {stored.key} was already used for a different request "
            f"({stored.method} {stored.path} with another body). Send a new key for a new "
            "request; send the same key only to retry the same request unchanged.",
        )
    content_type = CONTENT_TYPE if stored.status_code >= 400 else "application/json"
    response = HttpResponse(
        stored.response_body, status=stored.status_code, content_type=content_type
    )
    response[REPLAYED_HEADER] = "true"
    return response


@dataclass
class Outcome:
    """What a handler answers: the status, the body, and whether the service replayed."""

    status: int
    body: dict
    replayed: bool = False


Handler = Callable[[str | None], Outcome]


def run_idempotent(request, handler: Handler, *, required: bool):
    """Run handler(operation_key) -> Outcome at most once per Idempotency-Key.

    Without a key (allowed when not `required`) the handler just runs. Input errors
    (400) are not stored, so a corrected retry may reuse the key; a service's refusal
    is stored and replayed like a success.
    """
    key = request_key(request, required=required)
    if key is None:
        outcome = handler(None)
        return _fresh(outcome.status, outcome.body, outcome.replayed)
    first = _FirstAnswer(request, key)
    for attempt in (1, 2):
        try:
            # The handler's services run with no savepoints of their own: anything that
            # goes wrong rolls the whole of it back, the stored response included.
            with whole_transaction():
                outcome = handler(first.operation_key)
                status, body = first.store(outcome)
            return _fresh(status, body, outcome.replayed)
        except InventoryError as exc:
            # Refused and rolled back: the refusal is the first answer, stored on its own.
            problem = inventory_problem(exc)
            return first.store_alone(Outcome(status=problem["status"], body=problem))
        except (IntegrityError, OperationalError) as exc:
            if is_conflict(exc) and attempt == 1:
                continue  # a deadlock, or a lot code created meanwhile: once more
            if is_conflict(exc):
                # Not stored: a retry with the same key should get the sale done.
                return problem_response(_busy_problem(), headers={"Retry-After": "1"})
            if not isinstance(exc, IntegrityError):
                raise
            # The key was used before, or a twin stored its response first while we
            # waited on its lock: answer as the first response did.
            return first.replay() or first.run_again(handler)
    raise AssertionError("unreachable")  # pragma: no cover


def _busy_problem() -> dict:
    return problem_body(
        status=503, title="Busy", detail=Busy().message, slug="busy", retryable=True
    )


class _FirstAnswer:
    """The stored first response to one (token, Idempotency-Key); (user, key) for a
    browser session."""

    def __init__(self, request, key: str):
        self.request, self.key, self.user = request, key, request.user
        self.token = request.auth if isinstance(request.auth, ApiToken) else None
        self.fingerprint = request_fingerprint(request)
        self.operation_key = operation_key(self.user, key, self.token)

    def store(self, outcome: Outcome) -> tuple[int, str]:
        body = _as_json(outcome.body)
        IdempotentRequest.objects.create(
            user=self.user,
            token=self.token,
            key=self.key,
            request_hash=self.fingerprint,
            method=self.request.method,
            path=self.request.get_full_path()[:300],
            status_code=outcome.status,
            response_body=body,
        )
        return outcome.status, body

    def store_alone(self, outcome: Outcome):
        """Store a refusal in a transaction of its own; a twin's answer stored first wins."""
        try:
            with transaction.atomic():
                status, body = self.store(outcome)
        except IntegrityError:
            return self.replay() or _fresh(outcome.status, outcome.body, False)
        return _fresh(status, body, False)

    def replay(self):
        stored = IdempotentRequest.objects.filter(
            user=self.user, token=self.token, key=self.key
        ).first()
        return None if stored is None else _replay(stored, self.fingerprint)

    def run_again(self, handler: Handler):
        """The key's operation exists but its stored response was purged: run the handler
        in an ordinary transaction, where the service answers with its first result."""
        with transaction.atomic():
            try:
                outcome = handler(self.operation_key)
            except InventoryError as exc:
                problem = inventory_problem(exc)
                outcome = Outcome(status=problem["status"], body=problem)
            status, body = self.store(outcome)
        return _fresh(status, body, outcome.replayed)


def _fresh(status: int, body, replayed: bool):
    """The first answer: the body (JSON text once stored) with its status."""
    if isinstance(body, str):
        content_type = CONTENT_TYPE if status >= 400 else "application/json"
        response = HttpResponse(body, status=status, content_type=content_type)
    elif status >= 400:
        response = problem_response(body)
    else:
        response = Response(body, status=status)
    if replayed:  # the service recognised its operation key (a purged stored response)
        response[REPLAYED_HEADER] = "true"
    return response


__all__ = ["CONTENT_TYPE", "KEY_HEADER", "REPLAYED_HEADER", "run_idempotent"]
