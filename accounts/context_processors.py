from django.contrib.auth import get_user_model

from .roles import Role, user_role, users_awaiting_approval


def role(request):
    """Expose the user's role to templates so navigation shows only what it can use."""
    current = user_role(request.user) if hasattr(request, "user") else Role.NONE
    return {
        "user_role": current,
        "is_staff_role": current >= Role.STAFF,
        "is_manager_role": current >= Role.MANAGER,
        "is_admin_role": current >= Role.ADMIN,
        # The Users badge: one count, for Admins only.
        "pending_user_count": users_awaiting_approval(
            get_user_model().objects.filter(is_active=True)
        ).count()
        if current >= Role.ADMIN
        else 0,
    }
