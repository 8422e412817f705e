"""The transfer screen: several lines in one submission, blank rows left out, refusals
shown on their line with nothing moved."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inventory.models import LedgerEntry, Lot, Operation
from inventory.services.stock import stock_receive
from inventory.tests.factories import ItemFactory
from inventory.tests.services.stock_helpers import figures, snapshot

from .transfer_view_helpers import transfer_post

pytestmark = pytest.mark.django_db
D = Decimal
TRANSFER = reverse("inventory:transfer_new")
BLANK = {"item": "", "quantity": "", "lot": ""}


@pytest.fixture
def two_items(manager_user, item, store):
    other = ItemFactory(sku="SKU-B", name="Red widget")
    for sku_item, code, quantity in ((item, "A", 10), (other, "B", 5)):
        stock_receive(
            actor=manager_user, item=sku_item, store=store, quantity=quantity, lot_code=code
        )
    return item, other, Lot.objects.get(code="A"), Lot.objects.get(code="B")


def texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_two_items_move_in_one_submission(manager_client, store, other_store, two_items):
    item, other, lot_a, lot_b = two_items
    lines = [{"item": item, "quantity": "4"}, BLANK, {"item": other, "quantity": "2", "lot": lot_b}]

    response = manager_client.post(
        TRANSFER, transfer_post(store, other_store, lines, idempotency_key="two", note="restock")
    )

    operation = Operation.objects.get(idempotency_key="two")
    assert response.status_code == 302
    assert response.url == f"{reverse('inventory:ledger_list')}?operation={operation.pk}"
    assert texts(response) == [
        "Moved 2 lines from Main Store to Warehouse: 4 pcs of SKU-0042, 2 pcs of SKU-B (lot B)."
    ]
    assert figures(store=store, lot=lot_a) == (D(6), D(0))
    assert figures(store=other_store, lot=lot_a) == (D(4), D(0))
    assert figures(store=store, lot=lot_b) == (D(3), D(0))
    assert figures(store=other_store, lot=lot_b) == (D(2), D(0))
    assert list(
        operation.entries.order_by("pk").values_list("kind", "store__code", "lot__code", "note")
    ) == [
        ("TRANSFER_OUT", "MAIN", "A", "restock"),
        ("TRANSFER_IN", "WH", "A", "restock"),
        ("TRANSFER_OUT", "MAIN", "B", "restock"),
        ("TRANSFER_IN", "WH", "B", "restock"),
    ]


def test_a_transfer_of_blank_lines_only_is_refused(manager_client, store, other_store, two_items):
    before = snapshot()

    response = manager_client.post(
        TRANSFER, transfer_post(store, other_store, [BLANK, BLANK], idempotency_key="none")
    )

    assert response.status_code == 200
    assert response.context["formset"].non_form_errors() == [
        "Add at least one line: an item and a quantity."
    ]
    assert "Add at least one line" in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize(
    ("line", "field", "message"),
    [
        (
            {"quantity": "6"},
            "quantity",
            "Only 5 pcs of SKU-B available in Main Store; 6 requested.",
        ),
        ({"item": "999999"}, "item", "Select a valid choice. No item has the id 999999."),
        ({"quantity": "0"}, "quantity", "Enter a quantity greater than zero."),
        ({"quantity": "-1"}, "quantity", "Enter a quantity greater than zero."),
        ({"quantity": "NaN"}, "quantity", "Enter a number."),
        ({"quantity": "1" * 20}, "quantity", "That quantity is too large."),
        ({"lot": "A"}, "lot", "Lot A is a lot of SKU-0042, not of SKU-B."),
    ],
)
def test_a_bad_second_line_is_marked_on_it_and_nothing_moves(
    manager_client, store, other_store, two_items, line, field, message
):
    item, other, lot_a, _ = two_items
    second = {"item": other, "quantity": "1", **line}
    if second.get("lot") == "A":
        second["lot"] = lot_a
    before = snapshot()

    response = manager_client.post(
        TRANSFER,
        transfer_post(
            store, other_store, [{"item": item, "quantity": "1"}, second], idempotency_key="bad"
        ),
    )

    assert response.status_code == 200
    first_row, second_row = response.context["formset"].forms
    assert first_row.errors == {}
    assert any(e.startswith(message) for e in second_row.errors[field])
    assert snapshot() == before


def test_a_refusal_by_the_stock_rules_says_nothing_was_recorded(
    manager_client, store, other_store, two_items
):
    item, other, _, _ = two_items
    lines = [{"item": item, "quantity": "11"}, {"item": other, "quantity": "1"}]
    before = snapshot()

    response = manager_client.post(
        TRANSFER, transfer_post(store, other_store, lines, idempotency_key="short")
    )

    assert response.context["form"].non_field_errors() == [
        "Nothing was recorded: mend the line marked."
    ]
    assert response.context["formset"].forms[0].errors["quantity"] == [
        "Only 10 pcs of SKU-0042 available in Main Store; 11 requested."
    ]
    assert snapshot() == before


def test_add_a_line_without_javascript_keeps_what_was_typed(
    manager_client, store, other_store, two_items
):
    item = two_items[0]
    data = transfer_post(store, other_store, [{"item": item, "quantity": "3"}])
    before = snapshot()

    response = manager_client.post(TRANSFER, {**data, "add_line": "1"})

    assert response.status_code == 200
    rows = response.context["formset"].forms
    assert len(rows) == 2
    assert (rows[0]["quantity"].value(), rows[1]["quantity"].value()) == ("3", None)
    assert response.context["form"]["from_store"].value() == str(store.pk)
    assert snapshot() == before


def test_the_item_link_fills_in_the_first_line(manager_client, two_items):
    item = two_items[0]

    response = manager_client.get(f"{TRANSFER}?item={item.pk}")

    html = response.content.decode()
    assert response.status_code == 200
    assert len(response.context["formset"].forms) == 1
    assert 'name="lines-0-item_q"' in html and 'value="SKU-0042"' in html
    assert 'data-formset-add="lines"' in html and 'name="add_line"' in html


def test_the_item_page_links_to_a_transfer_of_it_for_managers(manager_client, staff_client, item):
    link = f'href="{TRANSFER}?item={item.pk}"'
    page = reverse("inventory:item_detail", args=[item.pk])

    assert link in manager_client.get(page).content.decode()
    assert link not in staff_client.get(page).content.decode()
    item.is_active = False
    item.save(update_fields=["is_active"])
    assert link not in manager_client.get(page).content.decode()


def test_the_same_key_twice_moves_once(manager_client, store, other_store, two_items):
    item, other, lot_a, _ = two_items
    lines = [{"item": item, "quantity": "2"}, {"item": other, "quantity": "1"}]
    data = transfer_post(store, other_store, lines, idempotency_key="again")
    manager_client.post(TRANSFER, data)

    response = manager_client.post(TRANSFER, data)

    assert response.status_code == 302
    assert "This transfer was already recorded" in texts(response)[-1]
    assert LedgerEntry.objects.filter(kind="TRANSFER_OUT").count() == 2
    assert figures(store=other_store, lot=lot_a) == (D(2), D(0))


def _post_queries(client, data) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.post(TRANSFER, data).status_code == 302
    return len(queries.captured_queries)


def test_a_transfer_of_1_or_6_lines_costs_the_same_queries(
    manager_client, manager_user, store, other_store
):
    items = [ItemFactory(sku=f"Q-{n}") for n in range(7)]
    for each in items:
        stock_receive(actor=manager_user, item=each, store=store, quantity=5, lot_code="L")

    def post(chosen, key):
        lines = [{"item": each, "quantity": "1"} for each in chosen]
        return _post_queries(
            manager_client, transfer_post(store, other_store, lines, idempotency_key=key)
        )

    assert post(items[:1], "one") == post(items[1:], "six")


def test_lots_typed_on_1_or_6_lines_cost_the_same_queries(
    manager_client, manager_user, store, other_store
):
    # as a browser posts them: each lot's code typed (or chosen) in its box
    items = [ItemFactory(sku=f"T-{n}") for n in range(7)]
    for each in items:
        stock_receive(actor=manager_user, item=each, store=store, quantity=5, lot_code="L-1")

    def post(chosen, key):
        lines = [{"item_q": each.sku, "quantity": "1", "lot_q": "L-1"} for each in chosen]
        data = transfer_post(store, other_store, lines, idempotency_key=key)
        return _post_queries(manager_client, data)

    assert post(items[:1], "one") == post(items[1:], "six")
    assert Lot.objects.filter(code="L-1", balances__store=other_store).count() == 7


def test_a_line_that_names_its_lot_is_said_with_it(manager_client, store, other_store, two_items):
    item, _, lot_a, _ = two_items
    lines = [{"item": item, "quantity": "3", "lot": lot_a}]

    response = manager_client.post(
        TRANSFER, transfer_post(store, other_store, lines, idempotency_key="lot-named")
    )

    assert texts(response) == ["Moved 3 pcs of SKU-0042 (lot A) from Main Store to Warehouse."]
    assert figures(store=other_store, lot=lot_a) == (D(3), D(0))
