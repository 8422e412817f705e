"""Roles are Django groups; a superuser counts as Admin. Higher roles include lower ones."""

from enum import IntEnum

from django.db.models import Case, IntegerField, OuterRef, Subquery, Value, When


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


def role_rank_subquery(user_ref: str):
    """The highest role among the groups of the user `user_ref` points at (NULL: none),
    to annotate onto a query that loads users, so the role costs no query of its own."""
    from django.contrib.auth.models import Group

    rank = Case(
        *(When(name=name, then=Value(int(role))) for role, name in ROLE_GROUPS.items()),
        default=Value(int(Role.NONE)),
        output_field=IntegerField(),
    )
    groups = Group.objects.filter(user=OuterRef(user_ref)).annotate(rank=rank)
    return Subquery(groups.order_by("-rank").values("rank")[:1], output_field=IntegerField())


def remember_role(user, rank) -> None:
    """Cache on `user` the role that role_rank_subquery() loaded with it."""
    user._role_cache = Role.ADMIN if user.is_superuser else Role(rank or Role.NONE)
