import logging

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.views.decorators.http import require_GET

from accounts.permissions import public

from .errors import RETRY_AFTER

logger = logging.getLogger(__name__)


@public
@require_GET
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
        return response
    return JsonResponse({"status": "ok", "database": "ok"})


@public
@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico on pages without an icon link (the Django admin)."""
    return redirect(static("favicon.svg"), permanent=True)
