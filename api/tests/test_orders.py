"""Orders over the API: every write goes through the web screens' services."""

from decimal import Decimal

import pytest

from inventory.models import (
    LedgerEntry,
    Lot,
    PurchaseOrder,
    SalesOrder,
    StockBalance,
)
from inventory.selectors.stock import stock_available, stock_totals_for_item
from inventory.services.stock import stock_receive
from inventory.tests.factories import CustomerFactory, SupplierFactory

pytestmark = pytest.mark.django_db
V1 = "/api/v1"


@pytest.fixture
def supplier(db):
    return SupplierFactory(name="Acme")


@pytest.fixture
def customer(db):
    return CustomerFactory(name="Bob")


def receive(user, item, store, quantity, **kwargs):
    return stock_receive(actor=user, item=item, store=store, quantity=quantity, **kwargs)


# --- purchase orders -----------------------------------------------------------------------


def draft_po(api, supplier, store, item, quantity="10"):
    response = api.post(
        f"{V1}/purchase-orders/",
        {
            "supplier": supplier.pk,
            "store": store.pk,
            "lines": [{"item": item.pk, "quantity": quantity, "unit_cost": "1.25"}],
        },
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_a_purchase_order_is_drafted_edited_placed_received_in_part_then_in_full(
    manager_api, staff_api, supplier, store, item
):
    order = draft_po(manager_api, supplier, store, item)
    assert (order["status"], order["number"]) == ("DRAFT", f"PO-{order['id']:06d}")

    edited = manager_api.put(
        f"{V1}/purchase-orders/{order['id']}/",
        {
            "supplier": supplier.pk,
            "store": store.pk,
            "note": "urgent",
            "lines": [{"item": item.pk, "quantity": "6"}],
        },
    )
    assert edited.status_code == 200
    assert edited.json()["note"] == "urgent"
    assert edited.json()["lines"][0]["unit_cost"] == "2.50"  # the item's, left blank

    placed = manager_api.post(f"{V1}/purchase-orders/{order['id']}/place/")
    assert placed.json()["status"] == "ORDERED"

    line = edited.json()["lines"][0]["id"]
    part = staff_api.stock_post(
        f"{V1}/purchase-orders/{order['id']}/receive/",
        {"receipts": [{"line": line, "quantity": "2", "lot_code": "A-1"}]},
    )
    assert part.status_code == 201
    assert part.json()["order"]["status"] == "PARTIALLY_RECEIVED"
    assert len(part.json()["movements"]) == 1

    rest = staff_api.stock_post(f"{V1}/purchase-orders/{order['id']}/receive/", {"all": True})
    assert rest.status_code == 201
    assert rest.json()["order"]["status"] == "RECEIVED"
    assert stock_available(item=item, store=store) == Decimal("6")
    assert Lot.objects.filter(item=item, code="A-1").exists()


def test_staff_cannot_draft_place_or_cancel_a_purchase_order(
    staff_api, manager_api, supplier, store, item
):
    order = draft_po(manager_api, supplier, store, item)

    assert staff_api.post(f"{V1}/purchase-orders/", {}).status_code == 403
    assert staff_api.post(f"{V1}/purchase-orders/{order['id']}/place/").status_code == 403
    assert staff_api.post(f"{V1}/purchase-orders/{order['id']}/cancel/").status_code == 403
    assert PurchaseOrder.objects.get().status == "DRAFT"


def test_cancelling_a_received_order_is_a_409_naming_the_transition(
    manager_api, supplier, store, item
):
    order = draft_po(manager_api, supplier, store, item, quantity="1")
    manager_api.post(f"{V1}/purchase-orders/{order['id']}/place/")
    manager_api.stock_post(f"{V1}/purchase-orders/{order['id']}/receive/", {"all": True})

    response = manager_api.post(f"{V1}/purchase-orders/{order['id']}/cancel/")

    assert response.status_code == 409
    assert response.json()["type"] == "urn:inventory:problem:invalid-transition"
    assert "received" in response.json()["detail"] and "cancelled" in response.json()["detail"]
    assert PurchaseOrder.objects.get().status == "RECEIVED"


def test_receiving_more_than_outstanding_is_refused_and_records_nothing(
    manager_api, supplier, store, item
):
    order = draft_po(manager_api, supplier, store, item, quantity="2")
    manager_api.post(f"{V1}/purchase-orders/{order['id']}/place/")
    line = order["lines"][0]["id"]

    response = manager_api.stock_post(
        f"{V1}/purchase-orders/{order['id']}/receive/",
        {"receipts": [{"line": line, "quantity": "3"}]},
    )

    assert response.status_code == 422
    assert response.json()["errors"] == {"quantity": [response.json()["detail"]]}
    assert "outstanding" in response.json()["detail"]
    assert LedgerEntry.objects.count() == 0


def test_a_direct_purchase_receives_at_once(staff_api, supplier, store, qc_item):
    response = staff_api.stock_post(
        f"{V1}/purchase-orders/direct/",
        {
            "supplier": supplier.pk,
            "store": store.pk,
            "lines": [{"item": qc_item.pk, "quantity": "4", "lot_code": "Q-1"}],
        },
    )

    assert response.status_code == 201
    assert response.json()["order"]["status"] == "RECEIVED"
    totals = stock_totals_for_item(item=qc_item, store=store)
    assert (totals["on_hand"], totals["quarantined"], totals["available"]) == (4, 4, 0)


# --- sales orders ----------------------------------------------------------------------------


def test_a_sales_order_is_drafted_edited_confirmed_shipped_in_part_and_returned(
    staff_api, manager_user, store, item, customer
):
    receive(manager_user, item, store, 10)
    created = staff_api.post(
        f"{V1}/sales-orders/",
        {"store": store.pk, "customer": customer.pk, "lines": [{"item": item.pk, "quantity": "3"}]},
    )
    assert created.status_code == 201
    order = created.json()
    edited = staff_api.put(
        f"{V1}/sales-orders/{order['id']}/",
        {"store": store.pk, "lines": [{"item": item.pk, "quantity": "5", "unit_price": "9.99"}]},
    )
    assert edited.json()["customer"] is None
    line = edited.json()["lines"][0]["id"]

    confirmed = staff_api.stock_post(f"{V1}/sales-orders/{order['id']}/confirm/")
    assert confirmed.status_code == 200
    assert confirmed.json()["order"]["status"] == "CONFIRMED"
    assert stock_available(item=item, store=store) == Decimal("5")

    shipped = staff_api.stock_post(
        f"{V1}/sales-orders/{order['id']}/ship/", {"lines": [{"line": line, "quantity": "2"}]}
    )
    assert shipped.json()["order"]["status"] == "PARTIALLY_SHIPPED"

    returned = staff_api.stock_post(
        f"{V1}/sales-orders/{order['id']}/returns/", {"line": line, "quantity": "1"}
    )
    assert returned.status_code == 201
    assert returned.json()["order"]["lines"][0]["quantity_returned"] == "1.000"

    cancelled = staff_api.stock_post(f"{V1}/sales-orders/{order['id']}/cancel/")
    assert cancelled.json()["order"]["status"] == "CANCELLED"
    totals = stock_totals_for_item(item=item, store=store)
    assert (totals["on_hand"], totals["reserved"]) == (Decimal("9"), Decimal("0"))


def test_shipping_without_lines_ships_everything_reserved(staff_api, manager_user, store, item):
    receive(manager_user, item, store, 10)
    order = staff_api.post(
        f"{V1}/sales-orders/", {"store": store.pk, "lines": [{"item": item.pk, "quantity": "4"}]}
    ).json()
    staff_api.stock_post(f"{V1}/sales-orders/{order['id']}/confirm/")

    shipped = staff_api.stock_post(f"{V1}/sales-orders/{order['id']}/ship/", {})

    assert shipped.json()["order"]["status"] == "SHIPPED"
    assert StockBalance.objects.get(item=item, store=store).on_hand == Decimal("6")


def test_confirming_a_short_order_reserves_nothing_and_names_the_shortage(
    staff_api, manager_user, store, item
):
    receive(manager_user, item, store, 2)
    order = staff_api.post(
        f"{V1}/sales-orders/", {"store": store.pk, "lines": [{"item": item.pk, "quantity": "5"}]}
    ).json()

    response = staff_api.stock_post(f"{V1}/sales-orders/{order['id']}/confirm/")

    assert response.status_code == 409
    body = response.json()
    assert body["detail"] == "Only 2 pcs of SKU-0042 available in Main Store; 5 requested."
    assert (body["requested"], body["available"]) == ("5.000", "2.000")
    assert body["item"] == {"id": item.pk, "sku": "SKU-0042"}
    assert body["store"] == {"id": store.pk, "code": "MAIN"}
    assert SalesOrder.objects.get().status == "DRAFT"
    assert StockBalance.objects.get(item=item, store=store).reserved == 0


def test_a_quick_sale_issues_at_once_and_a_refused_one_records_nothing(
    staff_api, manager_user, store, item
):
    receive(manager_user, item, store, 3)
    sold = staff_api.stock_post(
        f"{V1}/sales-orders/quick/",
        {"store": store.pk, "lines": [{"item": item.pk, "quantity": "2"}]},
    )
    refused = staff_api.stock_post(
        f"{V1}/sales-orders/quick/",
        {"store": store.pk, "lines": [{"item": item.pk, "quantity": "2"}]},
    )

    assert sold.status_code == 201 and sold.json()["order"]["status"] == "SHIPPED"
    assert refused.status_code == 409
    assert refused["Content-Type"] == "application/problem+json"
    assert refused.json()["shortages"] == [
        {
            "item": {"id": item.pk, "sku": "SKU-0042"},
            "store": {"id": store.pk, "code": "MAIN"},
            "requested": "2.000",
            "available": "1.000",
            "line": 0,
        }
    ]
    assert SalesOrder.objects.count() == 1


def test_a_return_of_a_line_of_another_order_is_a_400(staff_api, manager_user, store, item):
    receive(manager_user, item, store, 5)
    one = staff_api.stock_post(
        f"{V1}/sales-orders/quick/",
        {"store": store.pk, "lines": [{"item": item.pk, "quantity": "1"}]},
    ).json()["order"]
    two = staff_api.stock_post(
        f"{V1}/sales-orders/quick/",
        {"store": store.pk, "lines": [{"item": item.pk, "quantity": "1"}]},
    ).json()["order"]

    response = staff_api.stock_post(
        f"{V1}/sales-orders/{one['id']}/returns/",
        {"line": two["lines"][0]["id"], "quantity": "1"},
    )

    assert response.status_code == 400
    assert "line" in response.json()["errors"]
    assert LedgerEntry.objects.filter(kind="RETURN").count() == 0


def test_the_hand_built_order_bodies_equal_the_documented_serializers(
    manager_api, staff_api, manager_user, supplier, store, item, customer
):
    from api.serializers.orders import PurchaseOrderSerializer, SalesOrderSerializer
    from api.views.orders import (
        purchase_order_body,
        purchase_orders,
        sales_order_body,
        sales_orders,
    )

    receive(manager_user, item, store, 10)
    po = draft_po(manager_api, supplier, store, item)
    manager_api.post(f"{V1}/purchase-orders/{po['id']}/place/")
    so = staff_api.stock_post(
        f"{V1}/sales-orders/quick/",
        {
            "store": store.pk,
            "customer": customer.pk,
            "note": "n",
            "lines": [{"item": item.pk, "quantity": "2", "unit_price": "3"}],
        },
    ).json()["order"]

    assert purchase_order_body(po["id"]) == dict(
        PurchaseOrderSerializer(purchase_orders().get(pk=po["id"])).data
    )
    assert sales_order_body(so["id"]) == dict(
        SalesOrderSerializer(sales_orders().get(pk=so["id"])).data
    )
    assert staff_api.get(f"{V1}/sales-orders/{so['id']}/").json() == so


@pytest.mark.parametrize("path", ["purchase-orders", "sales-orders"])
def test_order_lists_filter_by_whole_local_days(
    staff_api, manager_user, store, item, supplier, settings, path
):
    import datetime

    from django.utils import timezone

    settings.TIME_ZONE = "Europe/Paris"  # a local day is not a UTC day
    timezone.deactivate()
    if path == "purchase-orders":
        make = lambda: PurchaseOrder.objects.create(  # noqa: E731
            supplier=supplier, store=store, created_by=manager_user
        )
    else:
        make = lambda: SalesOrder.objects.create(store=store, created_by=manager_user)  # noqa: E731
    paris = datetime.timezone(datetime.timedelta(hours=1))
    late_on_the_1st, early_on_the_2nd = make(), make()
    # 23:30 on 1 March in Paris is 22:30 UTC; 00:30 on 2 March is 23:30 UTC on 1 March.
    type(late_on_the_1st).objects.filter(pk=late_on_the_1st.pk).update(
        created_at=datetime.datetime(2027, 3, 1, 23, 30, tzinfo=paris)
    )
    type(early_on_the_2nd).objects.filter(pk=early_on_the_2nd.pk).update(
        created_at=datetime.datetime(2027, 3, 2, 0, 30, tzinfo=paris)
    )

    def ids(query):
        response = staff_api.get(f"{V1}/{path}/?{query}")
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert ids("date_from=2027-03-02") == {early_on_the_2nd.pk}
    assert ids("date_to=2027-03-01") == {late_on_the_1st.pk}
    assert ids("date_from=2027-03-01&date_to=2027-03-02") == {
        late_on_the_1st.pk,
        early_on_the_2nd.pk,
    }
    assert staff_api.get(f"{V1}/{path}/?date_from=99999-01-01").status_code == 400


def test_a_damaged_return_is_held_for_a_qc_decision(staff_api, manager_user, store, item):
    receive(manager_user, item, store, 10)
    order = staff_api.stock_post(
        f"{V1}/sales-orders/quick/",
        {"store": store.pk, "lines": [{"item": item.pk, "quantity": "3"}]},
    ).json()["order"]
    line = order["lines"][0]["id"]

    refused = staff_api.stock_post(
        f"{V1}/sales-orders/{order['id']}/returns/",
        {"line": line, "quantity": "1", "damaged": "yes"},
    )
    returned = staff_api.stock_post(
        f"{V1}/sales-orders/{order['id']}/returns/",
        {"line": line, "quantity": "1", "damaged": True},
    )

    assert refused.status_code == 400 and "damaged" in refused.json()["errors"]
    assert returned.status_code == 201
    totals = stock_totals_for_item(item=item, store=store)
    assert (totals["on_hand"], totals["available"], totals["quarantined"]) == (
        Decimal("8"),
        Decimal("7"),
        Decimal("1"),
    )
