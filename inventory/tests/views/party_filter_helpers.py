"""Shared by the party filter tests: list URLs, orders for a party, a field's markup."""

import re

from django.urls import reverse

from inventory.services.purchasing import purchase_order_create
from inventory.services.sales import sales_order_create

PURCHASES = reverse("inventory:purchase_list")
SALES = reverse("inventory:sales_list")
HOSTILE_ID = "9" * 30


def purchase(user, supplier, store, item):
    return purchase_order_create(
        actor=user, supplier=supplier, store=store, lines=[(item, "1", None)]
    )


def sale(user, customer, store, item):
    return sales_order_create(actor=user, store=store, customer=customer, lines=[(item, "1")])


def deactivate(party):
    party.is_active = False
    party.save(update_fields=["is_active"])
    return party


def field_group(html, name) -> str:
    """The markup of one field's group: its label, box, errors and help."""
    start = html.index(f'id="div_id_{name}"')
    end = html.find('id="div_id_', start + 1)
    return html[start : end if end > 0 else len(html)]


NAMED = re.compile(r"PARTY-[CS]\d{4}")
