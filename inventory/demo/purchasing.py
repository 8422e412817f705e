"""Demo purchase orders in each state, created through the services like real use."""

from datetime import timedelta

from django.utils import timezone

from inventory.services.purchasing import (
    purchase_direct,
    purchase_order_cancel,
    purchase_order_create,
    purchase_order_place,
    purchase_order_receive,
)


def seed(users, context) -> dict:
    manager, staff = users["Manager"], users["Staff"]
    stores, items, suppliers = context["stores"], context["items"], context["suppliers"]
    today = timezone.localdate()

    draft = purchase_order_create(
        actor=manager,
        supplier=suppliers["brite"],
        store=stores["NORTH"],
        expected_on=today + timedelta(days=14),
        note="Restock bulbs before the winter.",
        lines=[(items["LAMP-LED9"], "60", "1.55"), (items["CABLE-3G"], "200", None)],
    )
    ordered = purchase_order_create(
        actor=manager,
        supplier=suppliers["acme"],
        store=stores["WH"],
        expected_on=today + timedelta(days=5),
        lines=[(items["BOLT-M8"], "100", "4.10"), (items["NUT-M8"], "80", "2.05")],
    )
    ordered = purchase_order_place(actor=manager, order=ordered)

    partial = purchase_order_create(
        actor=manager,
        supplier=suppliers["coat"],
        store=stores["MAIN"],
        expected_on=today + timedelta(days=2),
        lines=[(items["PAINT-W5"], "20", "17.50"), (items["TAPE-50"], "24", "2.70")],
    )
    partial = purchase_order_place(actor=manager, order=partial)
    paint, tape = partial.lines.order_by("pk")
    partial = purchase_order_receive(
        actor=staff,
        order=partial,
        receipts=[
            {
                "line": paint,
                "quantity": "8",
                "lot_code": "CC-2405",
                "expires_on": today + timedelta(days=400),
            },
            {"line": tape, "quantity": "24", "lot_code": "", "expires_on": None},
        ],
    ).order

    cancelled = purchase_order_create(
        actor=manager,
        supplier=suppliers["acme"],
        store=stores["MAIN"],
        lines=[(items["SAND-25"], "500", None)],
        note="Duplicate of a phone order.",
    )
    cancelled = purchase_order_cancel(actor=manager, order=cancelled)

    direct = purchase_direct(
        actor=staff,
        supplier=suppliers["coat"],
        store=stores["MAIN"],
        note="Bought at the trade counter.",
        lines=[
            {
                "item": items["GLUE-500"],
                "quantity": "12",
                "unit_cost": "3.30",
                "lot_code": "",
                "expires_on": today + timedelta(days=240),
            }
        ],
    )
    return {
        "purchase_orders": {
            "draft": draft,
            "ordered": ordered,
            "partial": partial,
            "cancelled": cancelled,
            "direct": direct.order,
        }
    }
