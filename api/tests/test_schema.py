"""The OpenAPI schema generates cleanly; its docs are served from static files under the CSP."""

import json
import re

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command

from inventory.tests.test_security import inline_scripts
from inventory_system.middleware import CONTENT_SECURITY_POLICY

pytestmark = pytest.mark.django_db


def test_the_schema_generates_with_no_warning_and_validates(tmp_path):
    # --fail-on-warn makes any warning (an unresolvable field, a missing type) an error.
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))

    schema = yaml.safe_load(target.read_text())
    assert schema["openapi"].startswith("3.")
    assert all(path.startswith("/api/v1/") for path in schema["paths"])
    assert schema["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_every_stock_post_requires_the_idempotency_key_in_the_schema(staff_client):
    schema = yaml.safe_load(staff_client.get("/api/schema/").content)
    moving = {
        "/api/v1/sales-orders/quick/",
        "/api/v1/sales-orders/{id}/confirm/",
        "/api/v1/sales-orders/{id}/ship/",
        "/api/v1/sales-orders/{id}/cancel/",
        "/api/v1/sales-orders/{id}/returns/",
        "/api/v1/purchase-orders/{id}/receive/",
        "/api/v1/purchase-orders/direct/",
        "/api/v1/transfers/",
        "/api/v1/adjustments/",
        "/api/v1/stock-counts/",
        "/api/v1/movements/{id}/reverse/",
    }
    required = {
        path
        for path, item in schema["paths"].items()
        for param in item.get("post", {}).get("parameters", [])
        if param["name"] == "Idempotency-Key" and param.get("required")
    }

    assert required == moving
    problem = schema["paths"]["/api/v1/sales-orders/quick/"]["post"]["responses"]["409"]
    assert list(problem["content"]) == ["application/problem+json"]


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_the_docs_pages_use_only_static_scripts_under_the_strict_csp(staff_client, path):
    response = staff_client.get(path)
    html = response.content.decode()

    assert response.status_code == 200
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY
    assert inline_scripts(html) == []
    sources = re.findall(r'<script src="/static/([^"]+)"', html)
    assert sources and all(finders.find(source) for source in sources)
    assert "http" not in " ".join(re.findall(r'(?:src|href)="([^"]+)"', html))
    assert 'data-schema-url="/api/schema/"' in html


def test_the_schema_is_served_as_json_too(staff_client):
    response = staff_client.get("/api/schema/?format=json")

    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Inventory API"


def test_the_browsable_api_works_with_a_session_and_refuses_a_post_without_csrf(
    staff_user, store, item
):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(staff_user)

    page = browser.get("/api/v1/items/", headers={"Accept": "text/html"})
    refused = browser.post(
        "/api/v1/sales-orders/",
        json.dumps({"store": store.pk, "lines": [{"item": item.pk, "quantity": "1"}]}),
        content_type="application/json",
    )

    assert page.status_code == 200 and b"SKU-0042" in page.content
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]


def test_a_store_s_stock_documents_only_the_parameters_it_reads(staff_client):
    # Found by an integrator's QA pass: `?store=` was documented there and not read.
    schema = yaml.safe_load(staff_client.get("/api/schema/").content)
    operation = schema["paths"]["/api/v1/stock/by_store/{store_id}/"]["get"]
    names = {param["name"] for param in operation["parameters"]}

    assert "store" not in names
    assert {"store_id", "item", "q", "low"} <= names
