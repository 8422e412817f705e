"""Error pages in the browser: on a phone (390x844) their bar collapses like every
page's and nothing runs off the screen; on a desktop (1280x800) a signed-in user keeps
their own menu instead of being offered "Log in"."""

import pytest

from .conftest import login
from .test_phone_lists import DESKTOP, PHONE

# (role, a page that answers with an error, its status)
ERRORS = [
    pytest.param("Manager", "/users/", 403, id="403-manager"),
    pytest.param("Staff", "/dashboard/", 403, id="403-staff"),
    pytest.param("Staff", "/no-such-page/", 404, id="404-staff"),
]


@pytest.mark.parametrize(("role", "path", "status"), ERRORS)
def test_phone_error_page_fits_and_its_bar_collapses(new_page, demo_users, role, path, status):
    # given a signed-in user on a phone
    page = new_page(viewport=PHONE)
    login(page, *demo_users[role])

    # when a page answers with an error
    response = page.goto(path)

    # then the bar collapses behind its toggler and nothing is wider than the screen
    assert response.status == status
    assert page.get_by_text(f"Error {status}").is_visible()
    toggler = page.get_by_role("button", name="Toggle navigation")
    assert toggler.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    nav = page.get_by_test_id("error-nav").locator("nav").bounding_box()
    assert nav["x"] + nav["width"] <= PHONE["width"], nav

    # and the toggler opens the links, still within the screen
    toggler.click()
    items = page.get_by_test_id("error-nav").get_by_role("link", name="Items", exact=True)
    items.wait_for()
    box = items.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # The browser logs the error status itself; no script failed.
    assert [e for e in page.js_errors if "status of" not in e] == []


def test_desktop_403_shows_the_signed_in_managers_menu(new_page, demo_users):
    # given a manager at a desktop
    page = new_page(viewport=DESKTOP)
    login(page, *demo_users["Manager"])

    # when they open a page for admins only
    response = page.goto("/users/")

    # then the error page carries their own bar and menu, not "Log in"
    assert response.status == 403
    assert page.get_by_test_id("role-badge").count() == 1
    assert page.get_by_test_id("role-badge").inner_text() == "Manager"
    assert page.get_by_test_id("main-nav").get_by_role("link", name="Dashboard").is_visible()
    assert page.get_by_role("link", name="Log in").count() == 0
