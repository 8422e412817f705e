"""Error pages: 400, 403, 404, 405, 500 and 503, styled, with navigation and a human message
(under /api/, the 400, 413, 500 and 503 here are problem+json instead).

A 400, 403, 404 or 405 renders with its request, so it shows the signed-in user's own menu
(which asks the database for the role and open alerts). A 500 or 503, or any page whose
request rendering meets a database that does not answer, renders with a plain context
and no request: templates/errors/base.html then needs nothing but static files.
"""

import sys

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

from inventory.forms.common import TOO_MANY_LINES

# Seconds a client should wait before trying again after a 503.
RETRY_AFTER = 30
# Exceptions that mean the database cannot be reached (or, on SQLite, stayed locked).
DATABASE_DOWN = (OperationalError, InterfaceError)


def error_page(
    status: int, *, title: str, message: str, detail: str = "", request=None
) -> HttpResponse:
    """Return a styled error response.

    With its request (400, 403, 404, 405) the page shows the signed-in user's own menu, as
    every page does; should the database fail meanwhile, or without a request (500,
    503), it renders with a plain context, which needs nothing but static files.
    """
    template = loader.get_template(f"errors/{status}.html")
    context = {"status": status, "title": title, "message": message, "detail": detail}
    body = None
    if request is not None:
        try:
            body = template.render(context, request)
        except DATABASE_DOWN:
            body = None
    if body is None:
        body = template.render(context)
    return HttpResponse(body, status=status)


def unavailable(request=None) -> HttpResponse:
    """The 503 page shown while the database does not answer; a problem for the API."""
    if request is not None and request.path.startswith("/api/"):
        from api.problems import problem_body, problem_response

        body = problem_body(
            status=503,
            title="Service unavailable",
            detail="The inventory database is not answering right now; retry later. "
            "A POST with an Idempotency-Key is safe to send again.",
            slug="database-unavailable",
        )
        return problem_response(body, headers={"Retry-After": str(RETRY_AFTER)})
    response = error_page(
        503,
        title="Temporarily unavailable",
        message="The inventory database is not answering right now. Please try again in a minute.",
        detail="If you were saving something, check whether it was recorded before you "
        "send it again.",
    )
    response["Retry-After"] = str(RETRY_AFTER)
    return response


@requires_csrf_token
def bad_request(request, exception=None):
    if request.path.startswith("/api/"):
        return _api_bad_request(exception)
    if isinstance(exception, TooManyFieldsSent):
        message = "The form sent more fields than any page of this site has."
        detail = TOO_MANY_LINES
    elif isinstance(exception, RequestDataTooBig):
        message = "The form sent more data than any page of this site accepts."
        detail = "Shorten the longest texts and send it again."
    else:
        message = "The request could not be understood."
        detail = "Go back, check what you typed and try again."
    return error_page(400, title="Bad request", message=message, detail=detail, request=request)


def _api_bad_request(exception):
    """The API's clients read application/problem+json, whatever refused the request."""
    from api.problems import problem_body, problem_response

    if isinstance(exception, RequestDataTooBig):
        return api_too_large()
    body = problem_body(
        status=400, title="Bad request", detail="The request could not be understood."
    )
    return problem_response(body)


def api_too_large() -> HttpResponse:
    """The API's answer to a body over DATA_UPLOAD_MAX_MEMORY_SIZE: 413, as a problem."""
    from api.problems import problem_body, problem_response

    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    body = problem_body(
        status=413,
        title="Content too large",
        detail=f"The request body is larger than {limit} bytes.",
        slug="too-large",
    )
    return problem_response(body)


@requires_csrf_token
def permission_denied(request, exception=None):
    reason = str(exception or "")
    # Our role checks say which role a page needs; Django's own refusals say nothing.
    message = reason if reason.startswith("This page needs") else "You cannot open this page."
    return error_page(
        403,
        title="Not allowed",
        message=message,
        detail="Ask an administrator if you need access.",
        request=request,
    )


@requires_csrf_token
def page_not_found(request, exception=None):
    return error_page(
        404,
        title="Page not found",
        message="There is no page at this address, or what it showed no longer exists.",
        detail="Check the address, or start again from the home page.",
        request=request,
    )


def method_not_allowed(request, allowed: str) -> HttpResponse:
    """A page asked for with a method it does not take (GET /logout/, say), keeping the
    Allow header of the view's refusal (MethodNotAllowedPageMiddleware)."""
    response = error_page(
        405,
        title="Not available this way",
        message="This address exists, but not for what the browser asked of it "
        f"({request.method}).",
        detail="Use the buttons and links on the site's pages: some actions, such as "
        "signing out or changing a role, are sent from a form.",
        request=request,
    )
    response["Allow"] = allowed
    return response


@requires_csrf_token
def server_error(request):
    """500, or 503 when the cause was the database not answering (raised anywhere)."""
    if isinstance(sys.exc_info()[1], DATABASE_DOWN):
        return unavailable(request)
    if request.path.startswith("/api/"):
        from api.problems import problem_body, problem_response

        detail = "The server hit an error and could not finish this request; it has been logged."
        return problem_response(
            problem_body(status=500, title="Internal server error", detail=detail)
        )
    return error_page(
        500,
        title="Something went wrong",
        message="The server hit an error and could not finish this request.",
        detail="It has been logged. Nothing you sent is half-saved: try again, and tell an "
        "administrator if it keeps happening.",
    )


def csrf_failure(request, reason=""):
    """A form sent without a valid CSRF token: most often a page left open too long."""
    return error_page(
        403,
        title="Form expired",
        message="This form has expired or was sent from another site, so nothing was saved.",
        detail="Go back, reload the page and send the form again.",
        request=request,
    )
