"""The audit log (read-only) and low-stock alerts, for Managers and Admins."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action

from accounts.roles import Role
from inventory.filters.audit import AuditEventFilter
from inventory.models import Alert, AuditEvent
from inventory.services.alerts import alert_acknowledge

from ..idempotency import Outcome, run_idempotent
from ..pagination import NewestFirstPagination
from ..schema import KEY_OPTIONAL
from ..serializers.stock import AlertSerializer, AuditEventSerializer
from .base import ApiViewMixin


class AuditEventViewSet(
    ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Who did what, when and from where; newest first."""

    required_role = Role.MANAGER
    serializer_class = AuditEventSerializer
    filterset_class = AuditEventFilter

    pagination_class = NewestFirstPagination

    def get_queryset(self):
        return AuditEvent.objects.order_by("-pk")


class AlertViewSet(
    ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Low-stock alerts (open and acknowledged first); acknowledge closes one for people."""

    required_role = Role.MANAGER
    serializer_class = AlertSerializer
    filterset_fields = ["status", "item", "store"]

    def get_queryset(self):
        return Alert.objects.select_related("item", "store", "closed_by").order_by(
            "-opened_at", "-pk"
        )

    @extend_schema(request=None, responses=AlertSerializer, parameters=[KEY_OPTIONAL])
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        alert = self.get_object()

        def handler(_key):
            self.refuse_any_body(request)
            # One not open (as the service finds it, not as read here) is a 409.
            acknowledged = alert_acknowledge(actor=self.actor(), alert=alert)
            return Outcome(200, AlertSerializer(acknowledged).data)

        return run_idempotent(request, handler, required=False)
