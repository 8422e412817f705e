"""Error pages are styled, with navigation and a human message, and a database outage
gets a 503 with Retry-After instead of a bare "Server Error (500)"."""

import pytest
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import path

from inventory_system import errors
from inventory_system.urls import urlpatterns as site_urlpatterns


def _boom(request):
    raise RuntimeError("a bug")


def _fine(request):
    return HttpResponse("fine")


urlpatterns = [
    path("test-boom/", _boom),
    path("test-fine/", _fine),
    *site_urlpatterns,
]
handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error


class DatabaseGoneMiddleware:
    """Outside every other middleware: the database fails before any view runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raise OperationalError('connection to server at "db.internal", port 5432 failed')


def assert_styled(response, status: int, message: str) -> str:
    body = response.content.decode()
    assert response.status_code == status
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert 'data-testid="error-page"' in body
    assert "vendor/bootstrap/bootstrap.min.css" in body  # styled like every page
    assert 'data-testid="error-nav"' in body and 'href="/items/"' in body  # navigation
    assert f"Error {status}" in body
    assert message in body
    return body


def _break_the_database(monkeypatch, exc_class=OperationalError):
    def refused(*args, **kwargs):
        raise exc_class('connection to server at "db.internal" (10.0.0.5), port 5432 failed')

    monkeypatch.setattr(connection, "cursor", refused)


@pytest.mark.django_db
@pytest.mark.parametrize("exc_class", [OperationalError, InterfaceError])
def test_a_database_outage_during_a_page_gets_a_styled_503_with_retry_after(
    staff_user, monkeypatch, exc_class
):
    # given a signed-in user, and then the database stops answering
    client = Client(raise_request_exception=False)
    client.force_login(staff_user)
    _break_the_database(monkeypatch, exc_class)

    # when they open a page that reads it
    response = client.get("/items/")

    # then a styled 503 says so, and when to retry; the driver's message is not shown
    body = assert_styled(response, 503, "The inventory database is not answering right now.")
    assert response["Retry-After"] == str(errors.RETRY_AFTER)
    assert "db.internal" not in body and "5432" not in body


@pytest.mark.django_db
@override_settings(
    ROOT_URLCONF=__name__,
    MIDDLEWARE=["inventory.tests.test_error_pages.DatabaseGoneMiddleware"],
)
def test_a_database_outage_outside_any_view_gets_the_same_503():
    # The failure is raised by a middleware, so it reaches handler500, which answers 503.
    response = Client(raise_request_exception=False).get("/test-fine/")

    assert_styled(response, 503, "The inventory database is not answering right now.")
    assert response["Retry-After"] == str(errors.RETRY_AFTER)


def test_the_500_and_503_pages_render_without_the_database(rf):
    # Not a django_db test: any query here would fail the test.
    request = rf.get("/items/")
    assert_styled(errors.unavailable(), 503, "not answering")
    assert_styled(errors.server_error(request), 500, "The server hit an error")
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        assert_styled(errors.server_error(request), 503, "not answering")


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_an_unexpected_error_gets_the_styled_500_page():
    response = Client(raise_request_exception=False).get("/test-boom/")

    body = assert_styled(response, 500, "The server hit an error and could not finish")
    assert "Retry-After" not in response
    assert "a bug" not in body


@pytest.mark.django_db
def test_a_missing_page_gets_the_styled_404_page(staff_client):
    response = staff_client.get("/no-such-page/")

    assert_styled(response, 404, "There is no page at this address")


@pytest.mark.django_db
def test_a_missing_document_gets_the_styled_404_page(staff_client):
    response = staff_client.get("/sales/999999999/")

    assert_styled(response, 404, "There is no page at this address")


@pytest.mark.django_db
def test_a_page_above_the_role_gets_the_styled_403_page_naming_the_role(staff_client):
    response = staff_client.get("/dashboard/")

    assert_styled(response, 403, "This page needs the Manager role.")


@pytest.mark.django_db
def test_a_post_without_its_csrf_token_gets_the_styled_403_page(staff_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)

    response = client.post("/sales/quick/", {"store": "1"})

    assert_styled(response, 403, "This form has expired or was sent from another site")


@pytest.mark.django_db
def test_a_nul_byte_gets_the_styled_400_page(staff_client):
    response = staff_client.get("/items/", {"q": "a\x00b"})

    assert_styled(response, 400, "a character (NUL) that no field accepts")


@pytest.mark.django_db
def test_too_many_fields_get_the_styled_400_page(staff_client, settings):
    fields = {f"f{i}": "x" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}

    response = staff_client.post("/sales/quick/", fields)

    assert_styled(response, 400, "The form sent more fields than any page of this site has.")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "kwargs"),
    [
        ("/login/", {"data": '{"username": "a\\u0000b"}', "content_type": "application/json"}),
        ("/items/%00/", {}),
    ],
)
def test_a_nul_byte_in_a_json_body_or_the_path_gets_the_400_page(path, kwargs):
    response = Client().post(path, **kwargs)

    assert_styled(response, 400, "a character (NUL) that no field accepts")


@pytest.mark.django_db
def test_a_nul_byte_typed_into_a_form_is_refused_next_to_its_field(manager_client):
    from inventory.models import Customer

    data = {"name": "Nul\x00Name", "email": "nul@example.com", "phone": "", "address": ""}

    response = manager_client.post("/customers/new/", data)

    assert response.status_code == 200
    assert response.context["form"].errors["name"] == ["Null characters are not allowed."]
    assert 'value="nul@example.com"' in response.content.decode()  # what was typed is kept
    assert not Customer.objects.exists()


@pytest.mark.django_db
def test_a_nul_byte_in_the_login_form_is_a_refused_login(client):
    response = client.post("/login/", {"username": "a\x00b", "password": "x"})

    assert response.status_code == 200
    assert response.context["form"].errors
