"""inventory.W003: a production site without SITE_URL sends e-mails without links."""

from django.core.checks import Warning, run_checks
from django.test import override_settings

from inventory.checks import check_site_url


@override_settings(DEBUG=False, SITE_URL="")
def test_warns_when_debug_is_off_and_site_url_is_unset():
    warnings = check_site_url(None)

    assert [(w.id, type(w)) for w in warnings] == [("inventory.W003", Warning)]
    assert warnings[0].msg == (
        "SITE_URL is not set: the e-mails the app sends (low-stock alerts, sign-ups "
        "waiting for a role, approvals) will carry no links to the site."
    )
    assert "SITE_URL" in warnings[0].hint


@override_settings(DEBUG=False, SITE_URL="https://stock.example.com")
def test_is_quiet_when_site_url_is_set():
    assert check_site_url(None) == []


@override_settings(DEBUG=True, SITE_URL="")
def test_is_quiet_in_development():
    # DEBUG on: a developer's console e-mails need no link.
    assert check_site_url(None) == []


@override_settings(DEBUG=False, SITE_URL="")
def test_manage_py_check_reports_it():
    assert "inventory.W003" in [message.id for message in run_checks()]


@override_settings(DEBUG=False, SITE_URL="https://stock.example.com")
def test_manage_py_check_is_quiet_with_site_url():
    assert "inventory.W003" not in [message.id for message in run_checks()]
