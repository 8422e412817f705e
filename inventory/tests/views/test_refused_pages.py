"""Pages shown after a refusal: a receipt's rows each keep their own line's values and
error, and a refused return's page (at the POST address) leaves every link working."""

import re

import pytest
from django.urls import reverse

from inventory.models import LedgerEntry, PurchaseOrder, SalesOrder, StockBalance
from inventory.services.purchasing import (
    purchase_order_create,
    purchase_order_place,
    purchase_order_receive,
)
from inventory.services.sales import sales_order_confirm, sales_order_create, sales_order_ship
from inventory.services.stock import stock_receive
from inventory.tests.factories import ItemFactory
from inventory.tests.views.purchasing_view_helpers import line_management
from inventory.tests.views.purchasing_view_helpers import state as po_state
from inventory.tests.views.sales_view_helpers import state as so_state

pytestmark = pytest.mark.django_db

ROW = re.compile(r"<tr>(.*?)</tr>", re.S)


# --- purchase order receipt ---------------------------------------------------------------


@pytest.fixture(name="three_lines")
def three_lines_fixture(manager_user, supplier, store):
    items = [ItemFactory(sku=sku, reorder_level=0) for sku in ("AAA-1", "BBB-2", "CCC-3")]
    order = purchase_order_create(
        actor=manager_user,
        supplier=supplier,
        store=store,
        lines=[(items[0], "10", "1.00"), (items[1], "5", "1.00"), (items[2], "7", "1.00")],
    )
    return purchase_order_place(actor=manager_user, order=order)


def _post(order, *rows):
    """rows: (line, quantity, lot code, expiry) as the page's boxes hold them."""
    data = {"idempotency_key": "rcpt-1", **line_management("receipts", len(rows), len(rows))}
    for i, (line, quantity, lot_code, expires_on) in enumerate(rows):
        data |= {
            f"receipts-{i}-line": str(line.pk),
            f"receipts-{i}-quantity": quantity,
            f"receipts-{i}-lot_code": lot_code,
            f"receipts-{i}-expires_on": expires_on,
        }
    return data


def _rows(response) -> list[dict]:
    """Each row of the receipt table: its SKU, its line id, its boxes' values, its errors."""
    page = response.content.decode()
    body = page[page.index("<tbody>") : page.index("</tbody>")]
    rows = []
    for markup in ROW.findall(body):
        values = dict(re.findall(r'name="receipts-\d+-(\w+)"(?: value="([^"]*)")?', markup, re.S))
        rows.append(
            {
                "sku": re.search(r'<span class="text-nowrap">([^<]+)</span>', markup).group(1),
                "line": values.pop("line"),
                "values": values,
                "errors": re.findall(r'class="invalid-feedback d-block"[^>]*>([^<]*)<', markup),
            }
        )
    return rows


def _snapshot(order):
    return po_state(order), sorted(StockBalance.objects.values_list("pk", "on_hand", "reserved"))


def test_an_over_receipt_comes_back_on_its_own_line_with_every_row_as_typed(
    staff_client, three_lines
):
    a, b, c = three_lines.lines.order_by("pk")
    before = _snapshot(three_lines)

    response = staff_client.post(
        reverse("inventory:purchase_receive", args=[three_lines.pk]),
        _post(
            three_lines,
            (a, "3", "LOT-A", ""),
            (b, "9", "LOT-B", ""),
            (c, "2", "LOT-C", "2031-05-01"),
        ),
    )

    assert response.status_code == 200
    assert _rows(response) == [
        {
            "sku": "AAA-1",
            "line": str(a.pk),
            "values": {"quantity": "3", "lot_code": "LOT-A", "expires_on": ""},
            "errors": [],
        },
        {
            "sku": "BBB-2",
            "line": str(b.pk),
            "values": {"quantity": "9", "lot_code": "LOT-B", "expires_on": ""},
            "errors": [f"Only 5 pcs of BBB-2 are outstanding on {three_lines.number}; 9 entered."],
        },
        {
            "sku": "CCC-3",
            "line": str(c.pk),
            "values": {"quantity": "2", "lot_code": "LOT-C", "expires_on": "2031-05-01"},
            "errors": [],
        },
    ]
    assert _snapshot(three_lines) == before
    assert LedgerEntry.objects.count() == 0


