"""Create the Admin, Manager and Staff groups with the model permissions of DESIGN.md."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from accounts.role_groups import GROUP_PERMISSIONS, sync_role_groups


def create_groups(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_role_groups(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=list(GROUP_PERMISSIONS)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("inventory", "0002_append_only_triggers"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
