"""The main navigation on a desktop (1280x800): the admin's longer bar stays on one
line, as tall as the staff's, with no link broken over two lines; below 1200px it
still collapses behind the toggler."""

import pytest

from inventory.models import Alert
from inventory.tests.factories import ItemFactory, StoreFactory

from .conftest import login

DESKTOP = {"width": 1280, "height": 800}
NARROW = {"width": 1199, "height": 800}

# The navbar's height, and the links (and badges) that take more than one line.
NAV_GEOMETRY = """() => {
  const nav = document.querySelector('nav.navbar');
  const links = nav.querySelector('[data-testid=main-nav]');
  const menu = links.nextElementSibling.getBoundingClientRect();
  const wrapped = [...nav.querySelectorAll('.navbar-nav > .nav-item > .nav-link')]
    .filter(a => a.getClientRects().length)
    .filter(a => {
      const style = getComputedStyle(a);
      const pad = parseFloat(style.paddingTop) + parseFloat(style.paddingBottom);
      return a.getBoundingClientRect().height - pad > parseFloat(style.lineHeight) * 1.5;
    })
    .map(a => a.textContent.trim());
  const bell = nav.querySelector('.bi-bell-fill');
  const badge = nav.querySelector('[data-testid=alert-badge]');
  const beside = (a, b) => Math.abs(a.top - b.top) < 12 && b.left > a.left;
  return {
    height: nav.getBoundingClientRect().height,
    wrapped,
    badgeBesideBell: !bell || beside(bell.getBoundingClientRect(), badge.getBoundingClientRect()),
    scrollWidth: document.documentElement.scrollWidth,
    // The main links end before the bell and user menu start, which end inside the bar.
    linksEnd: [...links.children].pop().getBoundingClientRect().right,
    menuStart: menu.left,
    menuEnd: menu.right,
  };
}"""


@pytest.fixture
def open_alert(demo_users):
    """An open low-stock alert, so a manager's bar carries the bell and its badge."""
    Alert.objects.create(
        item=ItemFactory(), store=StoreFactory(), available_at_open=0, reorder_level=5
    )


def nav_geometry(new_page, demo_users, role, viewport=DESKTOP):
    page = new_page(viewport=viewport)
    login(page, *demo_users[role])
    page.goto("/items/")
    geometry = page.evaluate(NAV_GEOMETRY)
    assert page.js_errors == []
    return page, geometry


def test_admin_navbar_fits_one_line_at_1280(new_page, demo_users, open_alert):
    # given the staff's bar, the shortest one
    _, staff = nav_geometry(new_page, demo_users, "Staff")

    # when the admin, with every link and the alert bell, opens a page at 1280px
    page, admin = nav_geometry(new_page, demo_users, "Admin")

    # then the bar is as tall as the staff's: no link wraps, the badge sits by its bell
    assert admin["height"] == staff["height"], (admin, staff)
    assert admin["wrapped"] == [], admin
    assert admin["badgeBesideBell"], admin
    assert admin["scrollWidth"] <= DESKTOP["width"], admin
    assert admin["linksEnd"] <= admin["menuStart"] and admin["menuEnd"] <= DESKTOP["width"], admin
    for name in ("Quick sale", "QC queue", "Users", "Admin"):
        assert page.get_by_test_id("main-nav").get_by_role("link", name=name).is_visible(), name


def test_navbar_still_collapses_below_1200(new_page, demo_users):
    # given a window just under Bootstrap's xl breakpoint
    page = new_page(viewport=NARROW)
    login(page, *demo_users["Admin"])

    # then the links hide behind the toggler until it is pressed
    assert page.get_by_role("button", name="Toggle navigation").is_visible()
    assert page.get_by_test_id("main-nav").is_hidden()
    page.get_by_role("button", name="Toggle navigation").click()
    page.get_by_test_id("main-nav").get_by_role("link", name="QC queue").wait_for()
    assert page.js_errors == []
