"""Rate limits: per token (or per signed-in user) and per anonymous address.

The rates are settings (REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], from the
environment). Counts live in Django's cache: with the default per-process memory
cache each worker counts on its own, so a shared cache (Redis, Memcached) makes the
limit exact across workers.
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from inventory.services.actor import client_ip

from .models import ApiToken


class SettingsRateThrottle(SimpleRateThrottle):
    def get_rate(self):
        # Read when used, not when the class is defined, so a changed setting applies.
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]


class ClientRateThrottle(SettingsRateThrottle):
    scope = "api_client"

    def get_cache_key(self, request, view):
        user = request.user
        if not getattr(user, "is_authenticated", False):
            return None
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        else:
            ident = f"user-{user.pk}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


class AnonAddressRateThrottle(SettingsRateThrottle):
    scope = "api_anon"

    def get_cache_key(self, request, view):
        if getattr(request.user, "is_authenticated", False):
            return None
        ident = client_ip(request) or "unknown"
        return self.cache_format % {"scope": self.scope, "ident": ident}
