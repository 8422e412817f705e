"""What every API view shares: the acting user for services, and throttled refusals."""

from rest_framework import exceptions

from accounts.roles import Role
from inventory.services.actor import Actor

from ..throttling import AnonAddressRateThrottle


class ApiViewMixin:
    """Mix into every API view (before the DRF base class)."""

    required_role: Role = Role.STAFF
    action_roles: dict = {}

    def actor(self) -> Actor:
        return Actor.from_request(self.request)

    def initial(self, request, *args, **kwargs):
        try:
            super().initial(request, *args, **kwargs)
        except (exceptions.NotAuthenticated, exceptions.AuthenticationFailed):
            # Refused before the throttles ran: count it against the address, so that
            # guessing tokens is rate limited like any anonymous traffic.
            throttle = AnonAddressRateThrottle()
            if not throttle.allow_request(request, self):
                raise exceptions.Throttled(throttle.wait()) from None
            raise
