"""An Admin lists every user's API tokens in the Django admin and revokes them there
(found by QA: only deactivating the user could cut off a lost till's token)."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

from api.models import ApiToken
from api.services import api_token_create, api_token_revoke
from api.tests.conftest import ApiClient
from inventory.exceptions import InventoryError
from inventory.models import AuditEvent

pytestmark = pytest.mark.django_db
TOKENS = "/admin/api/apitoken/"


def test_an_admin_revokes_another_users_token_in_the_admin(
    admin_role_client, admin_role_user, staff_user
):
    # given a till's token of a Staff user, which works
    till = api_token_create(actor=staff_user, name="Till 2")
    assert ApiClient(till.raw).get("/api/v1/items/").status_code == 200

    # when an Admin lists the tokens and revokes it
    listing = admin_role_client.get(TOKENS)
    response = admin_role_client.post(
        TOKENS,
        {"action": "revoke_selected", ACTION_CHECKBOX_NAME: [till.token.pk], "index": 0},
    )

    # then it is listed (never its hash), revoked, audited, and stops working at once
    assert listing.status_code == 200
    assert "Till 2" in listing.content.decode()
    assert till.token.key_hash not in listing.content.decode()
    assert response.status_code == 302
    assert ApiToken.objects.get(pk=till.token.pk).revoked_at is not None
    event = AuditEvent.objects.get(action="api_token.revoke")
    assert event.actor == admin_role_user
    assert ApiClient(till.raw).get("/api/v1/items/").status_code == 401


def test_a_user_below_admin_still_revokes_only_their_own(staff_user, manager_user):
    other = api_token_create(actor=staff_user, name="Till 3")

    with pytest.raises(InventoryError, match="is another user's; only an Admin can revoke it"):
        api_token_revoke(actor=manager_user, token=other.token)

    assert ApiToken.objects.get(pk=other.token.pk).revoked_at is None


def test_the_token_admin_adds_and_changes_nothing(admin_role_client, staff_user):
    token = api_token_create(actor=staff_user, name="Till 4").token

    assert admin_role_client.get(f"{TOKENS}add/").status_code == 403
    posted = admin_role_client.post(f"{TOKENS}{token.pk}/change/", {"name": "renamed"})

    assert posted.status_code == 403
    assert ApiToken.objects.get(pk=token.pk).name == "Till 4"
