"""Create the Admin, Manager and Staff groups with the model permissions of DESIGN.md."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEW_ALL = [
    "view_item", "view_category", "view_store", "view_supplier", "view_customer",
    "view_lot", "view_stockbalance", "view_ledgerentry", "view_purchaseorder",
    "view_purchaseorderline", "view_salesorder", "view_salesorderline",
]
STAFF = VIEW_ALL + [
    "add_salesorder", "change_salesorder", "add_salesorderline", "change_salesorderline",
    "change_purchaseorder",  # receiving moves a PO along
]
MANAGER = STAFF + [
    "add_item", "change_item", "add_category", "change_category", "add_store", "change_store",
    "add_supplier", "change_supplier", "add_customer", "change_customer",
    "add_purchaseorder", "add_purchaseorderline", "change_purchaseorderline",
    "change_lot", "view_lotdecision", "view_auditevent", "view_alert", "change_alert",
    "view_operation",
]
ADMIN_EXTRA = ["view_user", "add_user", "change_user", "view_group"]


def create_groups(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def perms(codenames):
        return list(Permission.objects.filter(codename__in=codenames))

    staff, _ = Group.objects.get_or_create(name="Staff")
    staff.permissions.set(perms(STAFF))
    manager, _ = Group.objects.get_or_create(name="Manager")
    manager.permissions.set(perms(MANAGER))
    admin, _ = Group.objects.get_or_create(name="Admin")
    admin.permissions.set(perms(MANAGER + ADMIN_EXTRA))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Staff", "Manager", "Admin"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("inventory", "0002_append_only_triggers"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
