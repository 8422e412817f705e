"""Found by a QA pass: on a phone the main buttons were 31-38 px tall (under the 44 px a
thumb needs), every page began with the whole menu for the Tab key, and the keyboard's
focus ring was a faint glow."""

import pytest

from .conftest import login
from .test_picker import VIEWPORTS


def test_on_a_phone_what_a_thumb_presses_is_44_px_tall(new_page, demo_users):
    page = new_page(viewport=VIEWPORTS["phone"], is_mobile=True, has_touch=True)
    login(page, *demo_users["Staff"])
    page.goto("/sales/quick/")

    for control in (
        page.get_by_role("button", name="Record sale"),
        page.get_by_role("button", name="Add line"),
        page.get_by_role("combobox", name="Item"),
    ):
        assert control.bounding_box()["height"] >= 44, control
    assert page.js_errors == []


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_first_tab_offers_to_skip_to_the_page(new_page, demo_users, viewport):
    page = new_page(viewport=VIEWPORTS[viewport])
    login(page, *demo_users["Staff"])
    page.goto("/items/")

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to the page")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.bounding_box()["y"] >= 0  # in view once focused
    outline = skip.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline == "solid"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")  # the next stop is on the page, not in the menu
    assert page.evaluate("!!document.activeElement.closest('main')")
    assert page.js_errors == []


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_without_javascript_the_menu_and_log_out_are_in_reach(new_page, demo_users, viewport):
    # Found by a QA pass: Log out sat in a dropdown that never opened, and on a phone the
    # whole menu was behind a toggler that needs JavaScript.
    page = new_page(viewport=VIEWPORTS[viewport], java_script_enabled=False)
    page.goto("/login/")
    page.get_by_label("Username").fill(demo_users["Staff"][0])
    page.get_by_label("Password").fill(demo_users["Staff"][1])
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state("load")

    assert page.get_by_test_id("main-nav").get_by_role("link", name="Quick sale").is_visible()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state("load")
    assert page.get_by_role("button", name="Log in").is_visible()


def test_phone_menu_button_remove_boxes_and_token_page_fit_a_thumb(new_page, demo_users):
    # Found by a QA pass: the menu button was 40 px with no focus ring, a line's Remove
    # box 13 px, and the API tokens page scrolled sideways (a hidden caption escaped).
    page = new_page(viewport=VIEWPORTS["phone"], is_mobile=True, has_touch=True)
    login(page, *demo_users["Staff"])
    page.goto("/sales/quick/")
    assert page.locator(".navbar-toggler").bounding_box()["height"] >= 44
    remove = page.get_by_test_id("sales-line").first.locator(".line-remove label")
    assert remove.bounding_box()["height"] >= 44

    page.goto("/account/api-tokens/")
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    page.locator(".navbar-toggler").focus()
    assert page.locator(".navbar-toggler").evaluate("el => getComputedStyle(el).outlineStyle") in (
        "solid",
        "auto",
    )


# The offset of a link's words from the middle of its box: a link is a block of text, so
# the 44 px minimum left its words at the top (a <button> centres them itself).
WORDS_OFF_CENTRE = """(el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const words = range.getBoundingClientRect(), box = el.getBoundingClientRect();
    return Math.abs((words.top + words.bottom) / 2 - (box.top + box.bottom) / 2);
}"""


def test_on_a_phone_a_link_button_centres_its_words(new_page, demo_users):
    # Found: on /stock/ "Count stock" and "Clear" had their words at the top of the box.
    page = new_page(viewport=VIEWPORTS["phone"], is_mobile=True, has_touch=True)
    login(page, *demo_users["Manager"])
    page.goto("/stock/")

    for link in (
        page.get_by_role("link", name="Count stock"),
        page.get_by_role("link", name="Clear"),
    ):
        assert link.bounding_box()["height"] >= 44, link
        assert link.evaluate(WORDS_OFF_CENTRE) <= 1.5, link
    assert page.js_errors == []
