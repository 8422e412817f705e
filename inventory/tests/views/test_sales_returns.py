"""Sales screens: returns from the order page, recorded once, bad input refused cleanly."""

import pytest
from django.urls import reverse

from inventory.selectors.stock import stock_totals_for_item
from inventory.tests.views.sales_view_helpers import D, Status, make_order, msgs, replayed, state

pytestmark = pytest.mark.django_db


# --- returns ------------------------------------------------------------------------------


def test_return_from_the_order_page(staff_client, staff_user, store, item):
    order = make_order(staff_user, store, item, quantity="4", status=Status.SHIPPED)
    line = order.lines.get()
    url = reverse("inventory:sales_return", args=[order.pk, line.pk])

    response = staff_client.post(url, {"idempotency_key": "ret-1", "quantity": "1", "note": "x"})
    replay = staff_client.post(url, {"idempotency_key": "ret-1", "quantity": "1", "note": "x"})

    assert msgs(response) == ["Return of 1 pc of SKU-0042 recorded."]
    assert msgs(replay)[-1] == replayed("This return", "on", order)
    line.refresh_from_db()
    assert line.quantity_returned == D("1.000")
    assert stock_totals_for_item(item=item, store=store)["on_hand"] == D("7.000")


def test_a_return_into_a_lot_expired_since_says_so(staff_client, staff_user, store, item):
    # found by QA: the goods went back into their expired lot, and the message did not say
    import datetime

    from inventory.models import Lot

    order = make_order(staff_user, store, item, quantity="4", status=Status.SHIPPED)
    line = order.lines.get()
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    Lot.objects.filter(item=item).update(expires_on=yesterday)
    lot = Lot.objects.get(item=item)

    response = staff_client.post(
        reverse("inventory:sales_return", args=[order.pk, line.pk]),
        {"idempotency_key": "ret-x", "quantity": "1"},
    )

    assert msgs(response) == [
        f"Return of 1 pc of SKU-0042 recorded; lot {lot.code} expired on {yesterday}: "
        "write it off or return it to the supplier."
    ]
    assert stock_totals_for_item(item=item, store=store)["expired"] == D("7.000")


@pytest.mark.parametrize(
    ("quantity", "reason"),
    [
        ("5", "Only 4 pcs of SKU-0042 shipped and not yet returned"),  # the service's refusal
        ("0", "Enter a quantity greater than zero."),
        ("abc", "Enter a number."),
        ("", "required"),
    ],
)
def test_a_refused_return_is_shown_on_its_line_and_changes_nothing(
    staff_client, staff_user, store, item, quantity, reason
):
    order = make_order(staff_user, store, item, quantity="4", status=Status.SHIPPED)
    line = order.lines.get()
    before = state()

    response = staff_client.post(
        reverse("inventory:sales_return", args=[order.pk, line.pk]),
        {"idempotency_key": f"ret-{quantity}", "quantity": quantity, "note": "damaged box"},
    )

    assert response.status_code == 200
    page = response.content.decode()
    row = page[page.index('data-testid="line-SKU-0042"') :]
    row = row[: row.index("</tr>")]
    # The reason sits under this line's boxes, tied to the box by aria-describedby,
    # and what was typed is still there to mend.
    error = f'id="id_return_{line.pk}_quantity_error"'
    assert error in row and reason in row and 'aria-invalid="true"' in row
    assert 'value="damaged box"' in row
    assert f'value="ret-{quantity}"' in row  # the same key: mended and sent again, one return
    assert state() == before


def test_a_refused_return_then_mended_records_one_return(staff_client, staff_user, store, item):
    order = make_order(staff_user, store, item, quantity="4", status=Status.SHIPPED)
    line = order.lines.get()
    url = reverse("inventory:sales_return", args=[order.pk, line.pk])

    refused = staff_client.post(url, {"idempotency_key": "ret-m", "quantity": "9"})
    mended = staff_client.post(url, {"idempotency_key": "ret-m", "quantity": "3"})

    assert refused.status_code == 200 and mended.status_code == 302
    line.refresh_from_db()
    assert line.quantity_returned == D("3.000")
    assert stock_totals_for_item(item=item, store=store)["on_hand"] == D("9.000")


def test_return_of_a_line_of_another_order_is_404(staff_client, staff_user, store, item):
    order = make_order(staff_user, store, item, status=Status.SHIPPED)
    other = make_order(staff_user, store, item, stock=None)
    response = staff_client.post(
        reverse("inventory:sales_return", args=[other.pk, order.lines.get().pk]),
        {"idempotency_key": "r", "quantity": "1"},
    )
    assert response.status_code == 404


def test_a_damaged_return_is_held_in_quarantine_not_sold_again(
    staff_client, staff_user, manager_user, store, item
):
    # Left by stop 24: a return of an item without QC went straight back to sellable
    # stock; a damaged one needed a write-off after it.
    from inventory.models import Lot
    from inventory.services.qc import lot_approve

    order = make_order(staff_user, store, item, quantity="4", status=Status.SHIPPED)
    line = order.lines.get()
    before = stock_totals_for_item(item=item, store=store)
    url = reverse("inventory:sales_return", args=[order.pk, line.pk])
    page = staff_client.get(order.get_absolute_url()).content.decode()

    response = staff_client.post(
        url, {"idempotency_key": "ret-d", "quantity": "2", "note": "crushed", "damaged": "on"}
    )

    held = Lot.objects.get(item=item, qc_status="QUARANTINE")
    assert 'name="damaged"' in page
    assert msgs(response) == [
        f"Return of 2 pcs of SKU-0042 recorded into quarantine for inspection (lot {held.code})."
    ]
    after = stock_totals_for_item(item=item, store=store)
    assert after["on_hand"] == before["on_hand"] + 2
    assert (after["available"], after["quarantined"]) == (before["available"], D("2.000"))
    lot_approve(actor=manager_user, lot=held)  # checked and found fine: sellable again
    assert stock_totals_for_item(item=item, store=store)["available"] == before["available"] + 2
