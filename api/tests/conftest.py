"""Fixtures of the API tests: a token per role and a small JSON client that carries it."""

import json
import uuid

import pytest
from django.core.cache import cache
from django.test import Client

from api.services import api_token_create


class ApiClient:
    """JSON over the Django test client, with a bearer token and optional Idempotency-Key."""

    def __init__(self, raw_token: str | None = None):
        self.client = Client()
        self.raw_token = raw_token

    def _headers(self, key=None, headers=None) -> dict:
        result = {}
        if self.raw_token:
            result["Authorization"] = f"Bearer {self.raw_token}"
        if key is not None:
            result["Idempotency-Key"] = key
        result.update(headers or {})
        return result

    def get(self, path, params=None, **headers):
        return self.client.get(path, params or {}, headers=self._headers(headers=headers))

    def send(self, method, path, data=None, *, key=None, headers=None):
        body = data if isinstance(data, str | bytes) else json.dumps(data or {}, default=str)
        return getattr(self.client, method)(
            path, body, content_type="application/json", headers=self._headers(key, headers)
        )

    def post(self, path, data=None, *, key=None, headers=None):
        return self.send("post", path, data, key=key, headers=headers)

    def stock_post(self, path, data=None, **kwargs):
        """POST with a fresh Idempotency-Key (the usual case)."""
        return self.post(path, data, key=str(uuid.uuid4()), **kwargs)

    def put(self, path, data=None, **kwargs):
        return self.send("put", path, data, **kwargs)

    def patch(self, path, data=None, **kwargs):
        return self.send("patch", path, data, **kwargs)


@pytest.fixture(autouse=True)
def _generous_rate_limits(settings):
    """Tests make many calls a minute from one address; the throttling test sets its own."""
    rest = dict(settings.REST_FRAMEWORK)
    rest["DEFAULT_THROTTLE_RATES"] = {"api_client": "100000/min", "api_anon": "100000/min"}
    settings.REST_FRAMEWORK = rest
    cache.clear()
    yield
    cache.clear()


def client_for(user) -> ApiClient:
    return ApiClient(api_token_create(actor=user, name=f"{user.username} tests").raw)


@pytest.fixture
def staff_api(staff_user):
    return client_for(staff_user)


@pytest.fixture
def manager_api(manager_user):
    return client_for(manager_user)


@pytest.fixture
def admin_api(admin_role_user):
    return client_for(admin_role_user)


@pytest.fixture
def anon_api(db):
    return ApiClient()
