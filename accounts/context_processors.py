from .roles import Role, user_role


def role(request):
    """Expose the user's role to templates so navigation shows only what it can use."""
    current = user_role(request.user) if hasattr(request, "user") else Role.NONE
    return {
        "user_role": current,
        "is_staff_role": current >= Role.STAFF,
        "is_manager_role": current >= Role.MANAGER,
        "is_admin_role": current >= Role.ADMIN,
    }
