"""A page asked for with a method it does not take answers the styled 405 page, keeping
its Allow header; the API keeps its own problem+json answer."""

import pytest

from inventory.tests.test_error_pages import assert_styled

pytestmark = pytest.mark.django_db


def test_get_logout_answers_the_styled_page_with_allow(staff_client):
    response = staff_client.get("/logout/")

    body = assert_styled(response, 405, "This address exists, but not for what the browser")
    assert "(GET)" in body
    assert "POST" in response["Allow"]
    assert 'href="/login/"' not in body  # the signed-in user's own menu, not the anonymous one
    assert staff_client.get("/").status_code == 200  # and still signed in


def test_get_on_a_post_only_page_answers_the_styled_page(admin_role_client, admin_role_user):
    response = admin_role_client.get(f"/users/{admin_role_user.pk}/role/")

    assert_styled(response, 405, "Not available this way")
    assert response["Allow"] == "POST"


def test_post_to_healthz_answers_the_styled_page_to_anyone(client):
    response = client.post("/healthz")

    body = assert_styled(response, 405, "(POST)")
    assert response["Allow"] == "GET, HEAD"
    assert 'href="/login/"' in body
    assert "Content-Security-Policy" in response


def test_the_api_keeps_its_problem_answer(manager_client):
    response = manager_client.delete("/api/v1/audit-events/")

    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 405
    assert "error-page" not in response.content.decode()
