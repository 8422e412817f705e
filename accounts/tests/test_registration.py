import pytest
from django.contrib.auth import get_user_model

from accounts.roles import Role, user_role
from inventory.models import AuditEvent

User = get_user_model()
GOOD = {
    "username": "newbie",
    "email": "newbie@example.com",
    "password1": "a-long-unusual-passphrase",
    "password2": "a-long-unusual-passphrase",
}


@pytest.mark.django_db
def test_registration_creates_user_without_role_who_waits_for_approval(client):
    response = client.post("/register/", GOOD)

    assert response.status_code == 302
    assert response.url == "/awaiting-approval/"
    user = User.objects.get(username="newbie")
    assert user_role(user) is Role.NONE
    assert AuditEvent.objects.filter(action="user.register", object_id=str(user.pk)).count() == 1
    page = client.get("/awaiting-approval/")
    assert b"Awaiting approval" in page.content


@pytest.mark.django_db
def test_role_less_user_is_sent_to_awaiting_approval_from_any_page(client, roleless_user):
    client.force_login(roleless_user)

    for url in ["/", "/items/", "/dashboard/", "/users/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url == "/awaiting-approval/", url


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"password2": "something-else-entirely"}, "password2", "didn’t match"),
        # the rules' messages under the password itself, the box to change
        ({"password1": "password", "password2": "password"}, "password1", "too common"),
        ({"password1": "12345678901", "password2": "12345678901"}, "password1", "entirely numeric"),
        ({"email": ""}, "email", "required"),
    ],
)
def test_bad_registration_shows_error_next_to_field(client, changes, field, message):
    response = client.post("/register/", {**GOOD, **changes})

    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert any(message in e for e in errors), errors
    assert not User.objects.filter(username="newbie").exists()


@pytest.mark.django_db
def test_duplicate_username_in_any_case_is_refused(client, staff_user):
    response = client.post("/register/", {**GOOD, "username": staff_user.username.upper()})

    assert response.status_code == 200
    assert "already exists" in response.context["form"].errors["username"][0]
    assert User.objects.filter(username__iexact=staff_user.username).count() == 1


@pytest.mark.django_db
def test_an_e_mail_address_in_use_in_any_case_is_refused(client, staff_user):
    User.objects.filter(pk=staff_user.pk).update(email="Staff@Example.com")

    response = client.post("/register/", {**GOOD, "email": "staff@example.COM"})

    assert response.status_code == 200
    assert "already exists" in response.context["form"].errors["email"][0]
    assert not User.objects.filter(username="newbie").exists()


@pytest.mark.django_db
def test_a_weak_new_password_is_refused_under_the_new_password(client, staff_user):
    data = {"old_password": "x", "new_password1": "password", "new_password2": "password"}
    staff_user.set_password("x")
    staff_user.save()
    client.force_login(staff_user)

    response = client.post("/password/", data)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "too common" in " ".join(errors["new_password1"])
    assert "new_password2" not in errors
    staff_user.refresh_from_db()
    assert staff_user.check_password("x")


@pytest.mark.django_db
def test_admin_approves_user_by_giving_a_role(admin_role_client, roleless_user):
    response = admin_role_client.post(
        f"/users/{roleless_user.pk}/role/", {"role": Role.STAFF.value}
    )

    assert response.status_code == 302
    roleless_user.refresh_from_db()
    assert list(roleless_user.groups.values_list("name", flat=True)) == ["Staff"]
    event = AuditEvent.objects.get(action="user.set_role", object_id=str(roleless_user.pk))
    assert event.details == {"role": ["No role", "Staff"]}


@pytest.mark.django_db
def test_user_list_shows_pending_users_to_admin_only(
    admin_role_client, manager_client, roleless_user
):
    page = admin_role_client.get("/users/?pending=1")
    assert page.status_code == 200
    assert roleless_user.username in page.content.decode()

    assert manager_client.get("/users/").status_code == 403


@pytest.mark.django_db
def test_manager_cannot_change_roles(manager_client, roleless_user):
    response = manager_client.post(f"/users/{roleless_user.pk}/role/", {"role": Role.ADMIN.value})

    assert response.status_code == 403
    assert roleless_user.groups.count() == 0


@pytest.mark.django_db
def test_invalid_role_value_changes_nothing(admin_role_client, roleless_user):
    response = admin_role_client.post(f"/users/{roleless_user.pk}/role/", {"role": "99"})

    assert response.status_code == 302
    assert roleless_user.groups.count() == 0


@pytest.mark.django_db
def test_role_change_for_unknown_user_is_404(admin_role_client):
    assert admin_role_client.post("/users/999999/role/", {"role": "1"}).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("extra_users", [5, 50])
def test_user_list_makes_a_constant_number_of_queries(
    admin_role_client, django_assert_num_queries, extra_users
):
    from accounts.tests.factories import UserFactory

    for n in range(extra_users):
        UserFactory(username=f"listed{n}", role="Staff" if n % 2 else None)

    # session, user with its role, page of users with their count, their groups, alert
    # count, count of users awaiting approval
    with django_assert_num_queries(6):
        response = admin_role_client.get("/users/")

    assert response.status_code == 200
