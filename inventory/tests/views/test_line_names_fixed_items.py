"""Lines that show a fixed item (receipts, shipments, returns, a count sheet) name their
boxes after it: "Quantity now of BOLT-M8", with the line's number only where the page has
the SKU on several lines. One line, three lines (one SKU twice), and a refused form."""

import re

import pytest
from django.urls import reverse

from inventory.services.purchasing import purchase_order_create, purchase_order_place
from inventory.services.sales import sales_order_confirm, sales_order_create, sales_order_ship
from inventory.services.stock import stock_receive
from inventory.tests.factories import ItemFactory
from inventory.tests.views.line_names_helpers import control_attrs, named_controls
from inventory.tests.views.purchasing_view_helpers import receive_post

pytestmark = pytest.mark.django_db

# (the lines' SKUs, what their boxes call them): one line; three with BOLT-M8 twice.
LINES = [
    pytest.param(("BOLT-M8",), ["BOLT-M8"], id="one line"),
    pytest.param(
        ("BOLT-M8", "NUT-M8", "BOLT-M8"),
        ["BOLT-M8 (line 1)", "NUT-M8", "BOLT-M8 (line 3)"],
        id="three lines",
    ),
]


@pytest.fixture
def items(db, manager_user, store):
    """BOLT-M8 and NUT-M8, 50 of each in the store."""
    made = {sku: ItemFactory(sku=sku, reorder_level=0) for sku in ("BOLT-M8", "NUT-M8")}
    for item in made.values():
        stock_receive(actor=manager_user, item=item, store=store, quantity="50")
    return made


def _ordered(user, supplier, store, items, skus):
    order = purchase_order_create(
        actor=user,
        supplier=supplier,
        store=store,
        lines=[(items[sku], "10", "1.00") for sku in skus],
    )
    return purchase_order_place(actor=user, order=order)


def _sale(user, store, items, skus, *, shipped=False):
    order = sales_order_create(
        actor=user, store=store, customer=None, lines=[(items[sku], "4", None) for sku in skus]
    )
    sales_order_confirm(actor=user, order=order, idempotency_key=None)
    lines = list(order.lines.order_by("pk"))
    if shipped:
        sales_order_ship(
            actor=user, order=order, shipments=dict.fromkeys(lines, "4"), idempotency_key=None
        )
    return order, lines


@pytest.mark.parametrize(("skus", "names"), LINES)
@pytest.mark.parametrize("refused", [False, True], ids=["shown", "refused"])
def test_receipt_boxes_name_their_item(
    manager_client, manager_user, supplier, store, items, skus, names, refused
):
    order = _ordered(manager_user, supplier, store, items, skus)
    url = reverse("inventory:purchase_receive", args=[order.pk])
    lines = list(order.lines.order_by("pk"))

    if refused:
        rows = [(line, "abc" if n == len(lines) - 1 else "1", "") for n, line in enumerate(lines)]
        response = manager_client.post(url, receive_post(order, *rows))
    else:
        response = manager_client.get(url)

    html = response.content.decode()
    assert response.status_code == 200 and ("Enter a number." in html) == refused
    expected = {}
    for index, name in enumerate(names):
        expected[f"id_receipts-{index}-quantity"] = f"Quantity now of {name}"
        expected[f"id_receipts-{index}-lot_code"] = f"Lot code of {name}"
        expected[f"id_receipts-{index}-expires_on"] = f"Expires on of {name}"
    assert named_controls(html, r"id_receipts-\d+-\w+") == expected


@pytest.mark.parametrize(("skus", "names"), LINES)
@pytest.mark.parametrize("refused", [False, True], ids=["shown", "refused"])
def test_shipment_boxes_name_their_item(
    manager_client, manager_user, store, items, skus, names, refused
):
    order, lines = _sale(manager_user, store, items, skus)
    url = reverse("inventory:sales_ship", args=[order.pk])

    if refused:  # more than line 1 has reserved
        response = manager_client.post(url, {"idempotency_key": "s", f"line_{lines[0].pk}": "9"})
    else:
        response = manager_client.get(url)

    html = response.content.decode()
    assert response.status_code == 200
    assert ('aria-invalid="true"' in html) == refused
    shown = zip(lines, names, strict=True)
    expected = {f"id_line_{line.pk}": f"Ship {name}" for line, name in shown}
    assert named_controls(html, r"id_line_\d+") == expected


@pytest.mark.parametrize(("skus", "names"), LINES)
@pytest.mark.parametrize("refused", [False, True], ids=["shown", "refused"])
def test_return_boxes_name_their_item(
    manager_client, manager_user, store, items, skus, names, refused
):
    order, lines = _sale(manager_user, store, items, skus, shipped=True)

    if refused:  # more of the last line than was shipped
        url = reverse("inventory:sales_return", args=[order.pk, lines[-1].pk])
        response = manager_client.post(url, {"idempotency_key": "r", "quantity": "9"})
    else:
        response = manager_client.get(reverse("inventory:sales_detail", args=[order.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert ('data-testid="return-error"' in html) == refused
    expected = {}
    for line, name in zip(lines, names, strict=True):
        expected[f"id_return_{line.pk}_quantity"] = f"Return quantity of {name}"
        expected[f"id_return_{line.pk}_note"] = f"Return note for {name}"
        expected[f"id_return_{line.pk}_damaged"] = f"{name} returned damaged"
    assert named_controls(html, r"id_return_\d+_\w+") == expected


@pytest.mark.parametrize("lots", [1, 3])
@pytest.mark.parametrize("refused", [False, True], ids=["shown", "refused"])
def test_count_sheet_boxes_name_their_item_and_lot(
    manager_client, manager_user, other_store, lots, refused
):
    bolt = ItemFactory(sku="BOLT-M8", reorder_level=0)
    for code in ("A", "B", "C")[:lots]:
        stock_receive(actor=manager_user, item=bolt, store=other_store, quantity=5, lot_code=code)
    page = manager_client.get("/stock/count/", {"store": other_store.pk})

    if refused:
        html = page.content.decode()
        data = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
        counts = re.findall(r'name="(count_\d+)"', html)
        page = manager_client.post("/stock/count/", data | dict.fromkeys(counts, "x"))

    html = page.content.decode()
    assert page.status_code == 200 and ("Enter a number." in html) == refused
    found = named_controls(html, r"id_count_\d+")
    expected = [f"Found of BOLT-M8 lot {code}" for code in ("A", "B", "C")[:lots]]
    assert sorted(found.values()) == expected
    if refused:
        assert control_attrs(html, next(iter(found)))["aria-invalid"] == "true"
