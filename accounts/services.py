"""User services: registration, role assignment and account changes, audited."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from inventory.exceptions import InventoryError
from inventory.models import AuditEvent
from inventory.services.actor import Actor, as_actor
from inventory.services.audit import audit_record, model_changes

from .roles import GROUP_ROLES, ROLE_GROUPS, Role, is_admin_q, user_role
from .tasks import send_approval_notice, send_password_reset, send_signup_notice

User = get_user_model()

USERNAME_TAKEN = "A user with that username already exists."
LAST_ADMIN = (
    "{username} is the last active Admin: give another user the Admin role first, "
    "so someone can still manage users and roles."
)


def username_taken(username: str, *, user=None) -> bool:
    """Whether an account other than `user` has this username in any letter case.

    Sign-in takes the username in any case (accounts/backends.py), so "Anna" beside
    "anna" would be two people behind one sign-in name: registration's form, and
    user_create and user_update (the admin's add and change pages), refuse it.
    """
    others = User.objects.filter(username__iexact=username)
    if user is not None and user.pk is not None:
        others = others.exclude(pk=user.pk)
    return others.exists()


def _refuse_taken_username(username, *, user=None) -> None:
    if username_taken(username, user=user):
        raise InventoryError(USERNAME_TAKEN, field="username")


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
        transaction.on_commit(lambda: send_signup_notice.enqueue(user.pk))
    return user


def user_ensure_another_admin(*, user) -> None:
    """Refuse a change that would leave no active Admin when `user` stops being one.

    Call inside the transaction that makes the change. The Admins' rows are locked
    first and counted in a second statement, so two Admins demoting each other at
    the same time cannot both succeed: the second sees the first's change.
    """
    admin_ids = User.objects.filter(is_admin_q()).values("pk")
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
        if before is Role.NONE and role is not Role.NONE:
            transaction.on_commit(lambda: send_approval_notice.enqueue(user.pk))
    return user


# What an Admin may change on a user in the Django admin. Roles move only through
# user_set_role; the password only through user_password_set, never as a field here.
USER_FIELDS = (
    "username",
    "first_name",
    "last_name",
    "email",
    "is_active",
    "is_staff",
    "is_superuser",
)


def _user_snapshot(user) -> dict:
    return {name: getattr(user, name) for name in USER_FIELDS}


def _require_admin(actor) -> None:
    if user_role(actor.user) < Role.ADMIN:
        raise InventoryError("Only an Admin can change users.")


def _check_fields(actor, data: dict, before: dict) -> None:
    unknown = set(data) - set(USER_FIELDS)
    if unknown:
        raise InventoryError(f"These fields cannot be set here: {', '.join(sorted(unknown))}.")
    superuser = data.get("is_superuser", before.get("is_superuser", False))
    if superuser != before.get("is_superuser", False) and not actor.user.is_superuser:
        raise InventoryError("Only a superuser can give or take the superuser status.")


def _store_password(user, password: str | None) -> None:
    """Set (or, with None, disable) the password of `user`, this very object.

    The caller's object is the one changed, so a session that belongs to it can be
    kept signed in afterwards (update_session_auth_hash).
    """
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.save(update_fields=["password"])


def user_create(*, actor, data: dict, password: str | None):
    """Create a user with no role (the Django admin's "add user"); audited without
    the password: only whether one was set. None leaves password sign-in disabled."""
    actor = as_actor(actor)
    _require_admin(actor)
    _check_fields(actor, data, {})
    _refuse_taken_username(data.get("username", ""))
    with transaction.atomic():
        user = User(**data)
        if password is None:
            user.set_unusable_password()
        else:
            user.set_password(password)
        user.save()
        details = model_changes({}, _user_snapshot(user))
        details["usable_password"] = [None, password is not None]
        audit_record(actor=actor, action="user.create", obj=user, details=details)
    return user


def user_update(*, actor, user, data: dict):
    """Change a user's names, e-mail and access flags, under the row's lock.

    Records "user.update" with {field: [before, after]} for what changed besides
    is_active, and "user.deactivate" or "user.activate" when that changed. The last
    active Admin can be neither deactivated nor stripped of superuser status alone.
    """
    actor = as_actor(actor)
    _require_admin(actor)
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        before = _user_snapshot(locked)
        _check_fields(actor, data, before)
        was_admin = user_role(locked) is Role.ADMIN
        for name, value in data.items():
            setattr(locked, name, value)
        changes = model_changes(before, _user_snapshot(locked))
        if not changes:
            return locked
        if "username" in changes:
            _refuse_taken_username(locked.username, user=locked)
        locked._role_cache = None
        if was_admin and user_role(locked) is not Role.ADMIN:
            user_ensure_another_admin(user=locked)
        locked.save(update_fields=list(changes))
        active = changes.pop("is_active", None)
        if changes:
            audit_record(actor=actor, action="user.update", obj=locked, details=changes)
        if active is not None:
            audit_record(
                actor=actor,
                action="user.activate" if active[1] else "user.deactivate",
                obj=locked,
                details={"is_active": active},
            )
    return locked


def user_password_set(*, actor, user, password: str | None):
    """An Admin sets (or, with None, disables) another user's password; audited as
    "user.password_set", never with the password or its hash."""
    actor = as_actor(actor)
    _require_admin(actor)
    with transaction.atomic():
        _store_password(user, password)
        audit_record(
            actor=actor,
            action="user.password_set",
            obj=user,
            details={"usable_password": password is not None},
        )
    return user


def user_password_change(*, actor, user, password: str):
    """A signed-in user changes their own password; audited as "user.password_change"."""
    actor = as_actor(actor)
    if getattr(actor.user, "pk", None) != user.pk:
        raise InventoryError("Users change only their own password here.")
    with transaction.atomic():
        _store_password(user, password)
        audit_record(actor=actor, action="user.password_change", obj=user)
    return user


# A flood of reset requests for one address sends at most one e-mail in this time.
PASSWORD_RESET_INTERVAL = timedelta(minutes=5)


def user_password_reset_request(*, actor, users, site_url: str) -> int:
    """E-mail each of `users` (the accounts a "Forgot your password?" address names) a
    link to set a new password, after commit; audited as "user.password_reset_request".

    At most one e-mail per account every PASSWORD_RESET_INTERVAL: the account's row is
    locked, then its last request is looked up, so two requests at once send one e-mail.
    Return the number of e-mails queued; the page says the same whatever it is.
    """
    actor = as_actor(actor)
    queued = 0
    for user in users:
        with transaction.atomic():
            locked = User.objects.select_for_update().get(pk=user.pk)
            recent = AuditEvent.objects.filter(
                object_type=locked.__class__.__name__,
                object_id=str(locked.pk),
                action="user.password_reset_request",
                created_at__gte=timezone.now() - PASSWORD_RESET_INTERVAL,
            )
            if recent.exists():
                continue
            audit_record(actor=actor, action="user.password_reset_request", obj=locked)
            transaction.on_commit(lambda pk=locked.pk: send_password_reset.enqueue(pk, site_url))
            queued += 1
    return queued


def user_password_reset(*, actor, user, password: str):
    """Set the password of a user who followed a reset link; audited as
    "user.password_reset", by the user. Their every session ends with the old password
    (Django checks each session against the password's hash), as after a change."""
    actor = as_actor(actor)
    with transaction.atomic():
        _store_password(user, password)
        audit_record(
            actor=Actor(user=user, ip=actor.ip, user_agent=actor.user_agent),
            action="user.password_reset",
            obj=user,
        )
    return user
