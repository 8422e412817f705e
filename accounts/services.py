"""User services: registration, role assignment and account changes, audited."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q

from inventory.exceptions import InventoryError
from inventory.services.actor import as_actor
from inventory.services.audit import audit_record

from .roles import GROUP_ROLES, ROLE_GROUPS, Role, user_role

User = get_user_model()

LAST_ADMIN = (
    "{username} is the last active Admin: give another user the Admin role first, "
    "so someone can still manage users and roles."
)


def user_register(*, username: str, email: str, password: str, actor=None):
    """Create an active user with no role: they wait for an Admin's approval."""
    with transaction.atomic():
        user = User.objects.create_user(username=username, email=email, password=password)
        audit_record(
            actor=as_actor(actor or user),
            action="user.register",
            obj=user,
            details={"username": username, "email": email},
        )
    return user


def user_ensure_another_admin(*, user) -> None:
    """Refuse a change that would leave no active Admin when `user` stops being one.

    Call inside the transaction that makes the change. The Admins' rows are locked
    first and counted in a second statement, so two Admins demoting each other at
    the same time cannot both succeed: the second sees the first's change.
    """
    admins = Q(is_superuser=True) | Q(groups__name=ROLE_GROUPS[Role.ADMIN])
    admin_ids = User.objects.filter(admins).values("pk")
    list(User.objects.select_for_update().filter(pk__in=admin_ids).values_list("pk"))
    others = User.objects.filter(pk__in=admin_ids, is_active=True).exclude(pk=user.pk)
    if not others.exists():
        raise InventoryError(LAST_ADMIN.format(username=user.username))


def user_set_role(*, actor, user, role: Role):
    """Give the user exactly one role group (or none); only Admins may call this.

    The last active Admin keeps the role: someone must be able to manage roles.
    """
    actor = as_actor(actor)
    if user_role(actor.user) < Role.ADMIN:
        raise InventoryError("Only an Admin can change roles.")
    with transaction.atomic():
        before = user_role(user)
        if before is Role.ADMIN and role is not Role.ADMIN and not user.is_superuser:
            user_ensure_another_admin(user=user)
        role_groups = Group.objects.filter(name__in=GROUP_ROLES)
        user.groups.remove(*role_groups)
        if role is not Role.NONE:
            user.groups.add(Group.objects.get(name=ROLE_GROUPS[role]))
        user._role_cache = None
        audit_record(
            actor=actor,
            action="user.set_role",
            obj=user,
            details={"role": [before.label, role.label]},
        )
    return user
