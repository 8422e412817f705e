"""Helpers every view uses to translate between forms and services."""

from functools import wraps

from django.contrib import messages
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.utils.html import format_html

from inventory.exceptions import (
    InventoryError,
    RefusedLines,
    ResentWithChanges,
    ShortLines,
    refused_lines,
)
from inventory.forms.fields import ID_MAX
from inventory.services.actor import Actor

from .form_tokens import new_token

# Every replay message contains this phrase; tests look for it.
ALREADY_RECORDED = "was already recorded"
NOTHING_CHANGED = "nothing was changed the second time."


def id_param(request, name: str, source=None) -> int | None:
    """Return the query string's (or `source`'s) `name` as a primary key, or None when it
    cannot be one.

    Digits only, and at most 64 bits: a longer number would overflow the database's
    integers (a 500) instead of naming nothing.
    """
    value = (request.GET if source is None else source).get(name, "")
    if not value.isascii() or not value.isdigit() or len(value) > 19:
        return None
    number = int(value)
    return number if 0 < number <= ID_MAX else None


def actor_for(request) -> Actor:
    return Actor.from_request(request)


# Without JavaScript, "Add line" is a submit button of this name (includes/add_line.html).
ADD_LINE = "add_line"


def adds_a_line(request) -> bool:
    return request.method == "POST" and ADD_LINE in request.POST


def _typed(form) -> dict:
    """What a bound form was posted with, field by field, without validating it."""
    return {name: form[name].value() for name in form.fields}


def line_added(form, formset):
    """The same form back, unvalidated, with what was typed and one more blank line: what
    "Add line" does without JavaScript (with it, app.js adds the line in the page)."""
    initial = formset.initial_form_count()
    rows = [
        _typed(row)
        for index, row in enumerate(formset.forms)
        if (index < initial or row.has_changed())
        and not (formset.can_delete and row["DELETE"].value())
    ]
    again = type(formset)(initial=rows, prefix=formset.prefix)
    again.extra = 1
    # Every document header has a store choice, whose hint is worded for its user.
    return type(form)(initial=_typed(form), user=form.user), again


def refreshed_token(request, exc: InventoryError) -> str | None:
    """A new token, signed for the user as a page's is (form_tokens), for a form refused
    as a resend with other content; None for any other refusal."""
    return new_token(request.user) if isinstance(exc, ResentWithChanges) else None


def attach_error(form, exc: InventoryError, rows=None, request=None) -> None:
    """Show a service's refusal next to the field it concerns, or above the form.

    `rows`: the forms of the document's lines, in the order the service was given them.
    A refusal that names its line (`index`; `indexes` when a shortage is shared by
    several lines) is shown on that row too, so the counter sees which line to mend.
    """
    if request is not None and (token := refreshed_token(request, exc)):
        form.renew_token(token)
    on_a_row = False
    for index, refusal in refused_lines(exc) if rows else ():
        if index < len(rows):
            row = rows[index]
            row.add_error(_shown_field(row, refusal.field), refusal.message)
            on_a_row = True
    if isinstance(exc, ShortLines):
        if on_a_row:
            form.add_error(None, "Nothing was recorded: some lines are short of stock.")
        form.add_error(None, exc.message)
        return
    if isinstance(exc, RefusedLines) and on_a_row:
        form.add_error(None, f"Nothing was recorded: mend the {len(exc.refusals)} lines marked.")
        return
    if on_a_row:
        form.add_error(None, "Nothing was recorded: mend the line marked.")
        return
    form.add_error(_shown_field(form, exc.field), exc.message)


def _shown_field(form, name: str | None) -> str | None:
    """The field a refusal is shown next to: the one it names, unless the form has no
    such field or it is hidden (a receipt row's `line`), where the error goes above."""
    field = getattr(form, "fields", {}).get(name) if name else None
    return None if field is None or field.widget.is_hidden else name


def report_replay(
    request, result, what: str = "This", document=None, url=None, preposition: str = "as"
) -> bool:
    """Tell the user when a resubmitted form was recognised; return whether it was.

    A replay (Back and submit again, a double click, a retried post) recorded nothing:
    say so, and link to what the first submission recorded, instead of a second
    success. `what` names it ("This sale"); `document` is the order it was recorded
    as (or on, with preposition="on"), or `url` where its movements are listed.
    """
    if not getattr(result, "replayed", False):
        return False
    if document is not None:
        message = format_html(
            '{} {} {} <a href="{}" class="alert-link">{}</a>; {}',
            what,
            ALREADY_RECORDED,
            preposition,
            document.get_absolute_url(),
            document.number,
            NOTHING_CHANGED,
        )
    elif url is not None:
        message = format_html(
            '{} {} (<a href="{}" class="alert-link">its movements</a>); {}',
            what,
            ALREADY_RECORDED,
            url,
            NOTHING_CHANGED,
        )
    else:
        message = f"{what} {ALREADY_RECORDED}; {NOTHING_CHANGED}"
    messages.info(request, message)
    return True


def sort_columns(current: str, columns) -> list[dict]:
    """Describe sortable headers: each (param, heading) with the next ?sort= and its arrow."""
    result = []
    for param, heading in columns:
        if current == param:
            result.append({"heading": heading, "next": f"-{param}", "arrow": "up"})
        elif current == f"-{param}":
            result.append({"heading": heading, "next": param, "arrow": "down"})
        else:
            result.append({"heading": heading, "next": param, "arrow": ""})
    return result


def filtered(request) -> bool:
    """Whether a list was asked for with filters (anything but its page and order), so
    that an empty one says "nothing matches" rather than "none yet"."""
    return any(value for key, value in request.GET.items() if key not in ("page", "sort"))


def document_action(detail: str):
    """A document's action (confirm, cancel, return...) takes POST; its address opened by
    GET (a reload of a refusal shown there, or signing in again after the session ended
    while posting) goes to the document's page `detail`, where the action's form is,
    rather than to a 405."""

    def decorator(view):
        @wraps(view)
        def action(request, pk, *args, **kwargs):
            if request.method == "GET":
                return redirect(detail, pk=pk)
            if request.method != "POST":
                return HttpResponseNotAllowed(["GET", "POST"])
            return view(request, pk, *args, **kwargs)

        return action

    return decorator