@pytest.mark.parametrize(
    ("expires_on", "error"),
    [
        ("2001-02-03", "Expiry date 2001-02-03 is in the past: expired stock cannot be received."),
        ("2031-13-40", "Enter a valid date as YYYY-MM-DD, e.g. 2026-12-31."),
    ],
)
def test_a_bad_expiry_date_comes_back_on_its_own_line(staff_client, three_lines, expires_on, error):
    a, b, c = three_lines.lines.order_by("pk")
    before = _snapshot(three_lines)

    response = staff_client.post(
        reverse("inventory:purchase_receive", args=[three_lines.pk]),
        _post(three_lines, (a, "", "", ""), (b, "4", "LOT-B", expires_on), (c, "1", "", "")),
    )

    assert response.status_code == 200
    assert [(r["sku"], r["line"], r["values"], r["errors"]) for r in _rows(response)] == [
        ("AAA-1", str(a.pk), {"quantity": "", "lot_code": "", "expires_on": ""}, []),
        (
            "BBB-2",
            str(b.pk),
            {"quantity": "4", "lot_code": "LOT-B", "expires_on": expires_on},
            [error],
        ),
        ("CCC-3", str(c.pk), {"quantity": "1", "lot_code": "", "expires_on": ""}, []),
    ]
    assert _snapshot(three_lines) == before


def test_a_line_received_in_another_tab_keeps_every_row_on_its_own_line(
    staff_client, manager_user, three_lines
):
    # given the page was opened with three lines outstanding, and AAA-1 is then received
    # in full from another tab (a page opened now would show two rows)
    a, b, c = three_lines.lines.order_by("pk")
    purchase_order_receive(
        actor=manager_user,
        order=three_lines,
        receipts=[{"line": a, "quantity": "10"}],
        idempotency_key="other-tab",
    )
    before = _snapshot(three_lines)

    response = staff_client.post(
        reverse("inventory:purchase_receive", args=[three_lines.pk]),
        _post(three_lines, (a, "", "", ""), (b, "6", "LOT-B", ""), (c, "2", "LOT-C", "")),
    )

    assert response.status_code == 200
    assert [
        (r["sku"], r["values"]["quantity"], r["values"]["lot_code"], r["errors"])
        for r in _rows(response)
    ] == [
        ("AAA-1", "", "", []),
        (
            "BBB-2",
            "6",
            "LOT-B",
            [f"Only 5 pcs of BBB-2 are outstanding on {three_lines.number}; 6 entered."],
        ),
        ("CCC-3", "2", "LOT-C", []),
    ]
    assert _snapshot(three_lines) == before


def test_no_receipt_box_is_refilled_by_the_browser_on_another_line(staff_client, three_lines):
    # Rows are named by position (receipts-1-...): a browser restoring typed boxes on Back
    # or reload would put them on whatever line is now in that position.
    page = staff_client.get(reverse("inventory:purchase_receive", args=[three_lines.pk]))

    boxes = re.findall(r'<input type="(?:text|date)" name="receipts-[^>]*>', page.content.decode())
    assert len(boxes) == 9
    assert all('autocomplete="off"' in box for box in boxes)


# --- sales order return -------------------------------------------------------------------


@pytest.fixture(name="shipped_two")
def shipped_two_fixture(staff_user, store):
    items = [ItemFactory(sku=sku, reorder_level=0) for sku in ("RET-A", "RET-B")]
    for item in items:
        stock_receive(actor=staff_user, item=item, store=store, quantity="10", unit_cost="2.00")
    order = sales_order_create(
        actor=staff_user,
        store=store,
        customer=None,
        lines=[(items[0], "4", None), (items[1], "3", None)],
    )
    sales_order_confirm(actor=staff_user, order=order, idempotency_key=None)
    first, second = order.lines.order_by("pk")
    sales_order_ship(
        actor=staff_user, order=order, shipments={first: "4", second: "3"}, idempotency_key=None
    )
    order.refresh_from_db()
    return order


