"""A staff member who forgot their password: from the sign-in page, through the e-mailed
link (read from the locmem outbox the live server sends to), to signing in with the new
password, on a desktop and a phone, and on a phone without JavaScript."""

import re

import pytest
from django.core import mail

from .conftest import login

VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
CASES = {
    "desktop": {"viewport": VIEWPORTS["desktop"]},
    "phone": {"viewport": VIEWPORTS["phone"]},
    "phone-no-js": {"viewport": VIEWPORTS["phone"], "java_script_enabled": False},
}
NEW_PASSWORD = "a-fresh-unusual-passphrase"


def _fits(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


@pytest.mark.parametrize("case", CASES)
def test_a_forgotten_password_is_reset_through_the_e_mailed_link(
    new_page, demo_users, live_server, case
):
    username, old_password = demo_users["Staff"]
    width = CASES[case]["viewport"]["width"]
    page = new_page(**CASES[case])

    # when the staff member asks for a link from the sign-in page
    page.goto("/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    _fits(page, width)
    page.get_by_label("Email").fill(f"{username}@example.com")
    page.get_by_role("button", name="Send the link").click()
    page.get_by_role("heading", name="Check your e-mail").wait_for()
    _fits(page, width)

    # then one e-mail carries a link to this site, which opens the new-password form
    (message,) = mail.outbox
    assert message.to == [f"{username}@example.com"]
    link = re.search(r"https?://\S+/password/reset/\S+/", message.body)[0]
    assert link.startswith(live_server.url)
    page.goto(link)
    _fits(page, width)
    page.get_by_label(re.compile(r"^New password\W*$")).fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set password").click()
    page.get_by_role("heading", name="Password set").wait_for()
    _fits(page, width)

    # then the old password is refused and the new one signs in
    login(page, username, old_password)
    assert page.url.endswith("/login/")
    login(page, username, NEW_PASSWORD)
    assert not page.url.endswith("/login/")
    assert page.locator("a.dropdown-toggle", has_text=username).count() == 1
    assert page.js_errors == []
