"""The audit trail, shared by its tests: the request context (IP and user agent) they send."""

IP = "203.0.113.7"
AGENT = "Mozilla/5.0 (audit test)"
