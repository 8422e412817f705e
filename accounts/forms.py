from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm

from .roles import Role

User = get_user_model()


class RegistrationForm(UserCreationForm):
    email = forms.EmailField(required=True)

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("A user with that username already exists.")
        return username


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


ROLE_CHOICES = [(r.value, r.label) for r in Role]


class RoleForm(forms.Form):
    role = forms.TypedChoiceField(choices=ROLE_CHOICES, coerce=int)
