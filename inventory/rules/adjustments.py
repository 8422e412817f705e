"""Adjustments: which reasons take stock out and which bring it in."""

NEGATIVE_REASONS = {"DAMAGE", "LOSS", "WRITE_OFF", "RETURN_TO_SUPPLIER"}
POSITIVE_REASONS = {"FOUND"}
