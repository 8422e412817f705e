"""The permissions each role group holds (DESIGN.md, Roles). Used by the data migration and
after every flush (post_migrate), so the groups always exist."""

VIEW_ALL = [
    "view_item", "view_category", "view_store", "view_supplier", "view_customer",
    "view_lot", "view_stockbalance", "view_ledgerentry", "view_purchaseorder",
    "view_purchaseorderline", "view_salesorder", "view_salesorderline",
]  # fmt: skip
STAFF = VIEW_ALL + [
    "add_salesorder", "change_salesorder", "add_salesorderline", "change_salesorderline",
    "change_purchaseorder",  # receiving moves a PO along
]  # fmt: skip
MANAGER = STAFF + [
    "add_item", "change_item", "add_category", "change_category", "add_store", "change_store",
    "add_supplier", "change_supplier", "add_customer", "change_customer",
    "add_purchaseorder", "add_purchaseorderline", "change_purchaseorderline",
    "change_lot", "view_lotdecision", "view_auditevent", "view_alert", "change_alert",
    "view_operation",
]  # fmt: skip
ADMIN = MANAGER + ["view_user", "add_user", "change_user", "view_group", "view_apitoken"]

GROUP_PERMISSIONS = {"Staff": STAFF, "Manager": MANAGER, "Admin": ADMIN}


def sync_role_groups(group_model, permission_model) -> None:
    for name, codenames in GROUP_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=name)
        group.permissions.set(permission_model.objects.filter(codename__in=codenames))
