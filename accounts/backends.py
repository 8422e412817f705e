"""Django's ModelBackend, loading the signed-in user's role in the same query as the user.

Every signed-in request needs the role (the menu and the permission check), so a
separate query for the user's groups would cost one statement per request.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from .roles import remember_role, role_rank

BACKEND_PATH = "accounts.backends.RoleModelBackend"


class RoleModelBackend(ModelBackend):
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
