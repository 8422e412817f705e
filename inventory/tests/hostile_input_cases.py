"""What the hostile posts aim at: documents in every state (World) and a valid post per form."""

from decimal import Decimal

from accounts.tests.factories import UserFactory
from inventory.models import (
    Alert,
    Category,
    Customer,
    Item,
    LedgerEntry,
    Lot,
    Store,
    Supplier,
)
from inventory.services.purchasing import (
    purchase_direct,
    purchase_order_cancel,
    purchase_order_create,
    purchase_order_place,
)
from inventory.services.sales import (
    sales_order_cancel,
    sales_order_confirm,
    sales_order_create,
    sales_quick_sale,
)
from inventory.services.stock import stock_receive
from inventory.tests.factories import CategoryFactory, CustomerFactory, ItemFactory, StoreFactory

MISSING = 999_999_999
ROLES = ("Staff", "Manager", "Admin", "no role")  # "no role": registered, awaiting approval

# --- the world every post is aimed at -------------------------------------------------


class World:
    """Documents in every state, and ids that belong elsewhere or nowhere."""

    def __init__(self):
        self.manager = UserFactory(role="Manager", username="hostile-world")
        self.store = StoreFactory(code="MAIN", name="Main Store")
        self.other_store = StoreFactory(code="WH", name="Warehouse", kind="WAREHOUSE")
        self.closed_store = StoreFactory(code="OLD", name="Closed", is_active=False)
        self.category = CategoryFactory(name="Widgets")
        self.customer = CustomerFactory(name="Acme")
        self.item = ItemFactory(sku="SKU-0042", category=self.category, reorder_level=Decimal(5))
        self.other_item = ItemFactory(sku="SKU-0043", category=self.category)
        self.qc_item = ItemFactory(sku="SKU-QC01", category=self.category, qc_required=True)
        self.dead_item = ItemFactory(sku="SKU-DEAD", category=self.category, is_active=False)
        self.supplier = self.item.supplier
        m = self.manager
        stock_receive(actor=m, item=self.item, store=self.store, quantity=50, lot_code="LOT-A")
        stock_receive(actor=m, item=self.other_item, store=self.store, quantity=5)
        stock_receive(actor=m, item=self.qc_item, store=self.store, quantity=10, lot_code="Q-1")
        self.receive_entry = LedgerEntry.objects.filter(kind="RECEIVE").order_by("pk").first()
        self.lot = Lot.objects.get(item=self.item, code="LOT-A")
        self.other_lot = Lot.objects.filter(item=self.other_item).first()
        self.qc_lot = Lot.objects.get(item=self.qc_item, code="Q-1")

        def po(lines):
            return purchase_order_create(
                actor=m, supplier=self.supplier, store=self.store, lines=lines
            )

        self.po_draft = po([(self.item, 4, None)])
        self.po_ordered = po([(self.item, 6, None), (self.other_item, 3, None)])
        purchase_order_place(actor=m, order=self.po_ordered)
        self.po_cancelled = po([(self.item, 2, None)])
        purchase_order_cancel(actor=m, order=self.po_cancelled)
        self.po_received = purchase_direct(
            actor=m,
            supplier=self.supplier,
            store=self.store,
            lines=[{"item": self.other_item, "quantity": 2, "unit_cost": None}],
            idempotency_key="world-direct",
        ).order
        self.po_line = self.po_ordered.lines.order_by("pk").first()
        self.po_line_elsewhere = self.po_draft.lines.first()

        def so(quantity, item=None):
            item = item or self.item
            return sales_order_create(
                actor=m, store=self.store, customer=self.customer, lines=[(item, quantity, None)]
            )

        self.so_draft = so(2)
        self.so_short = so(500)
        self.so_confirmed = so(3)
        sales_order_confirm(actor=m, order=self.so_confirmed, idempotency_key="world-confirm")
        self.so_cancelled = so(1)
        sales_order_cancel(actor=m, order=self.so_cancelled, idempotency_key="world-cancel")
        self.so_shipped = sales_quick_sale(
            actor=m,
            store=self.store,
            customer=None,
            lines=[(self.item, 2, None)],
            idempotency_key="world-quick",
        ).order
        self.issue_entry = LedgerEntry.objects.filter(kind="ISSUE").first()
        self.so_line_confirmed = self.so_confirmed.lines.first()
        self.so_line_shipped = self.so_shipped.lines.first()
        self.so_line_draft = self.so_draft.lines.first()
        self.alert = Alert.objects.create(
            item=self.other_item,
            store=self.other_store,
            available_at_open=Decimal(0),
            reorder_level=Decimal(1),
        )
        self.users = {
            role: UserFactory(
                role=None if role == "no role" else role,
                username=f"hostile-{role.replace(' ', '-')}",
            )
            for role in ROLES
        }

    def ids(self) -> list:
        """Ids that exist but belong to something else, and ids of nothing."""
        return [
            self.item.pk,
            self.dead_item.pk,
            self.lot.pk,
            self.qc_lot.pk,
            self.other_lot.pk,
            self.store.pk,
            self.closed_store.pk,
            self.po_line.pk,
            self.po_line_elsewhere.pk,
            self.so_line_draft.pk,
            self.so_line_shipped.pk,
            MISSING,
            -1,
            0,
            "abc",
            "1.5",
            "",
        ]


