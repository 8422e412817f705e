"""API tokens: made and revoked on a web page, stored hashed, refused when no longer valid."""

import hashlib
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.utils import timezone

from api.models import ApiToken
from api.services import api_token_create
from api.tests.conftest import ApiClient
from inventory.models import AuditEvent

pytestmark = pytest.mark.django_db
ITEMS = "/api/v1/items/"


def test_a_bearer_token_authenticates_as_its_user(staff_user):
    created = api_token_create(actor=staff_user, name="till")

    response = ApiClient(created.raw).get(ITEMS)

    assert response.status_code == 200
    created.token.refresh_from_db()
    assert created.token.last_used_at is not None


def test_the_token_keyword_works_too(staff_user):
    created = api_token_create(actor=staff_user, name="till")

    response = ApiClient().get(ITEMS, Authorization=f"Token {created.raw}")

    assert response.status_code == 200


def test_only_a_sha256_of_the_token_is_stored(staff_user):
    created = api_token_create(actor=staff_user, name="till")

    row = ApiToken.objects.values().get(pk=created.token.pk)

    assert created.raw.startswith("inv_") and len(created.raw) > 40
    assert row["key_hash"] == hashlib.sha256(created.raw.encode()).hexdigest()
    assert created.raw not in str(row)
    assert AuditEvent.objects.filter(action="api_token.create").count() == 1


@pytest.mark.parametrize(
    "header",
    ["Bearer not-a-token", "Bearer", "Bearer a b", "Bearer " + "x" * 300, "Bearer \u00e9t\u00e9"],
)
def test_a_bad_token_is_a_401_problem_with_www_authenticate(db, header):
    response = ApiClient().get(ITEMS, Authorization=header)

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["status"] == 401


def test_no_credentials_is_a_401(anon_api):
    response = anon_api.get(ITEMS)

    assert response.status_code == 401
    assert response.json()["title"] == "Not authenticated"


def test_a_revoked_token_stops_working_at_once(staff_user):
    created = api_token_create(actor=staff_user, name="till")
    client = ApiClient(created.raw)
    assert client.get(ITEMS).status_code == 200

    created.token.revoked_at = timezone.now()
    created.token.save()

    assert client.get(ITEMS).status_code == 401


def test_an_expired_token_is_refused(staff_user):
    created = api_token_create(
        actor=staff_user, name="old", expires_at=timezone.now() + timedelta(seconds=1)
    )
    ApiToken.objects.filter(pk=created.token.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )

    assert ApiClient(created.raw).get(ITEMS).status_code == 401


def test_a_deactivated_users_tokens_stop_working(staff_user):
    created = api_token_create(actor=staff_user, name="till")
    staff_user.is_active = False
    staff_user.save()

    response = ApiClient(created.raw).get(ITEMS)

    assert response.status_code == 401


def test_a_user_without_a_role_is_refused_with_403(roleless_user):
    created = api_token_create(actor=roleless_user, name="x")

    response = ApiClient(created.raw).get(ITEMS)

    assert response.status_code == 403
    assert "awaiting approval" in response.json()["detail"]


def test_a_demoted_user_loses_what_the_role_allowed(manager_user):
    client = ApiClient(api_token_create(actor=manager_user, name="m").raw)
    assert client.get("/api/v1/audit-events/").status_code == 200

    manager_user.groups.set(Group.objects.filter(name="Staff"))

    assert client.get("/api/v1/audit-events/").status_code == 403


def test_the_tokens_page_creates_shows_once_lists_and_revokes(staff_client, staff_user):
    page = staff_client.get("/account/api-tokens/")
    assert page.status_code == 200
    assert 'href="/account/api-tokens/"' in page.content.decode()  # in the user menu

    created = staff_client.post(
        "/account/api-tokens/", {"name": "Till 2", "expires_on": "2099-12-31"}
    )
    html = created.content.decode()
    token = ApiToken.objects.get(user=staff_user)
    raw = html.split('id="new-token-value" class="form-control font-monospace" readonly value="')[1]
    raw = raw.split('"')[0]
    assert created["Cache-Control"] == "no-store"
    assert token.name == "Till 2"
    assert token.expires_at.date().isoformat() in ("2099-12-31", "2100-01-01")
    assert ApiClient(raw).get(ITEMS).status_code == 200

    listed = staff_client.get("/account/api-tokens/").content.decode()
    assert "Till 2" in listed and raw not in listed and token.prefix in listed

    revoked = staff_client.post(f"/account/api-tokens/{token.pk}/revoke/", follow=True)
    assert "revoked" in revoked.content.decode()
    assert ApiClient(raw).get(ITEMS).status_code == 401


def test_a_user_cannot_revoke_anothers_token(staff_client, manager_user):
    other = api_token_create(actor=manager_user, name="theirs")

    response = staff_client.post(f"/account/api-tokens/{other.token.pk}/revoke/")

    assert response.status_code == 404
    other.token.refresh_from_db()
    assert other.token.revoked_at is None


def test_a_blank_name_is_refused_on_the_page(staff_client):
    response = staff_client.post("/account/api-tokens/", {"name": "  "})

    assert response.status_code == 200
    assert ApiToken.objects.count() == 0


@pytest.mark.parametrize(
    ("day", "message"),
    [
        # found by QA: shown as a banner, and the last day of the calendar as "no expiry"
        ("2020-01-01", "The expiry must be in the future."),
        ("9999-12-31", "Choose an earlier day, or none for no expiry."),
    ],
)
def test_a_past_or_endless_last_day_is_refused_on_its_field(staff_client, day, message):
    response = staff_client.post("/account/api-tokens/", {"name": "Till 2", "expires_on": day})

    assert response.status_code == 200
    assert response.context["form"].errors == {"expires_on": [message]}
    assert ApiToken.objects.count() == 0


def test_throttling_answers_429_problem_with_retry_after(settings, staff_user):
    cache.clear()
    rest = dict(settings.REST_FRAMEWORK)
    rest["DEFAULT_THROTTLE_RATES"] = {"api_client": "3/min", "api_anon": "2/min"}
    settings.REST_FRAMEWORK = rest
    client = ApiClient(api_token_create(actor=staff_user, name="busy").raw)
    try:
        statuses = [client.get(ITEMS).status_code for _ in range(3)]
        limited = client.get(ITEMS)
        anon = [ApiClient().get(ITEMS, Authorization="Bearer wrong") for _ in range(3)]
    finally:
        cache.clear()

    assert statuses == [200, 200, 200]
    assert limited.status_code == 429
    assert limited["Content-Type"] == "application/problem+json"
    assert int(limited["Retry-After"]) >= 1
    assert [r.status_code for r in anon] == [401, 401, 429]
