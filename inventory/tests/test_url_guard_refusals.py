"""Anonymous users go to login, role-less ones to approval, lower roles get 403 (real ids)."""

import pytest

from accounts.roles import Role
from inventory.tests.url_guards_helpers import (
    _diff,
    _is_approval_redirect,
    _is_login_redirect,
    _snapshot,
    _urls_with_real_ids,
    all_routes,
)

pytestmark = pytest.mark.django_db


# --- (a) anonymous and (b) role-less users are refused -----------------------------------


def test_anonymous_get_and_post_are_sent_to_login(client):
    failures = []
    for route in all_routes():
        if route.is_public:
            continue
        for method in ("get", "post"):
            response = getattr(client, method)(route.url())
            if not (_is_login_redirect(response) or response.status_code == 405):
                failures.append(f"{method.upper()} {route}: {response.status_code}")

    assert failures == []


def test_roleless_users_are_sent_to_awaiting_approval(client, roleless_user):
    client.force_login(roleless_user)
    failures = []
    for route in all_routes():
        if route.is_public:
            continue
        if route.allows_roleless:
            response = client.get(route.url())
            if response.status_code != 200:
                failures.append(f"GET {route}: {response.status_code}, expected the page")
            continue
        for method in ("get", "post"):
            response = getattr(client, method)(route.url())
            if not (_is_approval_redirect(response) or response.status_code == 405):
                failures.append(f"{method.upper()} {route}: {response.status_code}")

    assert failures == []


# --- (c) role checks on manager and admin views, with real ids ---------------------------


def test_staff_get_403_from_manager_views_and_managers_from_admin_views(
    client, seeded, staff_user, manager_user
):
    before = _snapshot()
    failures = []
    for route in all_routes():
        role = route.required_role
        if role is None or role < Role.MANAGER:
            continue
        users = [staff_user] if role == Role.MANAGER else [staff_user, manager_user]
        for user in users:
            client.force_login(user)
            for url in _urls_with_real_ids(route):
                for method in ("get", "post"):
                    response = getattr(client, method)(url)
                    if response.status_code not in (403, 405):
                        failures.append(
                            f"{user.username} {method.upper()} {url} [{route.name}]: "
                            f"{response.status_code}"
                        )

    assert failures == []
    assert _diff(before, _snapshot()) == []
