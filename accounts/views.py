from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from inventory.exceptions import InventoryError
from inventory.services.actor import Actor
from inventory.views.paging import numbered_page

from .backends import BACKEND_PATH
from .forms import LoginForm, OwnPasswordChangeForm, RegistrationForm, ResetPasswordForm, RoleForm
from .permissions import public, role_required
from .roles import Role, user_role, users_awaiting_approval
from .services import (
    user_password_change,
    user_password_reset,
    user_password_reset_request,
    user_register,
    user_set_role,
    user_update,
)

User = get_user_model()


def signed_in_without_role(view):
    """Open to any signed-in user, role or not (awaiting approval, password change)."""
    view = login_required(view)
    view.allows_roleless = True
    return view


@public
def register(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = user_register(
            username=form.cleaned_data["username"],
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            actor=Actor(
                user=None,
                ip=request.META.get("REMOTE_ADDR"),
                user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
            ),
        )
        login(request, user, backend=BACKEND_PATH)
        messages.success(request, "Your account was created. An administrator will approve it.")
        return redirect("awaiting_approval")
    return render(request, "accounts/register.html", {"form": form})


@method_decorator(public, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


login_view = public(LoginView.as_view())
logout_view = public(auth_views.LogoutView.as_view())  # POST only since Django 5.0


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = OwnPasswordChangeForm
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        # Saved through the service (audited as user.password_change), not form.save().
        user_password_change(
            actor=Actor.from_request(self.request),
            user=form.user,
            password=form.cleaned_data["new_password1"],
        )
        update_session_auth_hash(self.request, form.user)
        messages.success(self.request, "Your password was changed.")
        return HttpResponseRedirect(self.get_success_url())


password_change = signed_in_without_role(PasswordChangeView.as_view())


class PasswordResetView(auth_views.PasswordResetView):
    """The "Forgot your password?" page: it answers the same whether or not an account
    has the address (Django's get_users: active, with a usable password)."""

    template_name = "accounts/password_reset.html"
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        # Sent through the service (throttled, audited, after commit), not form.save().
        user_password_reset_request(
            actor=Actor.from_request(self.request),
            users=form.get_users(form.cleaned_data["email"]),
            site_url=settings.SITE_URL or self.request.build_absolute_uri("/").rstrip("/"),
        )
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = ResetPasswordForm
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        # Saved through the service (audited as user.password_reset), not form.save().
        user_password_reset(
            actor=Actor.from_request(self.request),
            user=form.user,
            password=form.cleaned_data["new_password1"],
        )
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return HttpResponseRedirect(self.get_success_url())


password_reset = public(PasswordResetView.as_view())
password_reset_done = public(
    auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
)
password_reset_confirm = public(PasswordResetConfirmView.as_view())
password_reset_complete = public(
    auth_views.PasswordResetCompleteView.as_view(
        template_name="accounts/password_reset_complete.html"
    )
)


@signed_in_without_role
def awaiting_approval(request):
    if user_role(request.user) is not Role.NONE:
        return redirect("home")
    return render(request, "accounts/awaiting_approval.html")


@role_required(Role.ADMIN)
def user_list(request):
    users = User.objects.prefetch_related("groups").order_by("-is_active", "username")
    query = request.GET.get("q", "").strip()
    if query:
        users = users.filter(Q(username__icontains=query) | Q(email__icontains=query))
    if request.GET.get("pending"):
        users = users_awaiting_approval(users)
    page = numbered_page(users, request.GET.get("page"), per_page=25)
    rows = [(u, user_role(u)) for u in page]
    return render(
        request,
        "accounts/user_list.html",
        {"page": page, "rows": rows, "roles": list(Role), "query": query},
    )


@require_POST
@role_required(Role.ADMIN)
def user_set_role_view(request, pk):
    target = get_object_or_404(User, pk=pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a valid role.")
    elif target.is_superuser:
        messages.error(request, f"{target.username} is a superuser and always counts as Admin.")
    else:
        try:
            user_set_role(
                actor=Actor.from_request(request), user=target, role=Role(form.cleaned_data["role"])
            )
            messages.success(
                request, f"{target.username} is now {Role(form.cleaned_data['role']).label}."
            )
        except InventoryError as exc:
            messages.error(request, str(exc))
    return redirect("user_list")


@require_POST
@role_required(Role.ADMIN)
def user_set_active_view(request, pk):
    """Let a sign-up in or keep it out, or stop a leaver signing in (their history stays)."""
    target = get_object_or_404(User, pk=pk)
    active = request.POST.get("active") == "1"
    try:
        user_update(actor=Actor.from_request(request), user=target, data={"is_active": active})
    except InventoryError as exc:
        messages.error(request, str(exc))
    else:
        state = "active again" if active else "deactivated: they can no longer sign in"
        messages.success(request, f"{target.username} is {state}.")
    return redirect("user_list")
