"""Security headers that Django 5.2 does not set by itself, requests no field accepts,
the database going away, and the styled page for a method a page does not take."""

import logging
import re
from decimal import InvalidOperation

from django.core.exceptions import RequestDataTooBig
from django.db import DataError
from django.http import HttpResponseNotAllowed

from . import errors

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        # Bootstrap and Chart.js set style attributes; no script may be inline.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    """Send a Content-Security-Policy that forbids inline and third-party scripts."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response


class MethodNotAllowedPageMiddleware:
    """Give a page's empty 405 (require_POST, a class view's http_method_names) the styled
    error page, keeping its Allow header. The API answers 405 in problem+json itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            isinstance(response, HttpResponseNotAllowed)
            and not response.content
            and not request.path.startswith("/api/")
        ):
            return errors.method_not_allowed(request, allowed=response["Allow"])
        return response


class RejectNulBytesMiddleware:
    """Answer 400 to a request carrying a NUL character in its path, query, cookies, JSON
    body or, on the API, its form.

    No field of this site accepts one and PostgreSQL refuses it in text (so a search for
    it was a 500): refusing it here covers every view, filter and API call at once. A form
    posted to a page is left to its form, which refuses NUL next to the field it is in
    (Django's CharField, the pickers' own check), so what was typed is kept;
    test_input_sweep posts one in every field of every form, on PostgreSQL too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            has_nul = _has_nul(request)
        except RequestDataTooBig:
            if not request.path.startswith("/api/"):
                raise  # the styled 400 page (errors.bad_request)
            # The API's 413 problem, whatever DEBUG says (Django's debug page otherwise).
            return errors.api_too_large()
        if not has_nul:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            from api.problems import nul_problem, problem_response

            # The JSON body names the fields that held it (read already, by _has_nul).
            json_body = request.content_type == "application/json"
            return problem_response(nul_problem(request.body if json_body else None))
        return errors.error_page(
            400,
            title="Bad request",
            message="The request contained a character (NUL) that no field accepts.",
            detail="Go back, retype the text without it and try again.",
        )


def _has_nul(request) -> bool:
    if "\x00" in request.path:
        return True
    sources = [request.GET, request.COOKIES]
    if (
        request.method == "POST"
        and request.content_type in FORM_TYPES
        and request.path.startswith("/api/")
    ):
        sources.append(request.POST)  # parsed once; CSRF and the view reuse it
    for source in sources:
        values = source.lists() if hasattr(source, "lists") else source.items()
        for key, value in values:
            texts = value if isinstance(value, list) else [value]
            if "\x00" in key or any("\x00" in text for text in texts if isinstance(text, str)):
                return True
    if request.content_type == "application/json":
        return JSON_NUL.search(request.body) is not None
    return False


# A \u0000 escape in JSON text: a backslash and u0000 after an even number of backslashes
# (none, or escaped ones). "\\u0000" is an escaped backslash followed by the text u0000.
JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")


FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}


class DatabaseUnavailableMiddleware:
    """Serve the styled 503 page (a problem on /api/), with Retry-After, when a view finds
    the database down.

    Exceptions raised outside views (the session middleware saving, say) reach
    inventory_system.errors.server_error, which answers the same 503.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, errors.DATABASE_DOWN):
            logger.error("Database unavailable: %s", exception, exc_info=exception)
            return errors.unavailable(request)
        if isinstance(exception, BAD_VALUE_ERRORS):
            # A value no form field bounded reached Python or the database. Answer 400,
            # and log it: the field that let it through should refuse it instead.
            input_logger.warning(
                "Input out of range reached %s: %s", request.path, exception, exc_info=exception
            )
            return errors.error_page(
                400,
                title="Bad request",
                message="A value in the request is out of the range this site accepts.",
                detail="Go back, check the numbers and dates you entered and try again.",
            )
        return None


# Raised by a value out of range: an integer past 64 bits (OverflowError on SQLite,
# DataError on PostgreSQL), a date past year 9999, a signalling NaN compared.
BAD_VALUE_ERRORS = (OverflowError, DataError, InvalidOperation)
logger = logging.getLogger("inventory_system.errors")
input_logger = logging.getLogger("inventory_system.input")
