from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_role_groups(sender, **kwargs):
    """Recreate the role groups after a flush (tests), as Django does for permissions."""
    from django.contrib.auth.models import Group, Permission

    from .role_groups import sync_role_groups

    sync_role_groups(Group, Permission)


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"

    def ready(self):
        # accounts has no models, so it gets no post_migrate of its own: follow inventory's,
        # after auth has created inventory's permissions.
        from django.apps import apps

        from . import signals  # noqa: F401  (login audit receivers)

        # And after api's, which comes later and brings the API token's permission.
        for app in ("inventory", "api"):
            post_migrate.connect(
                _ensure_role_groups,
                sender=apps.get_app_config(app),
                dispatch_uid=f"accounts.ensure_role_groups.{app}",
            )
