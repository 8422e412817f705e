"""What every list's filter form shares: dates read one way, and one answer when the
filters cannot be read.

A filter that cannot be read (a date such as 2026-02-30, an end before the start, an
unknown store) is shown next to its field, and nothing is listed, charted or exported:
listing everything instead would look like an answer to the question asked.
"""

END_BEFORE_START = "The end date is before the start date."
NOTHING_SHOWN = "Nothing is shown until the filters are corrected:"


def check_date_order(form, start, end) -> None:
    """Refuse, on the end date's field, a range that ends before it starts."""
    if start and end and start > end:
        form.add_error("date_to", END_BEFORE_START)


class FilterFormMixin:
    """For a form with optional `date_from` and `date_to` fields: put first in the bases
    (also the `Meta.form` base of the FilterSets' forms)."""

    def clean(self):
        data = super().clean()
        check_date_order(self, *self.date_range(data))
        return data

    def date_range(self, data) -> tuple:
        """Return the (start, end) the filters ask for; either may be None."""
        return data.get("date_from"), data.get("date_to")

    def refusal(self) -> str:
        """Return why nothing is listed ("" when the filters were read or none given)."""
        if not self.is_bound or self.is_valid():
            return ""
        problems = [
            f"{self[name].label}: {' '.join(errors)}" if name in self.fields else " ".join(errors)
            for name, errors in self.errors.items()
        ]
        return f"{NOTHING_SHOWN} {'; '.join(problems)}"

    def listed(self, queryset):
        """Return `queryset`, or none of it when the filters cannot be read."""
        return queryset.none() if self.refusal() else queryset


def unknown_choice(request, name: str, label: str, found) -> str:
    """For a list that reads its query string by hand: why nothing is listed when `name`
    is given but names nothing (`found` is None), else ""."""
    if request.GET.get(name, "").strip() and found is None:
        return f"{NOTHING_SHOWN} {label}: choose one from the list."
    return ""
