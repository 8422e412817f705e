"""Demo sales orders in each state, a quick sale and a return, made through the services."""

from inventory.models import Customer
from inventory.services.sales import (
    sales_order_cancel,
    sales_order_confirm,
    sales_order_create,
    sales_order_return,
    sales_order_ship,
    sales_quick_sale,
)


def seed(users, context) -> dict:
    staff = users["Staff"]
    stores, items = context["stores"], context["items"]
    customers = {c.name: c for c in Customer.objects.all()}
    harper, kims, school = (
        customers.get("Harper Builders"),
        customers.get("Kim's Kitchens"),
        customers.get("Riverside School"),
    )

    draft = sales_order_create(
        actor=staff,
        store=stores["MAIN"],
        customer=harper,
        note="Call before delivery.",
        lines=[(items["BOLT-M8"], "5", None), (items["NUT-M8"], "10", None)],
    )

    confirmed = sales_order_create(
        actor=staff, store=stores["MAIN"], customer=kims, lines=[(items["LAMP-LED9"], "6", None)]
    )
    sales_order_confirm(actor=staff, order=confirmed, idempotency_key=None)

    partial = sales_order_create(
        actor=staff,
        store=stores["MAIN"],
        customer=school,
        lines=[(items["CABLE-3G"], "100", "0.89"), (items["BOLT-M8"], "4", None)],
    )
    sales_order_confirm(actor=staff, order=partial, idempotency_key=None)
    cable, bolts = partial.lines.order_by("pk")
    sales_order_ship(
        actor=staff, order=partial, shipments={cable: "60", bolts: "4"}, idempotency_key=None
    )

    shipped = sales_order_create(
        actor=staff, store=stores["NORTH"], customer=harper, lines=[(items["NUT-M8"], "3", None)]
    )
    sales_order_confirm(actor=staff, order=shipped, idempotency_key=None)
    (nuts,) = shipped.lines.all()
    sales_order_ship(actor=staff, order=shipped, shipments={nuts: "3"}, idempotency_key=None)
    nuts.refresh_from_db()
    sales_order_return(
        actor=staff, line=nuts, quantity="1", note="Box opened, wrong size.", idempotency_key=None
    )

    cancelled = sales_order_create(
        actor=staff, store=stores["NORTH"], customer=kims, lines=[(items["LAMP-LED9"], "2", None)]
    )
    sales_order_cancel(actor=staff, order=cancelled, idempotency_key=None)

    quick = sales_quick_sale(
        actor=staff,
        store=stores["MAIN"],
        customer=None,
        lines=[(items["TAPE-50"], "2", None)],
        idempotency_key=None,
    ).order

    return {
        "sales_orders": {
            "draft": draft,
            "confirmed": confirmed,
            "partial": partial,
            "shipped": shipped,
            "cancelled": cancelled,
            "quick": quick,
        }
    }
