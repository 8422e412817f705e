"""Roles are Django groups; a superuser counts as Admin. Higher roles include lower ones."""

from enum import IntEnum


class Role(IntEnum):
    NONE = 0
    STAFF = 1
    MANAGER = 2
    ADMIN = 3

    @property
    def label(self) -> str:
        return self.name.title() if self is not Role.NONE else "No role"


ROLE_GROUPS = {Role.STAFF: "Staff", Role.MANAGER: "Manager", Role.ADMIN: "Admin"}
GROUP_ROLES = {name: role for role, name in ROLE_GROUPS.items()}


def user_role(user) -> Role:
    """Return the highest role the user holds (cached on the user object)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Role.NONE
    cached = getattr(user, "_role_cache", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        role = Role.ADMIN
    else:
        # .all() uses prefetch_related("groups") when a list prefetched them.
        names = [group.name for group in user.groups.all()]
        role = max((GROUP_ROLES.get(n, Role.NONE) for n in names), default=Role.NONE)
    user._role_cache = role
    return role


def has_role(user, required: Role) -> bool:
    return user_role(user) >= required
