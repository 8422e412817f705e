"""The OpenAPI schema, Swagger UI and Redoc, served from this site's static files.

For signed-in users with a role (a session) or a valid API token, as the API itself:
anonymous visitors are sent to the login page (the docs pages) or get a 401 problem
(the schema). `API_DOCS_PUBLIC=1` opens all three to everyone again.
"""

from functools import wraps

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from drf_spectacular.views import SpectacularAPIView
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import AllowAny
from rest_framework.settings import api_settings

from accounts.permissions import public, role_required
from accounts.roles import Role

from ..authentication import ApiTokenAuthentication
from ..problems import problem_body, problem_response
from .base import ApiViewMixin

DOCS_ROLE = Role.STAFF  # the role every API resource needs


def docs_public() -> bool:
    return settings.API_DOCS_PUBLIC  # read per request, so a test may switch it


class SchemaView(ApiViewMixin, SpectacularAPIView):
    """The OpenAPI 3 document (YAML by default, `?format=json` for JSON)."""

    required_role = DOCS_ROLE

    def get_authenticators(self):
        if docs_public():
            return []  # as before: even a stale token does not stand in the way
        return [auth() for auth in api_settings.DEFAULT_AUTHENTICATION_CLASSES]

    def get_permissions(self):
        if docs_public():
            return [AllowAny()]
        return [permission() for permission in api_settings.DEFAULT_PERMISSION_CLASSES]


def docs_page(view):
    """Guard a docs page: public with API_DOCS_PUBLIC, else the web screens' rule for
    DOCS_ROLE (anonymous -> login with ?next=, no role -> awaiting approval), where a valid
    `Authorization: Bearer` token counts as its user being signed in."""
    guarded = role_required(DOCS_ROLE)(view)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if docs_public():
            return view(request, *args, **kwargs)
        if not request.user.is_authenticated:
            try:
                found = ApiTokenAuthentication().authenticate(request)
            except AuthenticationFailed:
                found = None  # a bad token: anonymous, so the login page
            if found is not None:
                request.user = found[0]
        return guarded(request, *args, **kwargs)

    wrapped.required_role = DOCS_ROLE
    return wrapped


@docs_page
@require_safe
def swagger_ui(request):
    return render(request, "api/swagger.html", {"schema_url": reverse("api:schema")})


@docs_page
@require_safe
def redoc(request):
    return render(request, "api/redoc.html", {"schema_url": reverse("api:schema")})


@public
@csrf_exempt
def not_found(request, rest=""):
    """Any other path under /api/: a 404 problem for every method."""
    return problem_response(
        problem_body(status=404, title="Not found", detail=f"No API resource at {request.path}.")
    )