def _lines(prefix: str, fields: dict, *, total=1) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": total,
        f"{prefix}-INITIAL_FORMS": 0,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }
    data.update({f"{prefix}-0-{name}": value for name, value in fields.items()})
    return data


def _sale_header(w: World, key: bool) -> dict:
    data = {"store": w.store.pk, "customer": w.customer.pk, "note": "fuzz"}
    data.update(_lines("lines", {"item": w.item.pk, "quantity": "1", "unit_price": ""}))
    if key:
        data["idempotency_key"] = "fuzz-key"
    return data


def _po_header(w: World, *, direct: bool) -> dict:
    data = {"supplier": w.supplier.pk, "store": w.store.pk, "note": "fuzz"}
    line = {"item": w.item.pk, "quantity": "2", "unit_cost": "1.50"}
    if direct:
        line.update({"lot_code": "", "expires_on": ""})
        data["idempotency_key"] = "fuzz-key"
    else:
        data["expected_on"] = "2026-12-01"
    data.update(_lines("lines", line))
    return data


def _receive(w: World) -> dict:
    data = {
        "idempotency_key": "fuzz-key",
        "receipts-TOTAL_FORMS": 1,
        "receipts-INITIAL_FORMS": 1,
        "receipts-MIN_NUM_FORMS": 0,
        "receipts-MAX_NUM_FORMS": 500,
        "receipts-0-line": w.po_line.pk,
        "receipts-0-quantity": "1",
        "receipts-0-lot_code": "",
        "receipts-0-expires_on": "",
    }
    return data


def _catalog_fields(model) -> dict:
    return {
        Item: {
            "sku": "FUZZ-1",
            "name": "Fuzz",
            "description": "",
            "category": None,
            "supplier": "",
            "unit": "pcs",
            "unit_cost": "1.00",
            "unit_price": "2.00",
            "reorder_level": "0",
            "qc_required": "",
        },
        Category: {"name": "Fuzz category", "description": ""},
        Store: {"code": "FZ", "name": "Fuzz store", "kind": "STORE", "address": "", "contact": ""},
        Supplier: {"name": "Fuzz supplier", "email": "", "phone": "", "address": ""},
        Customer: {"name": "Fuzz customer", "email": "", "phone": "", "address": ""},
    }[model]


def _catalog(model, key):
    def targets(w: World):
        return {
            Item: [w.item.pk, w.dead_item.pk],
            Category: [w.category.pk],
            Store: [w.store.pk, w.closed_store.pk],
            Supplier: [w.supplier.pk],
            Customer: [w.customer.pk],
        }[model] + [MISSING]

    def fields(w: World):
        data = _catalog_fields(model)
        if model is Item:
            data["category"] = w.category.pk
        return data

    return {
        f"inventory:{key}_create": (None, fields),
        f"inventory:{key}_edit": (targets, fields),
        f"inventory:{key}_deactivate": (targets, lambda w: {}),
        f"inventory:{key}_activate": (targets, lambda w: {}),
    }


