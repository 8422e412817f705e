"""Stock levels, transfers and adjustments through their screens."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inventory.models import LedgerEntry, Lot
from inventory.services.stock import stock_receive, stock_reserve
from inventory.tests.factories import ItemFactory
from inventory.tests.services.stock_helpers import figures, snapshot

from .transfer_view_helpers import field_errors, one_line

pytestmark = pytest.mark.django_db
D = Decimal
LEVELS = reverse("inventory:stock_levels")
TRANSFER = reverse("inventory:transfer_new")
ADJUST = reverse("inventory:adjustment_new")


def receive(user, item, store, quantity, code):
    stock_receive(actor=user, item=item, store=store, quantity=quantity, lot_code=code)
    return Lot.objects.get(item=item, code=code)


def texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- permissions ------------------------------------------------------------------


@pytest.mark.parametrize("url", [LEVELS, TRANSFER, ADJUST])
def test_anonymous_is_sent_to_login(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith("/login/")


@pytest.mark.parametrize("url", [LEVELS, TRANSFER, ADJUST])
def test_roleless_user_is_sent_to_awaiting_approval(client, roleless_user, url):
    client.force_login(roleless_user)

    assert client.get(url).url == reverse("awaiting_approval")


def test_staff_sees_stock_levels(staff_client):
    assert staff_client.get(LEVELS).status_code == 200


@pytest.mark.parametrize("url", [TRANSFER, ADJUST])
def test_staff_may_not_transfer_or_adjust(staff_client, url):
    before = snapshot()

    assert staff_client.get(url).status_code == 403
    assert staff_client.post(url, {"quantity": "1"}).status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize("who", ["manager_client", "admin_role_client"])
@pytest.mark.parametrize("url", [LEVELS, TRANSFER, ADJUST])
def test_managers_and_admins_open_every_stock_screen(request, who, url):
    assert request.getfixturevalue(who).get(url).status_code == 200


# --- stock levels ---------------------------------------------------------------


@pytest.fixture
def levels(manager_user, store, other_store):
    """Three items: LOW-1 short in MAIN, OK-1 fine, LOW-1 also held (fine) in WH."""
    low = ItemFactory(sku="LOW-1", name="Low widget", reorder_level=D("10"))
    fine = ItemFactory(sku="OK-1", name="Fine gadget", reorder_level=D("2"))
    receive(manager_user, low, store, 4, "L1")
    receive(manager_user, low, other_store, 12, "L2")
    lot = receive(manager_user, fine, store, 5, "F1")
    stock_reserve(actor=manager_user, item=fine, store=store, quantity=1)
    return low, fine, lot


def rows(response):
    return [
        (r["item__sku"], r["store__code"], r["on_hand"], r["reserved"], r["available"])
        for r in response.context["page"]
    ]


def test_levels_show_on_hand_reserved_and_available(staff_client, levels):
    response = staff_client.get(LEVELS)

    assert rows(response) == [
        ("LOW-1", "MAIN", D("4"), D("0"), D("4")),
        ("LOW-1", "WH", D("12"), D("0"), D("12")),
        ("OK-1", "MAIN", D("5"), D("1"), D("4")),
    ]


def test_low_filter_keeps_rows_below_reorder_level(staff_client, levels):
    response = staff_client.get(LEVELS, {"low": "1"})

    assert rows(response) == [("LOW-1", "MAIN", D("4"), D("0"), D("4"))]
    assert response.context["page"][0]["shortfall"] == D("6")
    assert b"Low: 6 short" in response.content


def test_store_and_search_filters(staff_client, levels, other_store):
    assert rows(staff_client.get(LEVELS, {"store": other_store.pk})) == [
        ("LOW-1", "WH", D("12"), D("0"), D("12"))
    ]
    assert [r[0] for r in rows(staff_client.get(LEVELS, {"q": "gadget"}))] == ["OK-1"]
    assert [r[0] for r in rows(staff_client.get(LEVELS, {"q": "low-1"}))] == ["LOW-1", "LOW-1"]


@pytest.mark.parametrize("params", [{"store": "x"}, {"store": "99999"}, {"page": "zz"}])
def test_bad_level_filters_never_fail(staff_client, levels, params):
    assert staff_client.get(LEVELS, params).status_code == 200


@pytest.mark.parametrize("count", [5, 50])
def test_levels_query_count_is_constant(staff_client, manager_user, store, count):
    for n in range(count):
        receive(manager_user, ItemFactory(), store, 1, f"LOT{n}")
    with CaptureQueriesContext(connection) as queries:
        response = staff_client.get(LEVELS)

    assert len(response.context["page"]) == count
    assert response.context["page"].paginator.count == count
    # session, user with its role, stores list, the count, the page: the same for 5 rows
    # and for 50. The count reads the balances only, and the page no window, so the
    # database builds the figures of the page's rows only.
    statements = [q["sql"] for q in queries.captured_queries]
    assert len(statements) == 5
    assert not any("OVER ()" in sql for sql in statements)
    (count_sql,) = [sql for sql in statements if "COUNT(*)" in sql]
    assert "SUM(" not in count_sql and "inventory_lot" not in count_sql


def test_the_last_page_of_levels_holds_the_last_rows(staff_client, manager_user, store):
    from inventory.views.stock import PER_PAGE

    for n in range(PER_PAGE + 3):
        receive(manager_user, ItemFactory(sku=f"PG-{n:03d}"), store, 1, f"PG{n}")

    response = staff_client.get(LEVELS, {"page": "2"})

    page = response.context["page"]
    assert (page.number, page.paginator.count, page.paginator.num_pages) == (2, PER_PAGE + 3, 2)
    assert [r["item__sku"] for r in page] == [f"PG-{n:03d}" for n in range(PER_PAGE, PER_PAGE + 3)]


# --- transfers -------------------------------------------------------------------


def transfer_data(item, source, target, quantity, **extra):
    extra.setdefault("idempotency_key", "transfer-key-1")
    return one_line(item, source, target, quantity, **extra)


def test_transfer_moves_stock_and_lands_on_the_movements(
    manager_client, manager_user, store, other_store, item
):
    # given
    lot = receive(manager_user, item, store, 10, "A")

    # when
    response = manager_client.post(
        TRANSFER, transfer_data(item, store, other_store, "4", note="restock")
    )

    # then
    assert response.status_code == 302
    assert response.url == f"{reverse('inventory:ledger_list')}?item={item.pk}"
    assert figures(store=store, lot=lot) == (D("6"), D("0"))
    assert figures(store=other_store, lot=lot) == (D("4"), D("0"))
    assert texts(response) == ["Moved 4 pcs of SKU-0042 from Main Store to Warehouse."]
    assert list(
        LedgerEntry.objects.filter(kind__startswith="TRANSFER")
        .order_by("pk")
        .values_list("kind", "store__code", "on_hand_delta", "note")
    ) == [("TRANSFER_OUT", "MAIN", D("-4"), "restock"), ("TRANSFER_IN", "WH", D("4"), "restock")]


def test_a_replayed_transfer_moves_nothing_more(
    manager_client, manager_user, store, other_store, item
):
    lot = receive(manager_user, item, store, 10, "A")
    data = transfer_data(item, store, other_store, "4")
    manager_client.post(TRANSFER, data)

    response = manager_client.post(TRANSFER, data)

    assert response.status_code == 302
    assert figures(store=other_store, lot=lot) == (D("4"), D("0"))
    operation = LedgerEntry.objects.get(kind="TRANSFER_IN").operation_id
    assert texts(response)[-1] == (
        f'This transfer was already recorded (<a href="/ledger/?operation={operation}" '
        'class="alert-link">its movements</a>); nothing was changed the second time.'
    )


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"quantity": "11"}, "quantity", "Only 10 pcs of SKU-0042 available in Main Store"),
        ({"quantity": "0"}, "quantity", "Enter a quantity greater than zero."),
        ({"quantity": "abc"}, "quantity", "Enter a number."),
        ({"to_store": "same"}, "to_store", "Choose two different stores."),
        ({"item": "999999"}, "item", "Select a valid choice."),
        ({"note": "x" * 1001}, "note", "at most 1000 characters"),
        ({"idempotency_key": ""}, "__all__", "This form is out of date; nothing was recorded."),
    ],
)
def test_refused_transfer_changes_nothing(
    manager_client, manager_user, store, other_store, item, changes, field, message
):
    # given
    receive(manager_user, item, store, 10, "A")
    data = transfer_data(item, store, other_store, "4")
    if changes.get("to_store") == "same":
        changes = {"to_store": store.pk}
    line = {"item", "quantity"}
    data.update({f"lines-0-{k}" if k in line else k: v for k, v in changes.items()})
    before = snapshot()

    # when
    response = manager_client.post(TRANSFER, data)

    # then
    assert response.status_code == 200
    assert any(message in e for e in field_errors(response, field))
    assert snapshot() == before


def test_transfer_refuses_a_lot_of_another_item(
    manager_client, manager_user, store, other_store, item
):
    other = ItemFactory(sku="OTHER-1")
    foreign = receive(manager_user, other, store, 5, "B")
    receive(manager_user, item, store, 10, "A")
    before = snapshot()

    response = manager_client.post(
        TRANSFER, transfer_data(item, store, other_store, "1", lot=foreign.pk)
    )

    assert field_errors(response, "lot") == ["Lot B is a lot of OTHER-1, not of SKU-0042."]
    assert snapshot() == before


# --- adjustments -----------------------------------------------------------------


def adjust_data(lot, store, quantity, reason="COUNT", **extra):
    return {
        "item": lot.item_id,
        "lot": lot.pk,
        "store": store.pk,
        "quantity": quantity,
        "reason": reason,
        "idempotency_key": "adjust-key-1",
        **extra,
    }


def test_adjustment_records_the_movement_with_its_reason(manager_client, manager_user, store, item):
    lot = receive(manager_user, item, store, 10, "A")

    response = manager_client.post(ADJUST, adjust_data(lot, store, "-2", "DAMAGE", note="dropped"))

    assert response.status_code == 302
    assert response.url == f"{reverse('inventory:ledger_list')}?item={item.pk}"
    assert figures(store=store, lot=lot) == (D("8"), D("0"))
    entry = LedgerEntry.objects.get(kind="ADJUST")
    assert (entry.on_hand_delta, entry.reason, entry.note) == (D("-2"), "DAMAGE", "dropped")
    assert texts(response) == ["Adjusted SKU-0042 lot A in Main Store by -2 pcs."]


def test_adjustment_can_add_found_stock(manager_client, manager_user, store, item):
    lot = receive(manager_user, item, store, 1, "A")

    manager_client.post(ADJUST, adjust_data(lot, store, "3", "FOUND"))

    assert figures(store=store, lot=lot) == (D("4"), D("0"))


def test_found_stock_of_a_qc_item_says_which_quarantine_lot_it_went_into(
    manager_client, manager_user, store, qc_item
):
    # found by a first-week QA pass: the message named the inspected lot only
    from inventory.services.qc import lot_approve

    lot = receive(manager_user, qc_item, store, 1, "A")
    lot_approve(actor=manager_user, lot=lot)

    response = manager_client.post(ADJUST, adjust_data(lot, store, "3", "FOUND"))

    found = Lot.objects.get(origin_lot=lot)
    assert found.qc_status == "QUARANTINE"
    assert texts(response) == [
        f"Found +3 pcs of SKU-QC01 in Main Store: recorded in a new quarantine lot "
        f"{found.code} (from lot {lot.code}), for QC to inspect."
    ]


def test_an_adjustment_of_a_lot_never_received_says_how_to_record_opening_stock(
    manager_client, store, item
):
    data = {
        "item_q": item.sku,
        "lot_q": "OPEN-1",
        "store": store.pk,
        "quantity": "5",
        "reason": "FOUND",
        "idempotency_key": "open-1",
    }

    response = manager_client.post(ADJUST, data)

    assert response.status_code == 200
    (error,) = response.context["form"].errors["lot"]
    assert error.startswith("SKU-0042 has no lot “OPEN-1”.")
    assert "recorded with a direct purchase" in error
    assert not LedgerEntry.objects.exists()


def test_adjustment_of_a_counted_unit_refuses_a_fraction_next_to_the_field(
    manager_client, manager_user, store, item
):
    lot = receive(manager_user, item, store, 1, "A")

    response = manager_client.post(ADJUST, adjust_data(lot, store, "3.5", "FOUND"))

    assert response.status_code == 200
    assert "Quantity must be a whole number of pcs." in response.content.decode()
    assert figures(store=store, lot=lot) == (D("1"), D("0"))


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"reason": ""}, "reason", "This field is required."),
        ({"reason": "REVERSAL"}, "reason", "Select a valid choice."),
        ({"quantity": "0"}, "quantity", "Quantity must not be zero."),
        ({"quantity": "-11"}, "quantity", "Only 10 pcs of SKU-0042 in lot A"),
        ({"quantity": "2", "reason": "DAMAGE"}, "quantity", "enter a negative quantity"),
        ({"quantity": "1.0001"}, "quantity", "Use at most 3 decimal places."),
        ({"lot": "999999"}, "lot", "Select a valid choice."),
        ({"note": "x" * 1001}, "note", "at most 1000 characters"),
    ],
)
def test_refused_adjustment_changes_nothing(
    manager_client, manager_user, store, item, changes, field, message
):
    lot = receive(manager_user, item, store, 10, "A")
    data = adjust_data(lot, store, "-1")
    data.update(changes)
    before = snapshot()

    response = manager_client.post(ADJUST, data)

    assert response.status_code == 200
    assert any(message in e for e in response.context["form"].errors[field])
    assert snapshot() == before


def test_adjustment_refuses_a_lot_of_another_item(manager_client, manager_user, store, item):
    other = ItemFactory(sku="OTHER-1")
    foreign = receive(manager_user, other, store, 5, "B")
    before = snapshot()

    response = manager_client.post(ADJUST, {**adjust_data(foreign, store, "-1"), "item": item.pk})

    assert field_errors(response, "lot") == ["Lot B is a lot of OTHER-1, not of SKU-0042."]
    assert snapshot() == before


def test_adjustment_form_for_an_item_starts_with_that_item(
    manager_client, manager_user, store, item
):
    # The lot picker asks /pickers/lots/ for this item's lots (see test_pickers.py);
    # the page itself lists no lot.
    receive(manager_user, item, store, 1, "A")
    receive(manager_user, ItemFactory(sku="OTHER-1"), store, 1, "B")

    response = manager_client.get(ADJUST, {"item": item.pk})

    html = response.content.decode()
    assert 'name="item_q" value="SKU-0042" autocomplete="off"' in html
    assert f'data-picker-id="{item.pk}"' in html
    assert "OTHER-1" not in html
    assert 'name="idempotency_key"' in html
