"""An Admin lets a sign-up in, keeps it out, or stops a leaver signing in, at /users/."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from inventory.models import AuditEvent, SalesOrder, StockBalance
from inventory.services.stock import stock_receive

User = get_user_model()
pytestmark = pytest.mark.django_db


def test_an_admin_deactivates_a_sign_up_from_the_users_page(admin_role_client, roleless_user):
    # found by a first-week QA pass: the sign-up e-mail said to deactivate the account
    # on the Users page, which only showed whether it was active
    page = admin_role_client.get("/users/?pending=1").content.decode()
    assert f'action="/users/{roleless_user.pk}/active/"' in page

    response = admin_role_client.post(f"/users/{roleless_user.pk}/active/", {"active": "0"})

    assert response.status_code == 302
    assert User.objects.get(pk=roleless_user.pk).is_active is False
    event = AuditEvent.objects.get(action="user.deactivate", object_id=str(roleless_user.pk))
    assert event.details == {"is_active": [True, False]}
    page = admin_role_client.get(response.url).content.decode()
    assert "pending1 is deactivated: they can no longer sign in." in page


def test_an_admin_activates_a_deactivated_user_again(admin_role_client, roleless_user):
    User.objects.filter(pk=roleless_user.pk).update(is_active=False)

    admin_role_client.post(f"/users/{roleless_user.pk}/active/", {"active": "1"})

    assert User.objects.get(pk=roleless_user.pk).is_active is True
    assert AuditEvent.objects.filter(action="user.activate").count() == 1


def test_the_last_admin_cannot_deactivate_themselves(admin_role_client, admin_role_user):
    response = admin_role_client.post(f"/users/{admin_role_user.pk}/active/", {"active": "0"})

    assert User.objects.get(pk=admin_role_user.pk).is_active is True
    assert not AuditEvent.objects.filter(action="user.deactivate").exists()
    page = admin_role_client.get(response.url).content.decode()
    assert "admin1" in page and "last active Admin" in page


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_manager_cannot_deactivate_anyone_and_get_changes_nothing(
    manager_client, admin_role_client, roleless_user, method
):
    response = getattr(manager_client, method)(
        f"/users/{roleless_user.pk}/active/", {"active": "0"}
    )
    assert response.status_code in (403, 405)
    assert admin_role_client.get(f"/users/{roleless_user.pk}/active/").status_code == 405
    assert User.objects.get(pk=roleless_user.pk).is_active is True


def test_an_unknown_user_is_404(admin_role_client):
    assert admin_role_client.post("/users/999999/active/", {"active": "0"}).status_code == 404


def _quick_sale_of_one(item, store, key):
    return {
        "idempotency_key": key,
        "store": store.pk,
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-0-item_q": item.sku,
        "lines-0-quantity": "1",
        "lines-0-unit_price": "2.00",
    }


@pytest.mark.parametrize(
    ("change", "sent_to"),
    [("deactivate", "/login/?next=/sales/quick/"), ("remove the role", "/awaiting-approval/")],
)
def test_a_user_signed_in_elsewhere_cannot_post_stock_once_deactivated_or_demoted(
    admin_role_client, staff_client, staff_user, manager_user, item, store, change, sent_to
):
    # given a Staff member signed in on the shop's till, with the quick sale open
    stock_receive(actor=manager_user, item=item, store=store, quantity=5)
    assert staff_client.get("/sales/quick/").status_code == 200

    # when an Admin, in another browser, deactivates them or removes their role
    if change == "deactivate":
        admin_role_client.post(f"/users/{staff_user.pk}/active/", {"active": "0"})
    else:
        admin_role_client.post(f"/users/{staff_user.pk}/role/", {"role": "0"})
    response = staff_client.post("/sales/quick/", _quick_sale_of_one(item, store, "till-1"))

    # then the till's next sale is refused and no stock moves
    assert (response.status_code, response["Location"]) == (302, sent_to)
    assert SalesOrder.objects.count() == 0
    assert StockBalance.objects.get(item=item, store=store).on_hand == Decimal("5.000")
