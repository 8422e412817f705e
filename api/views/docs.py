"""The OpenAPI schema, Swagger UI and Redoc: public, served from this site's static files."""

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import AllowAny

from accounts.permissions import public

from ..problems import problem_body, problem_response


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 document (YAML by default, `?format=json` for JSON)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    is_public = True


@public
@require_safe
def swagger_ui(request):
    return render(request, "api/swagger.html", {"schema_url": reverse("api:schema")})


@public
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
