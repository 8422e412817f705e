"""The API tokens page (web, under the user menu): create, list and revoke one's tokens."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from accounts.permissions import role_required
from accounts.roles import Role
from inventory.exceptions import InventoryError
from inventory.services.actor import Actor

from ..forms import ApiTokenForm
from ..models import ApiToken
from ..services import api_token_create, api_token_revoke


def _page(request, form, new_token=None):
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created_at", "-pk")
    response = render(
        request,
        "api/tokens.html",
        {"form": form, "tokens": tokens, "new_token": new_token},
    )
    # The new token is in this page only: keep it out of every cache.
    response["Cache-Control"] = "no-store"
    return response


@role_required(Role.STAFF)
def token_list(request):
    """List the user's tokens; a POST creates one and shows it this once."""
    if request.method != "POST":
        return _page(request, ApiTokenForm())
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        try:
            created = api_token_create(
                actor=Actor.from_request(request),
                name=form.cleaned_data["name"],
                expires_at=form.expires_at(),
            )
        except InventoryError as exc:
            # The service's expires_at is the form's expires_on (a day, not an instant).
            field = "expires_on" if exc.field == "expires_at" else exc.field
            form.add_error(field if field in form.fields else None, exc.message)
        else:
            messages.success(
                request, f"Token “{created.token.name}” created. Copy it now: it is shown once."
            )
            return _page(request, ApiTokenForm(), new_token=created)
    return _page(request, form)


@role_required(Role.STAFF)
@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    try:
        api_token_revoke(actor=Actor.from_request(request), token=token)
    except InventoryError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Token “{token.name}” revoked; it no longer works.")
    return redirect("api_tokens")


urlpatterns = [
    path("account/api-tokens/", token_list, name="api_tokens"),
    path("account/api-tokens/<int:pk>/revoke/", token_revoke, name="api_token_revoke"),
]
