"""Users in the Django admin, and who may use the admin at all.

/admin/ is for the Admin role only (a superuser counts as Admin). Django's default
asks for is_staff instead; here the role decides, so an Admin needs no is_staff flag
and a Staff or Manager user with is_staff set is still refused. Roles are given by
the actions "Make Staff / Manager / Admin / Remove role", which call
accounts.services.user_set_role (audited); the group fields are read-only. Adding a
user, editing one and setting a password go through accounts.services too (user_create,
user_update, user_password_set), so each writes its audit event; the admin's own "Change
password" link opens the app's password page, audited the same way. django-axes' login and
failed-login histories are read-only; its access attempts may still be deleted, which is
how a locked-out login is unlocked before its 15 minutes are up.
"""

from contextvars import ContextVar

from axes.admin import AccessFailureLogAdmin as AxesFailureLogAdmin
from axes.admin import AccessLogAdmin as AxesLogAdmin
from axes.models import AccessFailureLog, AccessLog
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, AuthenticationForm
from django.contrib.auth.forms import UserChangeForm as BaseUserChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.text import format_lazy

from inventory.admin_base import ReadOnlyAdminMixin, SafeAdminMixin
from inventory.exceptions import InventoryError
from inventory.services.actor import Actor

from .forms import UsernameLengthMixin
from .roles import GROUP_ROLES, ROLE_GROUPS, Role, has_role
from .services import (
    USER_FIELDS,
    USERNAME_TAKEN,
    user_create,
    user_ensure_another_admin,
    user_password_set,
    user_set_role,
    user_update,
    username_taken,
)

User = get_user_model()


def admin_site_has_permission(request) -> bool:
    """Let only active users with the Admin role (or superusers) into the admin."""
    return request.user.is_active and has_role(request.user, Role.ADMIN)


class AdminRoleAuthenticationForm(UsernameLengthMixin, AuthenticationForm):
    """The admin's own login form, asking for the Admin role instead of is_staff."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not has_role(user, Role.ADMIN):
            raise ValidationError(
                "Please enter the username and password of an Admin account.",
                code="invalid_login",
            )


def admin_password_change(request, extra_context=None):
    """The admin's "Change password" link opens the app's own page, whose change goes
    through user_password_change (audited): Django's page saved it unaudited."""
    return redirect("password_change")


admin.site.has_permission = admin_site_has_permission
admin.site.login_form = AdminRoleAuthenticationForm
admin.site.password_change = admin_password_change
admin.site.site_header = "Inventory administration"
admin.site.site_title = "Inventory admin"
admin.site.index_title = "Read-only records, catalogue and users"


def _role_of(user) -> Role:
    """Role from the prefetched groups: no query per row in the list."""
    if user.is_superuser:
        return Role.ADMIN
    roles = [GROUP_ROLES.get(group.name, Role.NONE) for group in user.groups.all()]
    return max(roles, default=Role.NONE)


class UserChangeForm(BaseUserChangeForm):
    """Refuse deactivating, or taking superuser from, the last active Admin, and a new
    username that another account has in another letter case (sign-in takes any case)."""

    def clean_username(self):
        username = self.cleaned_data["username"]
        if username_taken(username, user=self.instance):
            raise ValidationError(USERNAME_TAKEN, code="unique")
        return username

    def clean(self):
        data = super().clean()
        user = self.instance  # still as saved: clean() runs before the instance is updated
        if user.pk is None or not (user.is_active and has_role(user, Role.ADMIN)):
            return data
        is_active = data.get("is_active", user.is_active)
        is_superuser = data.get("is_superuser", user.is_superuser)
        in_admin_group = user.groups.filter(name=ROLE_GROUPS[Role.ADMIN]).exists()
        if not (is_active and (is_superuser or in_admin_group)):
            # The admin's change view runs in one transaction: the lock holds until saved.
            try:
                user_ensure_another_admin(user=user)
            except InventoryError as exc:
                raise ValidationError(exc.message) from exc
        return data


# Who is setting a password on the admin's password page. Django's view builds the form
# itself, with no request to hand it; UserAdmin.user_change_password sets this for the
# request it serves (a ContextVar: each thread or task sees its own).
_password_actor: ContextVar[Actor | None] = ContextVar("password_actor", default=None)


class PasswordSetForm(AdminPasswordChangeForm):
    """The admin's "set password" form, saved through user_password_set (audited)."""

    def save(self, commit=True):
        usable = self.cleaned_data.get("set_usable_password", True)
        password = self.cleaned_data["password1"] if usable else None
        return user_password_set(actor=_password_actor.get(), user=self.user, password=password)


admin.site.unregister(User)

