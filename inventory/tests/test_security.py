"""Security settings seen from outside: password rules, sessions, headers, no inline script."""

from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from inventory_system.middleware import CONTENT_SECURITY_POLICY

pytestmark = pytest.mark.django_db


class ScriptCollector(HTMLParser):
    """Collect every <script>: its attributes and whether it has a body."""

    def __init__(self):
        super().__init__()
        self.scripts: list[dict] = []
        self._current = None

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self._current = {"attrs": dict(attrs), "body": ""}
            self.scripts.append(self._current)
        elif self._current is None:
            for name, _ in attrs:
                if name.lower().startswith("on"):
                    self.scripts.append({"attrs": {"inline-handler": name}, "body": name})

    def handle_data(self, data):
        if self._current is not None:
            self._current["body"] += data

    def handle_endtag(self, tag):
        if tag == "script":
            self._current = None


def inline_scripts(html: str) -> list[dict]:
    """Return scripts that CSP `script-src 'self'` would block: inline code and on* handlers.

    json_script tags (type application/json) are data, not code, and are allowed.
    """
    parser = ScriptCollector()
    parser.feed(html)
    return [
        s
        for s in parser.scripts
        if s["attrs"].get("type") != "application/json"
        and ("src" not in s["attrs"] or s["body"].strip())
    ]


def test_inline_script_detector_finds_what_csp_would_block():
    html = (
        '<script src="/static/a.js"></script>'
        '<script type="application/json" id="d">{"a": 1}</script>'
        "<script>alert(1)</script>"
        '<button onclick="go()">x</button>'
    )

    found = inline_scripts(html)

    assert [s["body"] for s in found] == ["alert(1)", "onclick"]


PAGES = [
    (None, "/login/"),
    (None, "/register/"),
    ("roleless", "/awaiting-approval/"),
    ("roleless", "/password/"),
    ("staff", "/"),
    ("manager", "/audit/"),
    ("manager", "/alerts/"),
    ("admin", "/users/"),
]


@pytest.mark.parametrize(("who", "url"), PAGES)
def test_pages_send_the_csp_and_have_no_inline_script(
    client, who, url, roleless_user, staff_user, manager_user, admin_role_user
):
    users = {
        "roleless": roleless_user,
        "staff": staff_user,
        "manager": manager_user,
        "admin": admin_role_user,
    }
    if who:
        client.force_login(users[who])

    response = client.get(url, follow=True)

    assert response.status_code == 200
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY.split("script-src")[1].split(";")[0]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert inline_scripts(response.content.decode()) == []


def test_a_weak_password_is_refused_at_registration(client):
    response = client.post(
        "/register/",
        {
            "username": "newcomer",
            "email": "newcomer@example.com",
            "password1": "12345678",
            "password2": "12345678",
        },
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "This password is too short. It must contain at least 10 characters." in html
    assert "This password is too common." in html
    assert "This password is entirely numeric." in html
    assert not get_user_model().objects.filter(username="newcomer").exists()


def test_a_password_like_the_username_is_refused(client):
    response = client.post(
        "/register/",
        {
            "username": "warehouse-keeper",
            "email": "keeper@example.com",
            "password1": "warehouse-keeper1",
            "password2": "warehouse-keeper1",
        },
    )

    assert "The password is too similar to the username." in response.content.decode()
    assert not get_user_model().objects.filter(username="warehouse-keeper").exists()


def test_a_strong_password_is_accepted_at_registration(client):
    response = client.post(
        "/register/",
        {
            "username": "newcomer",
            "email": "newcomer@example.com",
            "password1": "plum-orbit-gravel-42",
            "password2": "plum-orbit-gravel-42",
        },
    )

    assert response.status_code == 302
    assert get_user_model().objects.filter(username="newcomer").exists()


def test_sessions_expire_and_cookies_are_not_readable_by_script():
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.CSRF_COOKIE_HTTPONLY is True


def test_session_cookie_is_httponly_and_expires_at_browser_close(client, staff_user):
    from accounts.tests.factories import PASSWORD

    response = client.post("/login/", {"username": "staff1", "password": PASSWORD})

    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["max-age"] == ""  # a browser-session cookie
    assert cookie["samesite"] == "Lax"


def test_logout_by_get_is_refused_and_keeps_the_session(staff_client):
    response = staff_client.get("/logout/")

    assert response.status_code == 405
    assert staff_client.get("/").status_code == 200


def test_forms_are_refused_without_a_csrf_token(staff_user):
    from django.test import Client

    from accounts.tests.factories import PASSWORD

    client = Client(enforce_csrf_checks=True)

    response = client.post("/login/", {"username": "staff1", "password": PASSWORD})

    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


# --- client address behind a reverse proxy -----------------------------------------------


def _request(remote="10.0.0.5", forwarded=None):
    from django.test import RequestFactory

    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_forwarded_for_is_ignored_when_not_behind_a_proxy(settings):
    from inventory.services.actor import client_ip

    settings.SECURE_PROXY_SSL_HEADER = None

    assert client_ip(_request(forwarded="203.0.113.9")) == "10.0.0.5"


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("203.0.113.9", "203.0.113.9"),
        # a client-sent value sits left of what our proxy appended: not trusted
        ("6.6.6.6, 203.0.113.9", "203.0.113.9"),
        # garbage never reaches the audit trail's IP column
        ("not-an-ip", "10.0.0.5"),
        ("", "10.0.0.5"),
    ],
)
def test_behind_one_proxy_the_client_is_the_address_it_appended(settings, forwarded, expected):
    from inventory.services.actor import client_ip

    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.AXES_IPWARE_PROXY_COUNT = None

    assert client_ip(_request(forwarded=forwarded)) == expected


def test_behind_two_proxies_the_client_is_second_from_the_right(settings):
    from inventory.services.actor import client_ip

    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.AXES_IPWARE_PROXY_COUNT = 2

    assert client_ip(_request(forwarded="6.6.6.6, 203.0.113.9, 10.0.0.2")) == "203.0.113.9"


def test_a_forged_forwarded_header_does_not_break_a_login(client, settings, staff_user):
    from accounts.tests.factories import PASSWORD
    from inventory.models import AuditEvent

    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

    response = client.post(
        "/login/",
        {"username": "staff1", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.5",
        HTTP_X_FORWARDED_FOR="<script>",
    )

    assert response.status_code == 302
    assert AuditEvent.objects.get(action="auth.login").ip_address == "10.0.0.5"
