"""The base of every ModelAdmin here: query strings, action posts and autocomplete values
checked before use, and the read-only mixin of the records no one edits.

The Django admin turns most bad list filters into its "?e=1" page, but not a number
past 64 bits (a date hierarchy year, an id), which overflowed into a 500, and an action
posted with ids that are not numbers failed while the action ran. An autocomplete box
re-shown after a refused post looks its posted value up as is: "abc" or a 30-digit
number failed there too.
"""

from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.widgets import AutocompleteSelect
from django.http import HttpResponseRedirect

from inventory.exceptions import InventoryError
from inventory.forms.fields import DATE_MAX, DATE_MIN, ID_MAX


def _out_of_range(value: str) -> bool:
    """True when `value` (or a comma-separated part of it) is an integer past 64 bits."""
    for part in value.split(","):
        digits = part.strip().removeprefix("-")
        if digits.isascii() and digits.isdigit() and int(digits) > ID_MAX:
            return True
    return False


def _year_out_of_range(value: str) -> bool:
    """True when `value` reads as a year (as Django's int() reads it) outside the app's
    dates: the date hierarchy adds a year or a month to it and turns it into UTC, which
    leaves Python's dates near years 1 and 9999 (year=9999 was a 500)."""
    try:
        year = int(value)
    except ValueError:
        return False  # the admin answers it with its own "?e=1" page
    return not DATE_MIN.year <= year <= DATE_MAX.year


def _valid_id(value: str) -> bool:
    return value.isascii() and value.isdigit() and 0 < int(value) <= ID_MAX


class SafeAutocompleteSelect(AutocompleteSelect):
    """Show as chosen only values that are ids; the field itself refuses the others."""

    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [v for v in value if _valid_id(str(v))], attr)


class ReadOnlyAdminMixin:
    """Rows are shown, never added, changed or deleted here, whoever asks."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SafeAdminMixin:
    """Refuse numbers past 64 bits and date hierarchy years outside the app's dates in
    list filters, non-ids in action posts and in autocomplete boxes."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changelist_instance(self, request):
        years = request.GET.getlist(f"{self.date_hierarchy}__year") if self.date_hierarchy else []
        if any(_out_of_range(v) for _, values in request.GET.lists() for v in values) or any(
            _year_out_of_range(year) for year in years
        ):
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


def act_on_each(modeladmin, request, rows, act) -> int:
    """Run an admin action's service on each row; a refusal is reported by its row and
    the others still run. Return how many rows were done."""
    done = 0
    for row in rows:
        try:
            act(row)
        except InventoryError as exc:
            modeladmin.message_user(request, exc.message, level=messages.ERROR)
        else:
            done += 1
    return done
