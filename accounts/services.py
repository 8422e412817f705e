"""User services: registration and role assignment, audited."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from inventory.services.actor import as_actor
from inventory.services.audit import audit_record

from .roles import GROUP_ROLES, ROLE_GROUPS, Role, user_role

User = get_user_model()


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


def user_set_role(*, actor, user, role: Role):
    """Give the user exactly one role group (or none); only Admins may call this."""
    actor = as_actor(actor)
    if user_role(actor.user) < Role.ADMIN:
        from inventory.exceptions import InventoryError

        raise InventoryError("Only an Admin can change roles.")
    with transaction.atomic():
        before = user_role(user)
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
