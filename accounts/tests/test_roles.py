import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory

from accounts.permissions import role_required
from accounts.roles import Role, user_role
from accounts.tests.factories import UserFactory


@role_required(Role.MANAGER)
def manager_only(request):
    return HttpResponse("ok")


@pytest.mark.django_db
def test_role_groups_exist_with_permissions_from_the_design():
    groups = {
        g.name: set(g.permissions.values_list("codename", flat=True)) for g in Group.objects.all()
    }

    assert {"Staff", "Manager", "Admin"} <= set(groups)
    assert "view_item" in groups["Staff"] and "change_item" not in groups["Staff"]
    assert {"change_item", "change_lot", "view_auditevent"} <= groups["Manager"]
    assert {"change_user"} <= groups["Admin"] and "change_user" not in groups["Manager"]
    # No role may edit a stock figure or a ledger row.
    for perms in groups.values():
        assert not perms & {"change_ledgerentry", "delete_ledgerentry", "change_stockbalance"}


@pytest.mark.django_db
def test_superuser_counts_as_admin_and_highest_group_wins():
    superuser = UserFactory(username="root")
    superuser.is_superuser = True
    both = UserFactory(username="both", role="Staff")
    both.groups.add(Group.objects.get(name="Manager"))

    assert user_role(superuser) is Role.ADMIN
    assert user_role(both) is Role.MANAGER


@pytest.mark.django_db
def test_role_required_refuses_lower_roles_with_403(staff_user, manager_user):
    request = RequestFactory().get("/x/")
    request.user = staff_user
    with pytest.raises(PermissionDenied):
        manager_only(request)

    request.user = manager_user
    assert manager_only(request).content == b"ok"


@pytest.mark.django_db
def test_deactivated_user_has_no_role(staff_user):
    staff_user.is_active = False

    assert user_role(staff_user) is Role.NONE
