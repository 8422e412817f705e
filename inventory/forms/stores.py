"""What a store choice says when there is no store to choose (a new business, or every
store deactivated): where to add one, or whom to ask. Every form with a store <select>
takes it from StoreChoiceMixin; the pages' own store filters from the `no_store_hint` tag.
"""

from django.urls import reverse
from django.utils.html import format_html

from accounts.roles import Role, user_role
from inventory.models import Store

from .fields import ModelSelectField

# Who may add a store: the catalogue screens (/stores/new/) are for Managers and Admins.
ADDS_STORES = Role.MANAGER
ASK_FOR_A_STORE = "No stores to choose yet: ask an Admin or a Manager to add one, then come back."


def no_store_hint(user) -> str:
    """Say what to do about an empty store list: where to add a store for a user who may,
    whom to ask for everyone else."""
    if user_role(user) >= ADDS_STORES:
        return format_html(
            'No stores to choose yet: <a href="{}">add a store</a> (Manage → Stores), '
            "then come back.",
            reverse("inventory:store_create"),
        )
    return ASK_FOR_A_STORE


class StoreChoiceMixin:
    """Give every store <select> of the form that has no store to offer a hint of what to
    do (no_store_hint for `user`), as an empty category list says on the item form.

    The field stays required, so a form sent without a store is refused by its own message.
    One query while any store is active (for a post, only when its store was refused);
    one more per store field when none is.
    """

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.store_selects = [
            field
            for field in self.fields.values()
            if isinstance(field, ModelSelectField)
            and field.queryset.model is Store
            and field.required
            and not field.widget.is_hidden
        ]
        if not self.is_bound:
            self._hint_empty_selects()

    def full_clean(self):
        # A post is judged first: the hint costs its query only when a store choice was
        # refused, not on every sale or purchase recorded.
        super().full_clean()
        if any(self.has_error(name) for name in self._store_names()):
            self._hint_empty_selects()

    def _store_names(self) -> list[str]:
        return [name for name, field in self.fields.items() if field in self.store_selects]

    def _hint_empty_selects(self) -> None:
        if not self.store_selects or Store.objects.filter(is_active=True).exists():
            return
        hint = no_store_hint(self.user)
        for name in self._store_names():
            if not self.fields[name].queryset.exists():
                # The bound field, which cleaning has made already, copies its field's text.
                self.fields[name].help_text = self[name].help_text = hint
