"""A staff member makes an API token in the browser, a till uses it, then it is revoked;
Swagger UI and Redoc render under the strict Content-Security-Policy, once signed in."""

from decimal import Decimal

from api.bench_scenario import api_quick_sale
from inventory.selectors.stock import stock_available
from inventory.services.stock import stock_receive
from inventory.tests.factories import ItemFactory, StoreFactory

from .conftest import login


def test_a_token_is_made_shown_once_used_by_a_till_and_revoked(page, demo_users, live_server):
    from django.contrib.auth import get_user_model

    staff = get_user_model().objects.get(username=demo_users["Staff"][0])
    store, item = StoreFactory(code="MAIN", name="Main Store"), ItemFactory(sku="TILL-1")
    stock_receive(actor=staff, item=item, store=store, quantity=5)
    login(page, *demo_users["Staff"])

    # when the user opens "API tokens" from their menu and creates one
    page.locator("a.dropdown-toggle", has_text=staff.username).click()
    page.get_by_role("link", name="API tokens").click()
    page.get_by_label("Name").fill("Till 1")
    page.get_by_role("button", name="Create token").click()

    # then the token is shown once, and a till can sell with it
    raw = page.get_by_label("New token").input_value()
    assert raw.startswith("inv_")
    status, _, body, _ = api_quick_sale(live_server.url, raw, store_id=store.pk, item_id=item.pk)
    assert (status, body["order"]["status"]) == (201, "SHIPPED")
    assert stock_available(item=item, store=store) == Decimal("4")
    page.goto("/account/api-tokens/")
    assert raw not in page.content()
    row = page.get_by_role("row", name="Till 1")
    assert "active" in row.inner_text() and "never" not in row.inner_text()  # last used shown

    # when it is revoked, the till is refused
    row.get_by_role("button", name="Revoke Till 1").click()
    assert "revoked" in page.get_by_role("row", name="Till 1").inner_text()
    status, _, _, _ = api_quick_sale(live_server.url, raw, store_id=store.pk, item_id=item.pk)
    assert status == 401
    assert page.js_errors == []


def test_swagger_ui_and_redoc_render_with_no_csp_violation(page, demo_users):
    # an anonymous visitor is sent to sign in first, then back to the docs
    page.goto("/api/docs/")
    assert page.url.endswith("/login/?next=/api/docs/")
    page.get_by_label("Username").fill(demo_users["Staff"][0])
    page.get_by_label("Password").fill(demo_users["Staff"][1])
    page.get_by_role("button", name="Log in").click()
    page.locator(".opblock").first.wait_for()
    assert page.url.endswith("/api/docs/")
    assert page.locator(".opblock").count() > 60
    page.goto("/api/redoc/")
    page.get_by_role("heading", name="Inventory API (1.0.0)").wait_for()
    # Redoc's "powered by" logo comes from its CDN: the CSP blocks it, as it should.
    blocked = [e for e in page.js_errors if "Content Security Policy" in e]
    assert all("cdn.redoc.ly" in e for e in blocked), blocked
