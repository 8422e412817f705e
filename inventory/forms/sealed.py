"""Figures a form carries for the server only, encrypted so the page does not show them.

A blind count sheet still posts the figures it was opened with (so stock that moved while
it was counted is refused), but a counter reading the page's source must not learn them.
They are sealed with Fernet (AES with an HMAC, from `cryptography`) under a key derived
from SECRET_KEY; the SECRET_KEY_FALLBACKS open sheets sealed before a key rotation.
"""

import base64
import functools

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django import forms
from django.conf import settings
from django.utils.crypto import salted_hmac

from inventory.quantities import fmt_qty

from .common import QuantityField

SALT = "inventory.forms.sealed"


@functools.cache
def _fernet(secrets: tuple[str, ...]) -> MultiFernet:
    keys = [salted_hmac(SALT, "key", secret=s, algorithm="sha256").digest() for s in secrets]
    return MultiFernet([Fernet(base64.urlsafe_b64encode(key)) for key in keys])


def _current() -> MultiFernet:
    return _fernet((settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS))


def seal(text: str) -> str:
    return _current().encrypt(text.encode()).decode("ascii")


def unseal(token: str) -> str | None:
    """The text sealed in `token`, or None for a token this server did not seal."""
    try:
        return _current().decrypt(token.encode("ascii")).decode()
    except (InvalidToken, UnicodeError):
        return None


class SealedQuantityField(QuantityField):
    """A hidden quantity posted back sealed: rendered as a token, read as the figure."""

    widget = forms.HiddenInput
    default_error_messages = {"sealed": "This figure was damaged on the way back."}

    def prepare_value(self, value):
        # A posted value is already a token; a figure from the server (initial) is sealed.
        return value if value in (None, "") or isinstance(value, str) else seal(fmt_qty(value))

    def to_python(self, value):
        if value in self.empty_values:
            return None
        figure = unseal(str(value))
        if figure is None:
            raise forms.ValidationError(self.error_messages["sealed"], code="sealed")
        return super().to_python(figure)