# The role is read-only on the change page; a first Admin looking for where to give one
# (or ticking "Staff status" for the Staff role) is told where it is done.
ROLE_HINT = format_lazy(
    'Give a role on the <a href="{}">Users page</a>, or in this admin\'s list of users: tick'
    " the user, choose Make Staff, Make Manager or Make Admin, then Go. Staff status is"
    " Django's own flag and gives no role.",
    reverse_lazy("user_list"),
)


@admin.register(User)
class UserAdmin(SafeAdminMixin, BaseUserAdmin):
    list_display = (
        "username",
        "email",
        "role",
        "is_active",
        "is_staff",
        "is_superuser",
        "last_login",
    )
    list_filter = ("groups", "is_active", "is_staff", "is_superuser")
    form = UserChangeForm
    change_password_form = PasswordSetForm
    actions = ["make_staff", "make_manager", "make_admin", "remove_role"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name", "email")}),
        (
            "Access",
            {
                "fields": ("is_active", "is_staff", "is_superuser", "role", "groups"),
                "description": ROLE_HINT,
            },
        ),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    def get_readonly_fields(self, request, obj=None):
        # Groups change only through the role actions, so every change is audited.
        fields = ["role", "groups", "last_login", "date_joined"]
        if not request.user.is_superuser:
            fields.append("is_superuser")
        return fields

    def save_model(self, request, obj, form, change):
        """Save through the user services, which check the rules and write the audit event."""
        actor = Actor.from_request(request)
        data = {name: form.cleaned_data[name] for name in USER_FIELDS if name in form.fields}
        if change:
            saved = user_update(actor=actor, user=obj, data=data)
        else:
            usable = form.cleaned_data.get("set_usable_password", True)
            password = form.cleaned_data.get("password1") if usable else None
            saved = user_create(actor=actor, data=data, password=password)
        obj.pk = saved.pk
        obj.refresh_from_db()

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # A refusal by the user services that the form did not foresee: shown on the page
        # it came from (the transaction rolled back), never a 500.
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except InventoryError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def user_change_password(self, request, id, form_url=""):
        token = _password_actor.set(Actor.from_request(request))
        try:
            return super().user_change_password(request, id, form_url)
        finally:
            _password_actor.reset(token)

    def has_delete_permission(self, request, obj=None):
        # Users are referenced by the ledger and the audit trail: deactivate instead.
        return False

    @admin.display(description="Role")
    def role(self, obj):
        if obj.pk is None:
            return "No role"
        role = _role_of(obj)
        return f"{role.label} (superuser)" if obj.is_superuser else role.label

    def _set_role(self, request, queryset, role: Role):
        actor = Actor.from_request(request)
        changed = 0
        for user in queryset:
            if user.is_superuser:
                self.message_user(
                    request,
                    f"{user.username} is a superuser and always counts as Admin.",
                    level=messages.WARNING,
                )
                continue
            try:
                user_set_role(actor=actor, user=user, role=role)
            except InventoryError as exc:
                # Each user is changed or refused on their own: the others still are done,
                # and the count below says so.
                self.message_user(request, exc.message, level=messages.ERROR)
                continue
            changed += 1
        if changed:
            self.message_user(
                request, f"{changed} user{'s' if changed != 1 else ''}: {role.label}."
            )

    @admin.action(description="Make Staff", permissions=["change"])
    def make_staff(self, request, queryset):
        self._set_role(request, queryset, Role.STAFF)

    @admin.action(description="Make Manager", permissions=["change"])
    def make_manager(self, request, queryset):
        self._set_role(request, queryset, Role.MANAGER)

    @admin.action(description="Make Admin", permissions=["change"])
    def make_admin(self, request, queryset):
        self._set_role(request, queryset, Role.ADMIN)

    @admin.action(description="Remove role", permissions=["change"])
    def remove_role(self, request, queryset):
        self._set_role(request, queryset, Role.NONE)


admin.site.unregister(Group)


@admin.register(Group)
class RoleGroupAdmin(SafeAdminMixin, ReadOnlyAdminMixin, GroupAdmin):
    """The role groups are defined in code (accounts/role_groups.py): shown, not edited."""


class AccessLogAdmin(SafeAdminMixin, ReadOnlyAdminMixin, AxesLogAdmin):
    """django-axes' login history: shown, never added, changed or deleted (superusers
    included), so no one wipes the trace of a sign-in."""


class AccessFailureLogAdmin(SafeAdminMixin, ReadOnlyAdminMixin, AxesFailureLogAdmin):
    """django-axes' failed-login history, read-only like the login history."""


# axes.admin (imported above) has registered its own, editable ones. Access attempts stay
# as django-axes made them: deleting one is how an Admin unlocks a locked-out login.
for _model, _model_admin in (
    (AccessLog, AccessLogAdmin),
    (AccessFailureLog, AccessFailureLogAdmin),
):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
        admin.site.register(_model, _model_admin)
