from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    SetPasswordForm,
    UserCreationForm,
)
from django.core.exceptions import ValidationError

from .roles import Role
from .services import USERNAME_TAKEN, username_taken

User = get_user_model()


class PasswordRulesOnFirstBox:
    """Show "too short", "too common" and the like under the password, not its confirmation.

    Django checks the rules on the confirmation box and puts their messages there, but
    it is the first box the person has to change.
    """

    first_password_field = "password1"

    def validate_password_for_user(self, user, password_field_name="password2"):
        password = self.cleaned_data.get(password_field_name)
        if password:
            try:
                password_validation.validate_password(password, user)
            except ValidationError as error:
                self.add_error(self.first_password_field, error)


class RegistrationForm(PasswordRulesOnFirstBox, UserCreationForm):
    email = forms.EmailField(required=True)

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")

    def clean_username(self):
        username = self.cleaned_data["username"]
        if username_taken(username):
            raise forms.ValidationError(USERNAME_TAKEN)
        return username

    def clean_email(self):
        # An address names one person (the one low-stock alerts are sent to, say).
        email = self.cleaned_data["email"]
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("An account with this e-mail address already exists.")
        return email


class OwnPasswordChangeForm(PasswordRulesOnFirstBox, PasswordChangeForm):
    first_password_field = "new_password1"


class ResetPasswordForm(PasswordRulesOnFirstBox, SetPasswordForm):
    """The new password of a "Forgot your password?" link, checked like a change."""

    first_password_field = "new_password1"


class UsernameLengthMixin:
    """Refuse a username longer than any account's before authenticate() sees it.

    AuthenticationForm sets max_length on its field without a validator, so any length
    reached django-axes, whose lockout row holds 255 characters: a 500 on PostgreSQL
    for anyone, logged in or not.
    """

    def clean_username(self):
        username = self.cleaned_data.get("username") or ""
        if len(username) > self.username_field.max_length:
            raise self.get_invalid_login_error()
        return username


class LoginForm(UsernameLengthMixin, AuthenticationForm):
    error_messages = {
        # One message whether or not the user exists.
        "invalid_login": "Please enter a correct username and password.",
        "inactive": "Please enter a correct username and password.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A refused login keeps the username and empties the password: type that again.
        if self.is_bound and self.data.get("username"):
            self.fields["username"].widget.attrs.pop("autofocus", None)
            self.fields["password"].widget.attrs["autofocus"] = True


ROLE_CHOICES = [(r.value, r.label) for r in Role]


class RoleForm(forms.Form):
    role = forms.TypedChoiceField(choices=ROLE_CHOICES, coerce=int)
