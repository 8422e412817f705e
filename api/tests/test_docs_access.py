"""The schema, Swagger UI and Redoc need a signed-in user with a role or a valid API token,
unless API_DOCS_PUBLIC opens them to everyone."""

import pytest
from django.test import Client

from inventory.tests.test_settings_env import _settings

pytestmark = pytest.mark.django_db
PAGES = ["/api/docs/", "/api/redoc/"]
SCHEMAS = ["/api/schema/", "/api/schema/?format=json"]


@pytest.mark.parametrize("path", PAGES)
def test_an_anonymous_visitor_of_a_docs_page_is_sent_to_sign_in(client, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response.url == f"/login/?next={path}"


@pytest.mark.parametrize("path", SCHEMAS)
def test_an_anonymous_schema_request_is_a_401_problem(client, path):
    response = client.get(path)

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json()["title"] == "Not authenticated"
    assert b"openapi" not in response.content


def test_a_bad_token_gets_no_schema_and_no_docs_page(client):
    bad = {"Authorization": "Bearer inv_not-a-token"}

    schema = client.get("/api/schema/", headers=bad)
    page = client.get("/api/docs/", headers=bad)

    assert schema.status_code == 401 and schema["Content-Type"] == "application/problem+json"
    assert page.status_code == 302 and page.url == "/login/?next=/api/docs/"


@pytest.mark.parametrize("path", PAGES + SCHEMAS)
def test_a_signed_in_user_gets_the_docs_and_the_schema(staff_client, path):
    response = staff_client.get(path)

    assert response.status_code == 200
    assert (b"openapi" in response.content) == path.startswith("/api/schema/")


@pytest.mark.parametrize("path", PAGES + SCHEMAS)
def test_a_valid_token_gets_the_docs_and_the_schema(staff_api, path):
    response = staff_api.get(path)

    assert response.status_code == 200


def test_a_user_without_a_role_is_refused_like_on_the_rest_of_the_api(client, roleless_user):
    client.force_login(roleless_user)

    page = client.get("/api/docs/")
    schema = client.get("/api/schema/")

    assert page.status_code == 302 and page.url == "/awaiting-approval/"
    assert schema.status_code == 403 and schema["Content-Type"] == "application/problem+json"
    assert "awaiting approval" in schema.json()["detail"]


@pytest.mark.parametrize("path", PAGES + SCHEMAS)
def test_api_docs_public_opens_them_to_everyone(client, settings, path):
    settings.API_DOCS_PUBLIC = True

    anonymous = client.get(path)
    stale_token = client.get(path, headers={"Authorization": "Bearer inv_revoked"})

    assert (anonymous.status_code, stale_token.status_code) == (200, 200)


def test_api_docs_public_is_read_from_the_environment_off_by_default():
    def public(**variables) -> bool:  # a Django of its own, with only these variables set
        return _settings(["API_DOCS_PUBLIC"], DEBUG="1", **variables)["API_DOCS_PUBLIC"]

    assert (public(), public(API_DOCS_PUBLIC=""), public(API_DOCS_PUBLIC=" ")) == (False,) * 3
    assert (public(API_DOCS_PUBLIC="1"), public(API_DOCS_PUBLIC="0")) == (True, False)


def test_the_browser_follows_the_login_back_to_the_docs(staff_user):
    browser = Client()
    sent = browser.get("/api/docs/")
    browser.force_login(staff_user)

    back = browser.get(sent.url.split("next=", 1)[1])

    assert back.status_code == 200 and b'data-schema-url="/api/schema/"' in back.content
