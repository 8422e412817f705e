"""Roles in the API are the web screens' roles, decided by accounts.roles."""

from rest_framework.permissions import BasePermission

from accounts.roles import Role, has_role, user_role


class RoleRequired(BasePermission):
    """Let through users whose role is at least the view's `required_role` (Staff by default).

    A view may name a higher role for some actions in `action_roles` ({action: Role}).
    """

    def has_permission(self, request, view):
        user = request.user
        if not getattr(user, "is_authenticated", False):
            return False
        required = required_role_for(view)
        if has_role(user, required):
            return True
        if user_role(user) is Role.NONE:
            self.message = "Your account is awaiting approval: it has no role yet."
        else:
            self.message = f"This needs the {required.label} role."
        return False


def required_role_for(view) -> Role:
    action = getattr(view, "action", None)
    roles = getattr(view, "action_roles", {}) or {}
    if action in roles:
        return roles[action]
    return getattr(view, "required_role", Role.STAFF)
