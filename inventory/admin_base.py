"""The base of every ModelAdmin here: query strings and action posts checked before use.

The Django admin turns most bad list filters into its "?e=1" page, but not a number
past 64 bits (a date hierarchy year, an id), which overflowed into a 500, and an action
posted with ids that are not numbers failed while the action ran.
"""

from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.http import HttpResponseRedirect

from inventory.forms.fields import ID_MAX


def _out_of_range(value: str) -> bool:
    """True when `value` (or a comma-separated part of it) is an integer past 64 bits."""
    for part in value.split(","):
        digits = part.strip().removeprefix("-")
        if digits.isascii() and digits.isdigit() and int(digits) > ID_MAX:
            return True
    return False


def _valid_id(value: str) -> bool:
    return value.isascii() and value.isdigit() and 0 < int(value) <= ID_MAX


class SafeAdminMixin:
    """Refuse numbers past 64 bits in list filters, and non-ids in action posts."""

    def get_changelist_instance(self, request):
        if any(_out_of_range(v) for _, values in request.GET.lists() for v in values):
            # changelist_view answers this with its own "?e=1" page, as for any bad filter.
            raise IncorrectLookupParameters("A number in the filters is out of range.")
        return super().get_changelist_instance(request)

    def response_action(self, request, queryset):
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if not all(_valid_id(value) for value in selected):
            self.message_user(
                request, "The selection was not understood; select the rows again.", messages.ERROR
            )
            return HttpResponseRedirect(request.get_full_path())
        return super().response_action(request, queryset)
