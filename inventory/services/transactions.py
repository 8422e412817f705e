"""The transactions stock documents run in, and what happens when two collide.

A document's service opens ``document_transaction()`` and is wrapped in
``retry_on_conflict``: a deadlock or serialization failure runs it again, once, then
refuses with "busy"; a used idempotency key runs it again to answer the replay.
``whole_transaction()`` lets a caller (the API's idempotent requests) run documents
inside one transaction of its own with no savepoints, handling those cases itself.
Django owns every transaction: nothing here sends BEGIN or COMMIT or reads the
connection's state.
"""

import contextlib
import functools
from contextvars import ContextVar

from django.db import IntegrityError, OperationalError, transaction

from inventory.exceptions import Busy

# SQLSTATEs worth one more try: the other transaction has finished by then.
RETRYABLE = {"40P01", "40001"}  # deadlock_detected, serialization_failure
LOT_CODE_INDEX = "lot_code_ci_unique_per_item"


def is_conflict(exc: Exception) -> bool:
    """Whether a failed document is worth running again (see RETRYABLE)."""
    if isinstance(exc, IntegrityError):  # a lot code created concurrently
        return LOT_CODE_INDEX in str(exc)
    cause = exc.__cause__
    if getattr(cause, "sqlstate", None) in RETRYABLE:
        return True
    return "database is locked" in str(exc)  # SQLite's busy timeout ran out


class KeyUsed(Exception):
    """The key was claimed before: run the service again to answer with the replay."""


# True while a service runs as the outermost transaction and has not met a used key:
# the claim then needs no savepoint (a failed insert rolls the whole document back).
_PLAIN_CLAIM: ContextVar[bool] = ContextVar("plain_claim", default=False)
# True inside whole_transaction(): the caller rolls its transaction back whole on any
# error, so the documents inside need no savepoints (each costs two statements).
_WHOLE: ContextVar[bool] = ContextVar("whole_transaction", default=False)


@contextlib.contextmanager
def whole_transaction():
    """A transaction that services run inside with no savepoint of their own.

    Any error inside fails the whole transaction: a used key raises the claim's
    IntegrityError, a refusal its InventoryError, a deadlock its OperationalError, and
    none is retried here. The caller retries what is_conflict() names, answers a used
    key with the first response, and records a refusal in a transaction of its own.
    """
    with transaction.atomic():
        token = _WHOLE.set(True)
        try:
            yield
        finally:
            _WHOLE.reset(token)


def document_transaction():
    """The transaction of one stock document: Django's atomic(), a savepoint when nested
    in a caller's transaction, except inside whole_transaction()."""
    return transaction.atomic(savepoint=not _WHOLE.get())


def retry_on_conflict(service):
    """Run a posting service as one document: again, once, after a deadlock or
    serialization failure (then refuse with "busy" instead of an error page), and
    again to answer a replay when its key turns out to be used."""

    @functools.wraps(service)
    def run(*args, **kwargs):
        if _WHOLE.get():
            return _run_in_whole_transaction(service, args, kwargs)
        plain = transaction.get_autocommit()  # not inside a caller's transaction
        for attempt in (1, 2, 3):
            token = _PLAIN_CLAIM.set(plain)
            try:
                return service(*args, **kwargs)
            except KeyUsed:
                plain = False  # the rerun claims under a savepoint and reads the replay
            except (OperationalError, IntegrityError) as exc:
                if not is_conflict(exc):
                    raise
                if attempt >= 2:
                    raise Busy() from exc
            finally:
                _PLAIN_CLAIM.reset(token)
        raise Busy()

    return run


def _run_in_whole_transaction(service, args, kwargs):
    token = _PLAIN_CLAIM.set(True)
    try:
        return service(*args, **kwargs)
    except KeyUsed as exc:
        raise exc.__cause__ from None  # the claim's IntegrityError, for the caller
    finally:
        _PLAIN_CLAIM.reset(token)


def plain_claim() -> bool:
    """Whether the claim may insert its key without a savepoint (see _PLAIN_CLAIM)."""
    return _PLAIN_CLAIM.get()
