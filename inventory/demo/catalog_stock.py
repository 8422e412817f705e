"""Demo catalogue and stock, created through the services like real use."""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from inventory.demo.clock import days_ago_at, frozen_clock
from inventory.models import Category, Customer, Item, Store, Supplier
from inventory.services.qc import lot_approve, lot_reject
from inventory.services.stock import (
    stock_adjust,
    stock_issue,
    stock_receive,
    stock_transfer,
)


def create_users(specs):
    User = get_user_model()
    users = {}
    for username, password, role in specs:
        user, created = User.objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.com"}
        )
        if created:
            user.set_password(password)
            user.save()
        user.groups.add(Group.objects.get(name=role))
        users[role] = user
    return users


ITEMS = [
    # sku, name, category, unit, cost, price, reorder, qc
    ("BOLT-M8", "Hex bolt M8 x 40", "Hardware", "box", "4.20", "7.90", "20", False),
    ("NUT-M8", "Hex nut M8", "Hardware", "box", "2.10", "3.95", "20", False),
    ("GLUE-500", "Wood glue 500 ml", "Adhesives", "pcs", "3.40", "6.50", "10", True),
    ("PAINT-W5", "White paint 5 l", "Paint", "pcs", "18.00", "32.00", "8", True),
    ("CABLE-3G", "Cable 3G1.5 per metre", "Electrical", "m", "0.45", "0.99", "100", False),
    ("LAMP-LED9", "LED bulb 9 W", "Electrical", "pcs", "1.60", "3.49", "30", False),
    ("SAND-25", "Sand 25 kg", "Building", "kg", "0.08", "0.20", "200", False),
    ("TAPE-50", "Duct tape 50 m", "Adhesives", "pcs", "2.75", "5.25", "12", False),
]
# What a scanner reads off the packs sold by the piece (type one into a picker to try it).
BARCODES = {
    "GLUE-500": "5012345000017",
    "PAINT-W5": "5012345000024",
    "LAMP-LED9": "5012345000031",
    "TAPE-50": "5012345000048",
}


def seed(users) -> dict:
    """Catalogue and opening stock, dated five weeks ago (before the demo's trading)."""
    with frozen_clock(days_ago_at(35, 8)):
        return _seed(users)


def _seed(users) -> dict:
    admin, manager, staff = users["Admin"], users["Manager"], users["Staff"]
    main = Store.objects.create(code="MAIN", name="Main Store", address="1 High Street")
    north = Store.objects.create(code="NORTH", name="North Store", address="9 North Road")
    warehouse = Store.objects.create(
        code="WH", name="Central Warehouse", kind=Store.Kind.WAREHOUSE, address="Unit 4, Dock Lane"
    )
    acme = Supplier.objects.create(name="Acme Fasteners", email="sales@acme.example")
    brite = Supplier.objects.create(name="Brite Electrical", email="orders@brite.example")
    coat = Supplier.objects.create(name="CoatCo Paints", email="trade@coatco.example")
    suppliers = {
        "Hardware": acme,
        "Electrical": brite,
        "Paint": coat,
        "Adhesives": coat,
        "Building": acme,
    }
    for name, mailbox in [
        ("Harper Builders", "harper"),
        ("Kim's Kitchens", "kims"),
        ("Riverside School", "riverside"),
    ]:
        Customer.objects.create(name=name, email=f"{mailbox}@customer.example")
    items = {}
    for sku, name, cat, unit, cost, price, reorder, qc in ITEMS:
        category, _ = Category.objects.get_or_create(name=cat)
        items[sku] = Item.objects.create(
            sku=sku,
            barcode=BARCODES.get(sku, ""),
            name=name,
            category=category,
            supplier=suppliers[cat],
            unit=unit,
            unit_cost=Decimal(cost),
            unit_price=Decimal(price),
            reorder_level=Decimal(reorder),
            qc_required=qc,
        )
    today = timezone.localdate()
    receipts = [
        ("BOLT-M8", warehouse, "120", None),
        ("BOLT-M8", main, "35", None),
        ("NUT-M8", main, "60", None),
        ("NUT-M8", north, "15", None),
        ("GLUE-500", main, "40", today + timedelta(days=180)),
        ("GLUE-500", main, "24", today + timedelta(days=60)),
        ("PAINT-W5", warehouse, "30", today + timedelta(days=365)),
        ("PAINT-W5", main, "6", today + timedelta(days=300)),
        ("CABLE-3G", warehouse, "1500", None),
        ("CABLE-3G", main, "250", None),
        ("LAMP-LED9", main, "80", None),
        ("LAMP-LED9", north, "25", None),
        ("SAND-25", warehouse, "2000", None),
        ("TAPE-50", main, "10", None),
    ]
    lots = []
    for sku, store, qty, expires in receipts:
        result = stock_receive(
            actor=staff, item=items[sku], store=store, quantity=qty, expires_on=expires
        )
        lots.append(result.entries[0].lot)
    glue_lots = [lot for lot in lots if lot.item.sku == "GLUE-500"]
    paint_lots = [lot for lot in lots if lot.item.sku == "PAINT-W5"]
    lot_approve(actor=manager, lot=glue_lots[0], note="Viscosity within spec.")
    lot_approve(actor=manager, lot=paint_lots[0], note="Colour matches sample.")
    lot_reject(actor=manager, lot=paint_lots[1], note="Lids damaged in transit.")
    stock_transfer(
        actor=manager, item=items["BOLT-M8"], from_store=warehouse, to_store=north, quantity="40"
    )
    stock_transfer(
        actor=manager, item=items["PAINT-W5"], from_store=warehouse, to_store=main, quantity="10"
    )
    stock_issue(actor=staff, item=items["LAMP-LED9"], store=main, quantity="30")
    stock_issue(actor=staff, item=items["NUT-M8"], store=north, quantity="9")
    stock_issue(actor=staff, item=items["TAPE-50"], store=main, quantity="4")
    stock_adjust(
        actor=manager,
        lot=paint_lots[1],
        store=main,
        quantity="-2",
        reason="RETURN_TO_SUPPLIER",
        note="Two tins sent back to CoatCo.",
    )
    stock_adjust(
        actor=admin,
        lot=lots[0],
        store=warehouse,
        quantity="-3",
        reason="DAMAGE",
        note="Forklift accident.",
    )
    return {
        "stores": {"MAIN": main, "NORTH": north, "WH": warehouse},
        "items": items,
        "suppliers": {"acme": acme, "brite": brite, "coat": coat},
    }
