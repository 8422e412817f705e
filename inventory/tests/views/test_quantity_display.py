"""Quantities read the same on every page: 3.5 and 12, as the messages show them, never
3.500 or 12.000; no page adds quantities of different units together."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from inventory.services.purchasing import purchase_direct
from inventory.services.stock import stock_adjust, stock_receive
from inventory.tests.factories import ItemFactory

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def written_off(manager_user, store):
    """2000 kg of flour received, then 3.5 kg written off."""
    flour = ItemFactory(sku="FLOUR-25", name="Flour", unit="kg", unit_cost=D("0.80"))
    received = stock_receive(
        actor=manager_user, item=flour, store=store, quantity="2000", lot_code="FL-1"
    )
    stock_adjust(
        actor=manager_user,
        lot=received.entries[0].lot,
        store=store,
        quantity=D("-3.5"),
        reason="WRITE_OFF",
    )
    return flour


def cells(html: str, testid: str) -> list[str]:
    """The text of every cell of the table marked `data-testid=testid`."""
    table = html.split(f'data-testid="{testid}"', 1)[1].split("</table>", 1)[0]
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", table)]


def test_movements_page_shows_a_write_off_as_3_5(manager_client, written_off):
    response = manager_client.get(reverse("inventory:ledger_list"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "3.500" not in html and "2000.000" not in html
    row = next(e for e in response.context["page"] if e.kind == "ADJUST")
    assert row.on_hand_delta == D("-3.500")
    assert re.search(
        r'<td class="num" data-label="Quantity">3\.5</td>\s*'
        r'<td class="num" data-label="On hand change">-3\.5</td>',
        html,
    )


def test_stock_page_shows_1996_5_kg(manager_client, written_off):
    response = manager_client.get(reverse("inventory:stock_levels"))

    html = response.content.decode()
    # on hand and available, both with their unit: nothing reserved, nothing expired
    assert cells(html, "stock-levels")[2:5] == ["1996.5 kg", "0", "1996.5 kg"]
    assert "1996.500" not in html


def test_item_page_gives_every_figure_its_unit(manager_client, written_off):
    response = manager_client.get(written_off.get_absolute_url())

    html = response.content.decode()
    for label in ("On hand", "Reserved", "Available", "In quarantine"):
        assert re.search(rf'{label}</div><div class="fs-4"[^>]*>[0-9.]+ kg</div>', html), label
    assert '<td class="num" data-label="Available">1996.5 kg</td>' in html


def test_stock_table_has_a_heading_for_every_column(
    manager_client, manager_user, written_off, item, store
):
    # given a row that is low (its last column says so) and one that is not
    item.reorder_level = D("5")
    item.save()
    stock_receive(actor=manager_user, item=item, store=store, quantity="2")

    response = manager_client.get(reverse("inventory:stock_levels"))

    html = response.content.decode()
    table = html.split('data-testid="stock-levels"', 1)[1].split("</table>", 1)[0]
    headings = re.findall(r"<th[^>]*>(.*?)</th>", table.split("</thead>")[0])
    rows = re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1], re.S)
    assert headings[-1] == "Status"
    assert all(h.strip() for h in headings)
    assert [len(re.findall(r"<td", row)) for row in rows] == [len(headings)] * 2
    assert "Low: 3 short" in cells(html, "stock-levels")


def test_dashboard_shows_3_5_and_counts_lines_not_mixed_units(
    manager_client, manager_user, written_off, store
):
    # given 12 boxes and 2000 kg bought, in different units
    tape = ItemFactory(sku="TAPE-50", unit="box")
    purchase_direct(
        actor=manager_user,
        supplier=tape.supplier,
        store=store,
        lines=[{"item": tape, "quantity": "12", "unit_cost": "3.00"}],
    )

    response = manager_client.get(reverse("inventory:dashboard"))

    html = response.content.decode()
    assert "3.500" not in html and "2012" not in html and "1996.5" not in html
    assert "-3.5" in cells(html, "recent-movements")
    assert "Quantity" not in html
    assert 'data-testid="purchased-lines">1</span> order line received' in html
    assert 'data-testid="purchased-items">1</span> item' in html
    assert cells(html, "stock-value")[:3] == ["Main Store", "2", "1633.20"]


def test_purchase_detail_shows_12_in_lines_lots_and_history(manager_client, manager_user, store):
    tape = ItemFactory(sku="TAPE-50", unit="box")
    order = purchase_direct(
        actor=manager_user,
        supplier=tape.supplier,
        store=store,
        lines=[{"item": tape, "quantity": "12", "unit_cost": "3.00", "lot_code": "T-1"}],
    ).order

    response = manager_client.get(order.get_absolute_url())

    html = response.content.decode()
    assert "12.000" not in html
    assert cells(html, "po-lines")[1:4] == ["12 boxes", "12", "0"]
    assert "TAPE-50: 12 into lot T-1" in html
