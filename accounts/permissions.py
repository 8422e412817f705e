"""Role gating for every view: a mixin for class-based views, a decorator for functions.

Anonymous users are sent to the login page; signed-in users without a role to the
"awaiting approval" page; users whose role is too low get 403.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from .roles import Role, user_role


def _refusal(request, required: Role):
    """Return the response refusing this request, or None when the role suffices."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    role = user_role(user)
    if role >= required:
        return None
    if role is Role.NONE:
        return redirect("awaiting_approval")
    raise PermissionDenied(f"This page needs the {required.label} role.")


def role_required(required: Role):
    """Decorate a function view so only users with at least `required` reach it."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            refusal = _refusal(request, required)
            if refusal is not None:
                return refusal
            return view(request, *args, **kwargs)

        wrapped.required_role = required
        return wrapped

    return decorator


class RoleRequiredMixin:
    """Put first in the bases; refuses before any object is looked up."""

    required_role: Role = Role.ADMIN

    def dispatch(self, request, *args, **kwargs):
        refusal = _refusal(request, self.required_role)
        if refusal is not None:
            return refusal
        return super().dispatch(request, *args, **kwargs)


class StaffRequiredMixin(RoleRequiredMixin):
    required_role = Role.STAFF


class ManagerRequiredMixin(RoleRequiredMixin):
    required_role = Role.MANAGER


class AdminRequiredMixin(RoleRequiredMixin):
    required_role = Role.ADMIN


def public(view):
    """Mark a view as open to everyone (login, register, health check)."""
    view.is_public = True
    return view
