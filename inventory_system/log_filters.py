"""Filters for the server log (settings.LOGGING)."""

import logging


class ClientErrorWithoutTraceback(logging.Filter):
    """Log a 4xx refusal (PermissionDenied, Http404, a bad request) as its one line.

    Django's django.request logger attaches the exception to every such warning, so each
    403 wrote a full traceback although nothing went wrong. A 5xx keeps its traceback:
    that one is a fault to look into.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
