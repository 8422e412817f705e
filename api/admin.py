"""API tokens in the Django admin: read-only (only a hash is stored, and a token is made
on the tokens page by its user), with an action to revoke, so an Admin can cut off a
lost till's or a leaver's token without deactivating the user."""

from django.contrib import admin

from inventory.admin import ReadOnlyAdmin
from inventory.admin_base import act_on_each
from inventory.services.actor import Actor

from .models import ApiToken
from .services import api_token_revoke


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = (
        "name",
        "prefix",
        "user",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )
    list_filter = ("revoked_at",)
    list_select_related = ("user",)
    search_fields = ("name", "prefix", "user__username")
    exclude = ("key_hash",)
    actions = ["revoke_selected"]

    @admin.action(description="Revoke selected tokens")
    def revoke_selected(self, request, queryset):
        actor = Actor.from_request(request)
        done = act_on_each(
            self, request, queryset, lambda token: api_token_revoke(actor=actor, token=token)
        )
        if done:
            self.message_user(request, f"{done} token{'s' if done != 1 else ''} revoked.")
