"""Django's ModelBackend, loading the signed-in user's role in the same query as the user,
and finding the user by their username in any letter case.

Every signed-in request needs the role (the menu and the permission check), so a
separate query for the user's groups would cost one statement per request.

Sign-in: "Anna", "anna" and "ANNA" name one account (a new username that differs from
an existing one only in case is refused), so the sign-in page and the Django admin's
login (both authenticate() through this backend) take the username in any case; the
password stays exact. django-axes keys its lockout on the lower-case form
(`lockout_username`), so failures typed in any case count against one lockout.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Case, IntegerField, Value, When

from .roles import remember_role, role_rank

BACKEND_PATH = "accounts.backends.RoleModelBackend"


def user_for_sign_in(username: str):
    """The account a typed username names: the one with exactly that spelling, else the
    only one whose name differs from it in letter case alone, else None.

    A database may hold two names that differ only in case (made before the rule, or by
    `createsuperuser`): then only an exact spelling picks one, and any other spelling
    names none, so no one is signed in to an account they did not type.
    """
    model = get_user_model()
    exact_first = Case(
        When(**{model.USERNAME_FIELD: username}, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    found = list(
        model._default_manager.filter(**{f"{model.USERNAME_FIELD}__iexact": username}).order_by(
            exact_first, "pk"
        )[:2]
    )
    if found and (len(found) == 1 or found[0].get_username() == username):
        return found[0]
    return None


def lockout_username(request, credentials=None):
    """django-axes' username for a sign-in (AXES_USERNAME_CALLABLE): lower case, so
    "Anna" and "anna" failing count against one lockout, and a success resets it."""
    if credentials:
        username = credentials.get("username")
    elif request is not None:
        username = getattr(request, "data", request.POST).get("username")
    else:
        username = None
    return username.lower() if isinstance(username, str) else username


class RoleModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        """ModelBackend's, finding the user by `user_for_sign_in` instead of exact case."""
        model = get_user_model()
        if username is None:
            username = kwargs.get(model.USERNAME_FIELD)
        if username is None or password is None:
            return None
        user = user_for_sign_in(username)
        if user is None:
            # As ModelBackend: hash once, so a missing user takes as long as a wrong password.
            model().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id):
        model = get_user_model()
        users = model._default_manager.annotate(role_rank=role_rank(model, "id"))
        try:  # get(), as ModelBackend: first() would add an ORDER BY to build each time
            user = users.get(pk=user_id)
        except model.DoesNotExist:
            return None
        if not self.user_can_authenticate(user):
            return None
        remember_role(user, user.role_rank)
        return user
