"""Each role signs in through the browser and sees the navigation of its role."""

import pytest

from .conftest import login

EXPECTED = {
    "Staff": (
        ["Items", "Stock", "Purchases", "Sales", "Quick sale", "Movements", "QC queue"],
        ["Dashboard", "Manage", "Users", "Admin"],
    ),
    "Manager": (["Dashboard", "Items", "Stock", "QC queue", "Manage"], ["Users", "Admin"]),
    "Admin": (["Dashboard", "Items", "QC queue", "Manage", "Users", "Admin"], []),
}


@pytest.mark.parametrize("role", ["Staff", "Manager", "Admin"])
def test_each_role_sees_its_navigation(page, demo_users, role):
    username, password = demo_users[role]

    login(page, username, password)

    nav = page.get_by_test_id("main-nav")
    for label in EXPECTED[role][0]:
        assert nav.get_by_text(label, exact=True).count() == 1, label
    for label in EXPECTED[role][1]:
        assert nav.get_by_text(label, exact=True).count() == 0, label
    assert page.get_by_test_id("role-badge").inner_text() == role
    assert page.js_errors == []


def test_wrong_password_shows_one_generic_message(page, demo_users):
    login(page, "staff", "not-the-password")
    assert page.get_by_text("Please enter a correct username and password.").is_visible()
    login(page, "nobody-at-all", "not-the-password")
    assert page.get_by_text("Please enter a correct username and password.").is_visible()
