"""Shared by the catalogue view tests: the audit events a catalogue change records."""

from inventory.models import AuditEvent


def _catalogue_events():
    return AuditEvent.objects.exclude(action__startswith="auth.")
