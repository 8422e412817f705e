"""GET on every URL, with real ids, never fails and changes nothing the snapshot can see."""

import pytest

from inventory.models import Alert
from inventory.tests.test_security import inline_scripts
from inventory.tests.url_guards_helpers import (
    _diff,
    _is_login_redirect,
    _snapshot,
    _urls_with_real_ids,
    all_routes,
)

pytestmark = pytest.mark.django_db


def test_the_snapshot_sees_a_changed_field(seeded):
    before = _snapshot()
    first = Alert.objects.order_by("pk").first()
    Alert.objects.filter(pk=first.pk).update(available_at_open=first.available_at_open + 1)

    count = Alert.objects.count()
    assert _diff(before, _snapshot()) == [
        f"inventory.Alert: {count} rows -> {count} rows (or values changed)"
    ]


# --- (e) GET never changes anything ------------------------------------------------------


def _get_problems(client, url, route, headers) -> list[str]:
    try:
        response = client.get(url, **headers)
    except Exception as exc:  # a view that raises is a 500 in production
        return [f"GET {url} [{route.name}]: raised {exc!r}"]
    problems = []
    if _is_login_redirect(response):
        problems.append(f"GET {url} [{route.name}]: sent an Admin to the login page")
    if response.status_code >= 500:
        problems.append(f"GET {url} [{route.name}]: {response.status_code}")
    if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
        if "Content-Security-Policy" not in response:
            problems.append(f"GET {url} [{route.name}]: no CSP header")
        if not response.streaming and inline_scripts(response.content.decode()):
            problems.append(f"GET {url} [{route.name}]: inline script")
    return problems


def test_get_on_every_url_changes_nothing_and_never_fails(client, seeded):
    client.force_login(seeded)
    before = _snapshot()
    failures = []
    walked = 0
    for route in all_routes():
        for url in _urls_with_real_ids(route):
            for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
                walked += 1
                failures.extend(_get_problems(client, url, route, headers))
        # compared once per route: a full snapshot per request would make the walk slow
        after = _snapshot()
        changed = _diff(before, after)
        if changed:
            failures.append(f"GET {route} changed {changed}")
            before = after

    assert failures == []
    assert walked > 40