def _line_row(page: str, sku: str) -> str:
    row = page[page.index(f'data-testid="line-{sku}"') :]
    return row[: row.index("</tr>")]


def test_a_refused_return_page_keeps_each_form_and_link_on_its_own_address(
    staff_client, shipped_two
):
    first, second = shipped_two.lines.order_by("pk")
    url = reverse("inventory:sales_return", args=[shipped_two.pk, second.pk])
    before = so_state()

    response = staff_client.post(url, {"idempotency_key": "ret-9", "quantity": "5", "note": "x"})

    assert response.status_code == 200
    page = response.content.decode()
    refused, other = _line_row(page, "RET-B"), _line_row(page, "RET-A")
    # the refusal on its own line, with what was typed; the other line untouched
    assert f"Only 3 pcs of RET-B shipped and not yet returned on {shipped_two.number}" in refused
    assert 'value="5"' in refused and 'value="ret-9"' in refused
    assert 'data-testid="return-error"' not in other and 'value="5"' not in other
    # every form posts to its own line's address, every link is absolute
    assert f'action="{url}"' in refused
    first_url = reverse("inventory:sales_return", args=[shipped_two.pk, first.pk])
    assert f'action="{first_url}"' in other
    assert re.findall(r'<form method="post" action="([^"]*)"', page) == [
        "/logout/",
        first_url,
        url,
    ]
    assert 'href="/sales/">All sales orders</a>' in page
    assert so_state() == before


def test_the_return_address_opened_again_shows_the_order(staff_client, shipped_two):
    # given a refusal left /sales/<id>/lines/<id>/return/ in the address bar
    line = shipped_two.lines.order_by("pk").last()
    url = reverse("inventory:sales_return", args=[shipped_two.pk, line.pk])
    staff_client.post(url, {"idempotency_key": "ret-9", "quantity": "5"})
    before = so_state()

    # when it is opened again (Enter in the address bar, a new tab, signing in again)
    response = staff_client.get(url)

    # then the order's page, where the line's return form is, not a 405
    assert response.status_code == 302
    assert response["Location"] == shipped_two.get_absolute_url()
    assert so_state() == before


def test_signing_in_again_on_a_return_lands_on_the_order(client, staff_user, shipped_two):
    line = shipped_two.lines.order_by("pk").first()
    url = reverse("inventory:sales_return", args=[shipped_two.pk, line.pk])
    before = so_state()

    # a return sent after the session ended goes to the sign-in page, then back by GET
    refused = client.post(url, {"idempotency_key": "ret-1", "quantity": "1"})
    client.force_login(staff_user)
    response = client.get(url)

    assert refused.status_code == 302 and refused["Location"].startswith("/login/")
    assert response.status_code == 302
    assert response["Location"] == shipped_two.get_absolute_url()
    assert so_state() == before


def test_a_return_address_of_another_order_is_still_404_by_get(staff_client, shipped_two):
    line = shipped_two.lines.order_by("pk").first()

    response = staff_client.get(
        reverse("inventory:sales_return", args=[shipped_two.pk + 1, line.pk]), follow=True
    )

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("action", "detail"),
    [
        ("inventory:sales_confirm", "inventory:sales_detail"),
        ("inventory:sales_cancel", "inventory:sales_detail"),
        ("inventory:purchase_place", "inventory:purchase_detail"),
        ("inventory:purchase_cancel", "inventory:purchase_detail"),
    ],
)
def test_a_document_action_opened_by_get_goes_to_its_document_and_does_nothing(
    manager_client, shipped_two, action, detail
):
    # found with the return above: a refused confirmation left its address in the bar too
    before = _documents()

    response = manager_client.get(reverse(action, args=[shipped_two.pk]))
    put = manager_client.put(reverse(action, args=[shipped_two.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse(detail, args=[shipped_two.pk])
    assert put.status_code == 405
    assert _documents() == before


def _documents():
    """Every movement, and every order's status and version."""
    return (
        list(LedgerEntry.objects.values_list("pk", flat=True)),
        list(SalesOrder.objects.values_list("pk", "status")),
        list(PurchaseOrder.objects.values_list("pk", "status")),
    )