def _pk(*names):
    return lambda w: [getattr(w, name).pk for name in names] + [MISSING]


# url name -> (kwargs choices or None, valid form data). Field names read from the forms.
FORMS = {
    "inventory:sales_quick": (None, lambda w: _sale_header(w, key=True)),
    "inventory:sales_new": (None, lambda w: _sale_header(w, key=False)),
    "inventory:sales_edit": (
        _pk("so_draft", "so_confirmed", "so_shipped"),
        lambda w: _sale_header(w, key=False),
    ),
    "inventory:sales_confirm": (
        _pk("so_draft", "so_short", "so_confirmed", "so_shipped", "so_cancelled"),
        lambda w: {"idempotency_key": "fuzz-key"},
    ),
    "inventory:sales_cancel": (
        _pk("so_draft", "so_confirmed", "so_shipped", "so_cancelled"),
        lambda w: {"idempotency_key": "fuzz-key"},
    ),
    "inventory:sales_ship": (
        _pk("so_confirmed", "so_draft", "so_shipped", "so_cancelled"),
        lambda w: {"idempotency_key": "fuzz-key", f"line_{w.so_line_confirmed.pk}": "1"},
    ),
    "inventory:sales_return": (
        lambda w: [
            {"pk": w.so_shipped.pk, "line_pk": w.so_line_shipped.pk},
            {"pk": w.so_shipped.pk, "line_pk": w.so_line_draft.pk},
            {"pk": w.so_draft.pk, "line_pk": w.so_line_draft.pk},
            {"pk": w.so_confirmed.pk, "line_pk": w.so_line_confirmed.pk},
            {"pk": MISSING, "line_pk": MISSING},
        ],
        lambda w: {"idempotency_key": "fuzz-key", "quantity": "1", "note": "fuzz"},
    ),
    "inventory:purchase_new": (None, lambda w: _po_header(w, direct=True)),
    "inventory:purchase_order_new": (None, lambda w: _po_header(w, direct=False)),
    "inventory:purchase_edit": (
        _pk("po_draft", "po_ordered", "po_received", "po_cancelled"),
        lambda w: _po_header(w, direct=False),
    ),
    "inventory:purchase_place": (_pk("po_draft", "po_ordered", "po_cancelled"), lambda w: {}),
    "inventory:purchase_cancel": (_pk("po_draft", "po_ordered", "po_received"), lambda w: {}),
    "inventory:purchase_receive": (
        _pk("po_ordered", "po_draft", "po_received", "po_cancelled"),
        _receive,
    ),
    "inventory:transfer_new": (
        None,
        lambda w: {
            "idempotency_key": "fuzz-key",
            "from_store": w.store.pk,
            "to_store": w.other_store.pk,
            "note": "fuzz",
            **_lines("lines", {"item": w.item.pk, "quantity": "1", "lot": w.lot.pk}),
        },
    ),
    "inventory:adjustment_new": (
        None,
        lambda w: {
            "idempotency_key": "fuzz-key",
            "item": w.item.pk,
            "lot": w.lot.pk,
            "store": w.store.pk,
            "quantity": "-1",
            "reason": "DAMAGE",
            "note": "fuzz",
        },
    ),
    "inventory:ledger_reverse": (
        _pk("receive_entry", "issue_entry"),
        lambda w: {"idempotency_key": "fuzz-key", "note": "fuzz"},
    ),
    "inventory:lot_approve": (_pk("qc_lot", "lot"), lambda w: {"note": "fuzz"}),
    "inventory:lot_reject": (_pk("qc_lot", "lot"), lambda w: {"note": "fuzz"}),
    "inventory:alert_acknowledge": (_pk("alert"), lambda w: {}),
    "user_set_role": (
        lambda w: [w.manager.pk, w.users["Staff"].pk, MISSING],
        lambda w: {"role": "1"},
    ),
    "password_change": (
        None,
        lambda w: {
            "old_password": "correct-horse-battery",
            "new_password1": "",
            "new_password2": "",
        },
    ),
    **_catalog(Item, "item"),
    **_catalog(Category, "category"),
    **_catalog(Store, "store"),
    **_catalog(Supplier, "supplier"),
    **_catalog(Customer, "customer"),
}
