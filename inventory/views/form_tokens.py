"""A form page's one-time token lives in the page's URL too, so that Back keeps it.

Why not the HTTP cache: a successful post to a form's own URL makes the browser drop
its cached copy of that URL (RFC 9111 section 4.4; Chromium dooms the entry), so Back
fetches the page again, whatever Cache-Control says, and the server would render a
new token: a second submit was then a second sale. The back/forward cache would keep
the page, but browsers evict it freely and test browsers turn it off.

So static/js/form-token.js copies the token of a page's form into the address
(`?token=…`, history.replaceState, no reload). Back or a reload then asks for that
URL, the view renders the form with the same token, and submitting again is a replay
that the service recognises and records nothing for. A token is accepted from the URL
only with this user's signature, so a shared or bookmarked link never makes two
people's submissions share a key: theirs gets a fresh token.
"""

import uuid

from django.conf import settings
from django.contrib import messages
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.html import format_html

from inventory.selectors.operations import recorded_for_key

PARAM = "token"
_SALT = "inventory.views.form_tokens"
_MAC_LENGTH = 20  # 32 + 1 + 20 characters: within the 64 an idempotency key may have


def _mac(user_pk, nonce: str, secret=None) -> str:
    mac = salted_hmac(_SALT, f"{user_pk}:{nonce}", secret=secret, algorithm="sha256")
    return mac.hexdigest()[:_MAC_LENGTH]


def new_token(user) -> str:
    """Return a fresh token signed for `user`."""
    nonce = uuid.uuid4().hex
    return f"{nonce}.{_mac(user.pk, nonce)}"


def is_users_token(user, value: str) -> bool:
    """Tell whether `value` is a token that new_token() gave this user."""
    nonce, _, mac = (value or "").partition(".")
    if len(nonce) != 32 or len(mac) != _MAC_LENGTH:
        return False
    # A page opened before a key rotation keeps its token (SECRET_KEY_FALLBACKS).
    keys = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    return any(constant_time_compare(mac, _mac(user.pk, nonce, key)) for key in keys)


def page_token(request) -> str:
    """Return the token a form page renders: the one in its URL if it is this user's."""
    value = request.GET.get(PARAM, "")
    if is_users_token(request.user, value):
        return value
    return new_token(request.user)


def token_initial(request) -> dict:
    """Return the form's initial value for its token (see IdempotentFormMixin).

    When the page comes back (Back, reload) with a token that was already used, say so
    above the form before the person sends it again.
    """
    token = page_token(request)
    if request.method == "GET" and token == request.GET.get(PARAM):
        _note_used(request, token)
    return {"idempotency_key": token}


def _note_used(request, token: str) -> None:
    recorded = recorded_for_key(token)
    if recorded is None:
        return
    fresh = request.GET.copy()
    fresh.pop(PARAM, None)
    new_url = f"{request.path}?{fresh.urlencode()}" if fresh else request.path
    if recorded.number:
        what = format_html(
            'recorded as <a href="{}" class="alert-link">{}</a>', recorded.url, recorded.number
        )
    else:
        what = format_html(
            'recorded (<a href="{}" class="alert-link">its movements</a>)', recorded.url
        )
    messages.warning(
        request,
        format_html(
            "This form was already sent and {}. Sending it again records nothing; "
            '<a href="{}" class="alert-link">start a new one</a>.',
            what,
            new_url,
        ),
    )
