"""The count sheet by item (loose goods): one Found box per item for all its lots on the
shelf; what is entered is shared over the lots by the count service."""

import re

import pytest

from inventory.models import LedgerEntry
from inventory.selectors.counts import count_sheet_items
from inventory.services.stock import stock_issue
from inventory.tests.factories import ItemFactory
from inventory.tests.services.stock_helpers import D, figures, receive, snapshot

from .count_sheet_helpers import sheet_post

pytestmark = pytest.mark.django_db
URL = "/stock/count/"


@pytest.fixture
def nails(manager_user, store):
    """NAILS in kg: lots N1 (4) and N2 (5.5), and N3 (2) waiting for QC."""
    nails = ItemFactory(sku="NAILS", name="Loose nails", unit="kg", reorder_level=0)
    lots = [receive(manager_user, nails, store, q, c) for q, c in (("4", "N1"), ("5.5", "N2"))]
    held = ItemFactory(sku="NAILS-QC", unit="kg", qc_required=True, reorder_level=0)
    receive(manager_user, held, store, "2", "N3")
    return nails, lots


def _sheet(client, store, **params):
    return client.get(URL, {"store": store.pk, "by": "item", **params})


def test_the_item_sheet_shows_each_items_total_on_the_shelf(manager_client, store, nails):
    item, _lots = nails

    html = _sheet(manager_client, store).content.decode()

    assert re.findall(r'name="item_(\d+)"', html) == [str(item.pk)]  # the QC item is out
    assert f'name="expected_item_{item.pk}" value="9.5"' in html
    assert 'name="by" value="item"' in html
    assert '<option value="item" selected>' in html
    assert 'aria-label="Found of NAILS, all lots"' in html


def test_the_item_sheet_keeps_the_mode_across_filters(manager_client, store, nails):
    html = _sheet(manager_client, store, q="zz").content.decode()

    assert re.findall(r'name="item_(\d+)"', html) == []
    assert '<option value="item" selected>' in html


def test_an_item_count_is_recorded_over_its_lots(manager_client, store, nails):
    item, (old, new) = nails
    data = sheet_post(_sheet(manager_client, store))
    data[f"item_{item.pk}"] = "6"

    response = manager_client.post(URL, data, follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        f"Count of 1 item in {store.name} recorded: 1 lot corrected."
    ]
    assert figures(store=store, lot=old) == (D("0.5"), D(0))
    assert figures(store=store, lot=new) == (D("5.5"), D(0))
    assert LedgerEntry.objects.filter(reason="COUNT").count() == 1


def test_a_refusal_is_shown_beside_the_items_box(manager_client, manager_user, store, nails):
    item, _lots = nails
    page = _sheet(manager_client, store)
    stock_issue(actor=manager_user, item=item, store=store, quantity="1")  # 9.5 → 8.5
    data = sheet_post(page)
    data[f"item_{item.pk}"] = "6"
    before = snapshot()

    response = manager_client.post(URL, data)

    assert response.status_code == 200
    message = (
        "Stock of NAILS moved while it was being counted (9.5 then, 8.5 now). Nothing was "
        "recorded; open the count sheet again and recount it."
    )
    assert response.context["form"].errors[f"item_{item.pk}"] == [message]
    html = response.content.decode()
    assert f'id="id_item_{item.pk}_error"' in html
    assert f'href="?store={store.pk}&amp;by=item">Open the count sheet again' in html
    # the sheet now shows the total on the shelf, and the item's box is left to recount
    assert f'name="expected_item_{item.pk}" value="8.5"' in html
    assert re.search(rf'<input[^>]*name="item_{item.pk}"[^>]*>', html)[0].count('value="6"') == 0
    assert snapshot() == before


def test_the_item_sheet_reads_in_one_query_whatever_its_rows(
    manager_user, store, django_assert_num_queries
):
    few = ItemFactory(sku="A-1", unit="kg", reorder_level=0)
    receive(manager_user, few, store, "1", "A")
    with django_assert_num_queries(1):
        assert len(count_sheet_items(store=store)) == 1
    for n in range(6):
        many = ItemFactory(sku=f"B-{n}", unit="kg", reorder_level=0)
        for lot in range(3):
            receive(manager_user, many, store, "2", f"B{lot}")

    with django_assert_num_queries(1):
        rows = count_sheet_items(store=store)

    figures_read = [(r.sku, r.on_shelf, r.lot_count) for r in rows]
    assert figures_read[:2] == [("A-1", D(1), 1), ("B-0", D(6), 3)]
    assert len(rows) == 7


def test_stock_found_of_a_qc_item_is_said_to_wait_for_inspection(
    manager_client, manager_user, store
):
    # found by a QA pass: the sheet still showed 40 after 45 were found, and nothing said
    # where the 5 went, so a recount of 45 added another 5
    from inventory.models import Lot
    from inventory.services.qc import lot_approve

    glue = ItemFactory(sku="GLUE", unit="pcs", qc_required=True, reorder_level=0)
    lot = lot_approve(actor=manager_user, lot=receive(manager_user, glue, store, "40", "G1"))
    data = sheet_post(_sheet(manager_client, store))
    data[f"item_{glue.pk}"] = "45"

    response = manager_client.post(URL, data, follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        f"Count of 1 item in {store.name} recorded: 1 lot corrected. Stock found of an item "
        "that needs QC went to a new lot waiting for inspection."
    ]
    waiting = Lot.objects.exclude(pk=lot.pk).get(item=glue)
    assert (waiting.qc_status, figures(store=store, lot=waiting)) == ("QUARANTINE", (D(5), D(0)))
    assert figures(store=store, lot=lot) == (D(40), D(0))


def test_the_item_sheet_says_what_of_the_item_is_kept_apart(manager_client, manager_user, store):
    # found by a QA pass: a lot on hold shares the shelf with the approved ones, the sheet
    # showed only the approved figure, and counting the shelf (all of it) added the held
    # units to the approved lots as a surplus, on sale
    from inventory.services.qc import lot_approve, lot_quarantine

    bulbs = ItemFactory(sku="BULB", unit="pcs", qc_required=True, reorder_level=0)
    for code in ("B1", "B2"):
        lot_approve(actor=manager_user, lot=receive(manager_user, bulbs, store, "10", code))
    held = bulbs.lots.get(code="B1")
    lot_quarantine(actor=manager_user, lot=held, note="complaint")

    html = _sheet(manager_client, store).content.decode()

    assert f'name="expected_item_{bulbs.pk}" value="10"' in html
    assert "not in this figure: 10 pcs in QC or rejected" in html
