from accounts.roles import Role, user_role


def alerts(request):
    """Count open low-stock alerts for the navigation badge (managers only, one query)."""
    user = getattr(request, "user", None)
    if user is None or user_role(user) < Role.MANAGER:
        return {}
    from inventory.models import Alert

    return {"open_alert_count": Alert.objects.filter(status=Alert.Status.OPEN).count()}
