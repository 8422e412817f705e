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


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("groups", "superuser", "expected"),
    [
        ((), False, Role.NONE),
        (("Staff",), False, Role.STAFF),
        (("Staff", "Manager"), False, Role.MANAGER),
        (("Admin", "Staff"), False, Role.ADMIN),
        ((), True, Role.ADMIN),
    ],
)
def test_backend_loads_the_highest_role_with_the_user_in_one_query(
    django_assert_num_queries, groups, superuser, expected
):
    from accounts.backends import RoleModelBackend

    user = UserFactory(username="someone")
    user.is_superuser = superuser
    user.save()
    user.groups.add(*Group.objects.filter(name__in=groups))
    Group.objects.create(name="Unrelated").user_set.add(user)  # not a role: ignored

    with django_assert_num_queries(1):
        loaded = RoleModelBackend().get_user(user.pk)
        assert user_role(loaded) is expected


@pytest.mark.django_db
def test_a_role_change_shows_on_the_next_request(client, staff_user):
    client.force_login(staff_user)
    assert client.get("/dashboard/").status_code == 403

    staff_user.groups.add(Group.objects.get(name="Manager"))

    assert client.get("/dashboard/").status_code == 200


@pytest.mark.django_db
def test_the_admins_user_page_says_how_to_give_a_role(admin_role_client, roleless_user):
    # The role is read-only on this page (given by the list's actions, audited), and
    # Django's "Staff status" beside it gives no role: the page says both.
    html = admin_role_client.get(f"/admin/auth/user/{roleless_user.pk}/change/").content.decode()

    assert 'Give a role on the <a href="/users/">Users page</a>' in html
    assert "Make Staff, Make Manager or Make Admin" in html
    assert "Staff status is Django's own flag and gives no role." in html
