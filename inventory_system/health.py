import logging

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.views.decorators.http import require_GET, require_safe

from accounts.permissions import public

from .errors import RETRY_AFTER

logger = logging.getLogger(__name__)


@public
@require_safe  # GET, and HEAD for the load balancers that probe with it
def healthz(request):
    """Answer 200 when the database answers a query, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy"
        # The cause goes to the log, never to the public: a driver's message names the
        # database host, port and user.
        logger.exception("Health check: the database did not answer")
        response = JsonResponse({"status": "unavailable"}, status=503)
        response["Retry-After"] = str(RETRY_AFTER)
    else:
        response = JsonResponse({"status": "ok", "database": "ok"})
    if request.method == "HEAD":
        # The status is the answer; gunicorn logs a warning for every HEAD body it drops.
        response.content = b""
    return response


@public
@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico on pages without an icon link (the Django admin)."""
    return redirect(static("favicon.svg"), permanent=True)


class HealthzMiddleware:
    """Answer GET and HEAD /healthz before any middleware validates the Host header.

    A load balancer probes each app server by its address (Host: 10.0.0.5:8121), which
    ALLOWED_HOSTS does not list: CommonMiddleware's request.get_host() refused it with a
    400. The answer builds no URL from the host, so the check protects nothing here. Other
    methods go on to the URL's view and its styled 405.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/healthz" and request.method in ("GET", "HEAD"):
            return healthz(request)
        return self.get_response(request)
