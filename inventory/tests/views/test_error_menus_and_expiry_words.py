"""Wording and navigation faults found by the browser QA pass: error pages that know the
user, the stock page saying what "Expiring soon" counts, a lot that expires today."""

import datetime

import pytest
from django.template import loader
from django.utils import timezone

from inventory.models import Lot
from inventory.services.stock import stock_receive

pytestmark = pytest.mark.django_db

CONTEXT = {"status": 403, "title": "Not allowed", "message": "This page needs the Admin role."}


def test_an_error_page_rendered_with_its_request_shows_the_users_own_menu(rf, manager_user):
    # given a manager's request, as a 403 handler with the request would render it
    request = rf.get("/users/")
    request.user = manager_user

    # when the error page is rendered with it
    body = loader.get_template("errors/403.html").render(CONTEXT, request)

    # then it has the site's navigation with their menu, and no "Log in"
    assert 'data-testid="main-nav"' in body and 'data-testid="error-nav"' in body
    assert 'data-testid="role-badge">Manager<' in body
    assert ">manager1<" in body and "Log out" in body
    assert 'href="/login/"' not in body
    assert 'href="/dashboard/"' in body


def test_an_error_page_without_a_request_keeps_its_minimal_collapsing_bar():
    # given the plain context a 500 page renders with (no database, no user)
    body = loader.get_template("errors/500.html").render({**CONTEXT, "status": 500})

    # then the bar links the main pages, collapses on a phone and claims no sign-in state
    assert 'data-testid="error-nav"' in body and 'href="/items/"' in body
    assert 'data-bs-toggle="collapse"' in body and "navbar-expand-xl" in body
    assert 'href="/login/"' not in body and "main-nav" not in body


def test_a_403_for_a_signed_in_manager_shows_their_menu(manager_client):
    response = manager_client.get("/users/")

    body = response.content.decode()
    assert response.status_code == 403
    assert 'data-testid="role-badge">Manager<' in body
    assert 'href="/login/"' not in body


def test_the_stock_page_says_expiring_soon_counts_available_stock(manager_client):
    body = manager_client.get("/stock/").content.decode()

    heading = body.split('data-testid="near-expiry-heading">', 1)[1].split("</th>", 1)[0]
    assert heading.startswith("Expiring soon<") and ">available" in heading
    assert 'title="Available stock (QC-approved, not expired) that expires within' in body


def test_the_stock_page_names_the_expiry_window(manager_client, settings):
    settings.NEAR_EXPIRY_DAYS = 21

    body = manager_client.get("/stock/").content.decode()

    assert "that expires within 21 days" in body
    assert ">available, 21 d</span>" in body


def test_a_lot_expiring_today_says_expires_today(manager_client, manager_user, item, store):
    today = timezone.localdate()
    stock_receive(
        actor=manager_user, item=item, store=store, quantity="3", lot_code="T", expires_on=today
    )
    stock_receive(
        actor=manager_user,
        item=item,
        store=store,
        quantity="2",
        lot_code="TOMORROW",
        expires_on=today + datetime.timedelta(days=1),
    )

    body = manager_client.get(f"/items/{item.pk}/").content.decode()

    assert body.count("text-bg-warning") >= 2  # both lots are badged as expiring
    assert "Expires today</span>" in body
    assert "Expires in 0 d" not in body
    assert "Expires tomorrow</span>" in body


def test_the_dashboard_words_a_lot_expiring_today_as_the_item_page_does(
    manager_client, manager_user, item, store
):
    # Found: the dashboard's near-expiry list said "Soon" where the item page said
    # "Expires today"; both now use the expiry_badge tags.
    today = timezone.localdate()
    stock_receive(
        actor=manager_user, item=item, store=store, quantity="3", lot_code="T", expires_on=today
    )
    stock_receive(
        actor=manager_user,
        item=item,
        store=store,
        quantity="1",
        lot_code="OLD",
        expires_on=today,
    )
    Lot.objects.filter(code="OLD").update(expires_on=today - datetime.timedelta(days=2))

    body = manager_client.get("/dashboard/").content.decode()
    expiring = body[body.index('data-testid="expiring"') :].split("</table>")[0]

    assert '<span class="badge text-bg-warning">Expires today</span>' in expiring
    assert '<span class="badge text-bg-danger">Expired</span>' in expiring
    assert "Soon" not in expiring
