"""The API quick sale as a bench scenario: one JSON POST with a Bearer token and a fresh
Idempotency-Key. Stdlib only, like bench/harness.py, so bench/http.py can import it:

    from api.bench_scenario import api_quick_sale, api_token_for
    token = api_token_for(user)                      # once per simulated till
    status, headers, body, seconds = api_quick_sale(
        server.url, token, store_id=store.pk, item_id=item.pk
    )
    ok = status == 201                               # a refusal is 409 application/problem+json

Give the server generous rate limits (API_THROTTLE_CLIENT=100000/min in its env):
a bench sends far more than a till does.
"""

import json
import time
import urllib.error
import urllib.request
import uuid

QUICK_SALE_PATH = "/api/v1/sales-orders/quick/"


def api_token_for(user, name: str = "bench") -> str:
    """Create an API token for `user` (in the bench's Django process); return the raw token."""
    from api.services import api_token_create

    return api_token_create(actor=user, name=name).raw


def api_post(base_url: str, path: str, token: str, payload: dict, *, key=None, timeout=60):
    """POST JSON with the token and an Idempotency-Key (fresh unless given).

    Return (status, lower-cased headers, parsed body, seconds).
    """
    request = urllib.request.Request(
        f"{base_url.rstrip('/')}{path}",
        data=json.dumps(payload).encode(),
        method="POST",
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "Accept": "application/json",
            "Idempotency-Key": key or uuid.uuid4().hex,
        },
    )
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, head, raw = response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        status, head, raw = exc.code, exc.headers, exc.read()
    seconds = time.perf_counter() - started
    try:
        body = json.loads(raw) if raw else {}
    except ValueError:
        body = {"raw": raw[:500].decode("utf-8", "replace")}
    return status, {k.lower(): v for k, v in head.items()}, body, seconds


def api_quick_sale(base_url, token, *, store_id, item_id, quantity="1", key=None, timeout=60):
    """Sell `quantity` of one item at the counter through the API (201, or a 409 problem)."""
    payload = {"store": store_id, "lines": [{"item": item_id, "quantity": str(quantity)}]}
    return api_post(base_url, QUICK_SALE_PATH, token, payload, key=key, timeout=timeout)
