"""Every URL pattern can be walked and each view carries a guard marker (public, roleless, role)."""

import pytest

from inventory.tests.url_guards_helpers import all_routes, regex_routes

pytestmark = pytest.mark.django_db


# --- (d) every view carries a guard ------------------------------------------------------


def test_every_view_carries_a_guard_marker():
    unguarded = [str(r) for r in all_routes() if not r.guarded]

    assert unguarded == [], "views without public / allows_roleless / required_role"


def test_only_the_expected_views_are_public_or_open_to_roleless_users():
    public = sorted(r.name for r in all_routes() if r.is_public)
    roleless = sorted(r.name for r in all_routes() if r.allows_roleless and not r.is_public)

    assert public == [
        "favicon",
        "healthz",
        "login",
        "logout",
        "password_reset",
        "password_reset_complete",
        "password_reset_confirm",
        "password_reset_done",
        "register",
    ]
    assert roleless == ["awaiting_approval", "password_change"]


def test_every_url_pattern_can_be_walked():
    # re_path patterns would need hand-made URLs; there are none, keep it that way.
    assert regex_routes() == []
    assert len(all_routes()) > 10
