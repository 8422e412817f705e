"""Every hidden field a stock form posts is known to services.actor.NOT_CONTENT, or is
content. A web form's submission is hashed without its tokens and what the page only
showed (a version, a shipment's reserved figures, a count's expected ones), so that Back
and resend of the same content replays instead of being refused as different. A form
that adds another such field must be added there: this test names it.

Every page the resolver knows is read as Admin (with documents in every state), and
each POST form with a form token is checked.
"""

import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from inventory.services.actor import NOT_CONTENT
from inventory.tests import sweep
from inventory.tests.hostile_input_cases import World

pytestmark = pytest.mark.django_db

# Hidden fields that are what was typed or chosen: a formset's line count, a line's id,
# a count sheet's store and search (which lots it lists), the supplier or customer a
# party picker chose.
CONTENT = re.compile(
    r"(\w+-)?(TOTAL_FORMS|INITIAL_FORMS|MIN_NUM_FORMS|MAX_NUM_FORMS)|(\w+-\d+-)?line|store|q"
    r"|(supplier|customer)_id"
)


class HiddenFields(HTMLParser):
    """The hidden inputs of each POST form that carries a form token."""

    def __init__(self):
        super().__init__()
        self.forms, self._form = [], None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = set() if (a.get("method") or "").lower() == "post" else None
            if self._form is not None:
                self.forms.append(self._form)
        elif tag == "input" and self._form is not None and (a.get("type") or "") == "hidden":
            self._form.add(a.get("name") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def test_every_hidden_field_of_a_token_form_is_content_or_named_not_content():
    world = World()
    client = Client()
    client.force_login(world.users["Admin"])
    unknown, checked = set(), 0
    # The count sheet shows its lots once a store is chosen.
    count_sheet = ("count", f"/stock/count/?store={world.store.pk}")
    for name, path in [*sweep.concrete_urls(world.users), count_sheet]:
        if name.startswith("admin:"):
            continue
        response = client.get(path)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = HiddenFields()
        parser.feed(response.content.decode())
        for fields in parser.forms:
            if "idempotency_key" not in fields:
                continue
            checked += 1
            for field in fields - {"csrfmiddlewaretoken", ""}:
                if not (NOT_CONTENT.fullmatch(field) or CONTENT.fullmatch(field)):
                    unknown.add(f"{path}: {field}")

    assert checked >= 10, checked  # the stock forms were reached
    assert sorted(unknown) == [], sorted(unknown)
