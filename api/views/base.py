"""What every API view shares: the acting user for services, and throttled refusals."""

import re

from django.http import Http404
from rest_framework import exceptions

from accounts.roles import Role
from inventory.services.actor import Actor

from ..serializers.fields import NoInput
from ..throttling import AnonAddressRateThrottle

# An id in a URL: ASCII digits only. int() (and so the ORM) also reads "١" or " 1" as 1.
URL_ID = re.compile(r"[0-9]+")


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
        # After authentication: an anonymous caller gets its 401 whatever it sent.
        self._refuse_unparsed_bodies(request)
        self._refuse_odd_ids()
        self._refuse_non_object_bodies(request)

    def _refuse_odd_ids(self) -> None:
        """Answer 404 for an id in the URL that is not plain ASCII digits (`/items/١/`).

        The router's converters are `str`, so every id reaches the view as text; checked
        after authentication so that an anonymous caller still gets its 401.
        """
        for value in self.kwargs.values():
            if not URL_ID.fullmatch(str(value)):
                raise Http404

    def _refuse_non_object_bodies(self, request) -> None:
        """Refuse a write whose JSON body is not an object (`null`, a list, a number):
        every body of this API is an object, and an action that takes none takes `{}`."""
        if request.method in ("POST", "PUT", "PATCH") and not isinstance(request.data, dict):
            raise exceptions.ParseError("The request body must be a JSON object.")

    def refuse_any_body(self, request) -> None:
        """For an action that takes no input: refuse any key sent, by name."""
        NoInput(data=request.data).is_valid(raise_exception=True)

    def _refuse_unparsed_bodies(self, request) -> None:
        """Refuse a write whose body is not JSON, even where the body would be ignored.

        A form post (a browser form, a confused client) to an action that needs no
        body must not act as if it were an API call that sent none.
        """
        if request.method not in ("POST", "PUT", "PATCH"):
            return
        if not request.META.get("CONTENT_LENGTH", "0").strip("0 "):
            return  # no body at all: `curl -X POST` with no data
        media_type = (request.content_type or "").split(";")[0].strip().lower()
        if media_type != "application/json":
            raise exceptions.UnsupportedMediaType(media_type or "(none)")
