"""A business with no store yet: every store choice says what to do (forms.stores), and a
form sent without a store is refused by the field, recording nothing."""

import pytest
from django.urls import reverse

from inventory.models import AuditEvent, LedgerEntry, Operation, PurchaseOrder, SalesOrder
from inventory.tests.factories import StoreFactory
from inventory.tests.views.purchasing_view_helpers import line_management

pytestmark = pytest.mark.django_db

ADD_A_STORE = (
    'No stores to choose yet: <a href="/stores/new/">add a store</a> (Manage → Stores), '
    "then come back."
)
ASK_FOR_A_STORE = "No stores to choose yet: ask an Admin or a Manager to add one, then come back."

# Every page with a store choice, and how many of its store boxes have no store to offer.
STAFF_PAGES = [
    ("inventory:sales_quick", 1),
    ("inventory:sales_new", 1),
    ("inventory:purchase_new", 1),
    ("inventory:stock_levels", 1),
]
MANAGER_PAGES = [
    ("inventory:purchase_order_new", 1),
    ("inventory:transfer_new", 2),  # from and to
    ("inventory:adjustment_new", 1),
    ("inventory:stock_count", 1),
]


def _page(client, name) -> str:
    response = client.get(reverse(name))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(("name", "boxes"), STAFF_PAGES + MANAGER_PAGES)
@pytest.mark.parametrize("who", ["admin_role_client", "manager_client"])
def test_who_may_add_a_store_is_shown_where(request, who, name, boxes):
    # given no store at all; Managers add stores too (/stores/new/ is a catalogue screen)
    client = request.getfixturevalue(who)

    # when
    page = _page(client, name)

    # then
    assert page.count(ADD_A_STORE) == boxes
    assert ASK_FOR_A_STORE not in page


@pytest.mark.parametrize(("name", "boxes"), STAFF_PAGES)
def test_staff_are_told_whom_to_ask(staff_client, name, boxes):
    page = _page(staff_client, name)

    assert page.count(ASK_FOR_A_STORE) == boxes
    assert "/stores/new/" not in page


@pytest.mark.parametrize(("name", "boxes"), STAFF_PAGES + MANAGER_PAGES)
def test_no_hint_once_a_store_exists(admin_role_client, name, boxes):
    StoreFactory(code="MAIN", name="Main Store")

    page = _page(admin_role_client, name)

    assert "No stores to choose yet" not in page
    assert "Main Store" in page


def test_the_hint_describes_its_store_box(admin_role_client):
    page = _page(admin_role_client, "inventory:sales_quick")

    assert 'aria-describedby="id_store_helptext"' in page
    assert f'<div id="id_store_helptext" class="form-text">{ADD_A_STORE}</div>' in page


def test_only_deactivated_stores_leave_the_transfer_without_a_destination(manager_client):
    # given a store that was closed: its stock may still be moved out, but not into it
    StoreFactory(code="OLD", name="Old Shop", is_active=False)

    # when
    form = manager_client.get(reverse("inventory:transfer_new")).context["form"]

    # then
    assert form["from_store"].help_text == ""
    assert form["to_store"].help_text == ADD_A_STORE


def _nothing_recorded() -> tuple:
    return tuple(
        model.objects.count()
        for model in (SalesOrder, PurchaseOrder, LedgerEntry, Operation, AuditEvent)
    )


def _quick_sale(item, supplier):
    return {
        "idempotency_key": "no-store-1",
        "store": "",
        "customer": "",
        "note": "",
        **line_management("lines", 1),
        "lines-0-item": item.pk,
        "lines-0-quantity": "1",
        "lines-0-unit_price": "",
    }


def _direct_purchase(item, supplier):
    return {
        "idempotency_key": "no-store-2",
        "supplier": supplier.pk,
        "store": "",
        "note": "",
        **line_management("lines", 1),
        "lines-0-item": item.pk,
        "lines-0-quantity": "5",
        "lines-0-unit_cost": "",
        "lines-0-lot_code": "",
        "lines-0-expires_on": "",
    }


def _transfer(item, supplier):
    return {
        "idempotency_key": "no-store-3",
        "item": item.pk,
        "from_store": "",
        "to_store": "",
        "quantity": "1",
        "lot": "",
        "note": "",
    }


@pytest.mark.parametrize(
    ("name", "data", "fields"),
    [
        ("inventory:sales_quick", _quick_sale, ["store"]),
        ("inventory:purchase_new", _direct_purchase, ["store"]),
        ("inventory:transfer_new", _transfer, ["from_store", "to_store"]),
    ],
)
def test_a_form_sent_without_a_store_is_refused_by_the_field(
    admin_role_client, item, supplier, name, data, fields
):
    # given no store, and the forms' figures before
    before = _nothing_recorded()

    # when
    response = admin_role_client.post(reverse(name), data(item, supplier))

    # then the form comes back with the field's own message, its hint still beside it
    assert response.status_code == 200
    form = response.context["form"]
    assert {field: form.errors[field] for field in fields} == {
        field: ["This field is required."] for field in fields
    }
    assert [form[field].help_text for field in fields] == [ADD_A_STORE] * len(fields)
    assert _nothing_recorded() == before
