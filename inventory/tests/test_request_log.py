"""Expected refusals (403, 404) are one line in the server log; a 500 keeps its traceback."""

import logging

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, override_settings
from django.urls import path

from inventory_system import errors
from inventory_system.urls import urlpatterns as site_urlpatterns

pytestmark = pytest.mark.django_db


def _refuse(request):
    raise PermissionDenied("This page needs the Admin role.")


def _boom(request):
    raise RuntimeError("a bug")


urlpatterns = [path("test-refuse/", _refuse), path("test-boom/", _boom), *site_urlpatterns]
handler403 = errors.permission_denied
handler500 = errors.server_error


def _request_records(caplog):
    return [r for r in caplog.records if r.name == "django.request"]


@override_settings(ROOT_URLCONF=__name__)
def test_a_403_is_logged_as_one_line_without_a_traceback(caplog, staff_client):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = staff_client.get("/test-refuse/")

    assert response.status_code == 403
    (record,) = _request_records(caplog)
    assert (record.levelname, record.status_code) == ("WARNING", 403)
    assert record.getMessage() == "Forbidden (Permission denied): /test-refuse/"
    assert record.exc_info is None
    assert "Traceback" not in caplog.text


def test_a_role_refusal_on_a_real_page_has_no_traceback(caplog, staff_client):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = staff_client.get("/users/")

    assert response.status_code == 403
    assert [r.exc_info for r in _request_records(caplog)] == [None]
    assert "Traceback" not in caplog.text


def test_a_404_has_no_traceback_either(caplog, staff_client):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = staff_client.get("/no-such-page/")

    assert response.status_code == 404
    assert all(r.exc_info is None for r in _request_records(caplog))
    assert "Traceback" not in caplog.text


@override_settings(ROOT_URLCONF=__name__)
def test_a_500_keeps_its_traceback(caplog, staff_user):
    client = Client(raise_request_exception=False)
    client.force_login(staff_user)

    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/test-boom/")

    assert response.status_code == 500
    (record,) = _request_records(caplog)
    assert record.levelname == "ERROR"
    assert record.exc_info is not None and record.exc_info[0] is RuntimeError
    assert "Traceback" in caplog.text and "RuntimeError: a bug" in caplog.text
