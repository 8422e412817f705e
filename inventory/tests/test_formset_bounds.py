"""No stall: a post claiming thousands of lines gets one clear error, quickly.

Found: lines-TOTAL_FORMS=2000 (or 1e20) on quick sale, new or edit sales order, direct
purchase, new or edit purchase order built and rendered thousands of forms; it ran past
gunicorn's 30 s timeout, and four such posts stalled the whole site.
"""

import time

import pytest
from django.urls import reverse

from inventory.forms.common import BAD_LINE_COUNT, MAX_LINES, TOO_MANY_LINES
from inventory.forms.purchasing import DirectLineForm, OrderLineForm
from inventory.forms.sales import SalesLineForm
from inventory.models import LedgerEntry, Operation, PurchaseOrder, SalesOrder
from inventory.services.purchasing import purchase_order_create
from inventory.services.sales import sales_order_create
from inventory.services.stock import stock_receive

pytestmark = pytest.mark.django_db

# A page with 50 lines renders in well under a second here; the unbounded forms took
# many seconds. Generous, so a busy CI machine does not fail it.
PAGE_SECONDS = 3.0
CLAIMS = ["2000", "100000", "1e20", str(10**20)]


@pytest.fixture
def world(manager_user, store, item):
    stock_receive(actor=manager_user, item=item, store=store, quantity=10)
    so = sales_order_create(actor=manager_user, store=store, customer=None, lines=[(item, 1, None)])
    po = purchase_order_create(
        actor=manager_user, supplier=item.supplier, store=store, lines=[(item, 2, None)]
    )
    return {"so": so, "po": po, "store": store, "item": item, "supplier": item.supplier}


def _sale(w):
    return {"store": w["store"].pk, "customer": "", "note": "", "idempotency_key": "k-1"}


def _purchase(w):
    return {"supplier": w["supplier"].pk, "store": w["store"].pk, "note": "", "expected_on": ""}


PAGES = {
    "quick sale": (lambda w: reverse("inventory:sales_quick"), _sale, SalesLineForm),
    "new sales order": (lambda w: reverse("inventory:sales_new"), _sale, SalesLineForm),
    "edit sales order": (
        lambda w: reverse("inventory:sales_edit", args=[w["so"].pk]),
        _sale,
        SalesLineForm,
    ),
    "direct purchase": (
        lambda w: reverse("inventory:purchase_new"),
        lambda w: {**_purchase(w), "idempotency_key": "k-2"},
        DirectLineForm,
    ),
    "new purchase order": (
        lambda w: reverse("inventory:purchase_order_new"),
        _purchase,
        OrderLineForm,
    ),
    "edit purchase order": (
        lambda w: reverse("inventory:purchase_edit", args=[w["po"].pk]),
        _purchase,
        OrderLineForm,
    ),
}


@pytest.fixture
def forms_built(monkeypatch):
    """Count the line forms built during a request."""
    built = {"count": 0}
    # DirectLineForm is an OrderLineForm: patching both would count it twice.
    assert issubclass(DirectLineForm, OrderLineForm)
    for form_class in (SalesLineForm, OrderLineForm):
        original = form_class.__init__

        def counting(self, *args, _original=original, **kwargs):
            built["count"] += 1
            _original(self, *args, **kwargs)

        monkeypatch.setattr(form_class, "__init__", counting)
    return built


def _state():
    return (
        LedgerEntry.objects.count(),
        Operation.objects.count(),
        list(SalesOrder.objects.order_by("pk").values_list("pk", "status", "note")),
        list(PurchaseOrder.objects.order_by("pk").values_list("pk", "status", "note")),
        SalesOrder.objects.get().lines.count() if SalesOrder.objects.count() == 1 else None,
    )


@pytest.mark.parametrize("claim", CLAIMS)
@pytest.mark.parametrize("page", sorted(PAGES))
def test_a_post_claiming_thousands_of_lines_gets_a_clear_error_quickly(
    manager_client, world, forms_built, page, claim
):
    # given a post whose management form claims `claim` lines, with one line filled in
    url, header, _ = PAGES[page]
    data = {
        **header(world),
        "lines-TOTAL_FORMS": claim,
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "1000",
        "lines-0-item": world["item"].pk,
        "lines-0-quantity": "1",
    }
    before = _state()

    # when it is posted
    started = time.perf_counter()
    response = manager_client.post(url(world), data)
    elapsed = time.perf_counter() - started

    # then the form comes back with one clear error, having built the one row posted and
    # the blank template row, within a normal page time; nothing was recorded
    body = response.content.decode()
    print(f"\n{page}, TOTAL_FORMS={claim}: {forms_built['count']} line forms, {elapsed:.3f} s")
    assert response.status_code == 200
    expected = BAD_LINE_COUNT if "e" in claim else TOO_MANY_LINES
    assert expected.replace("'", "&#x27;") in body
    assert forms_built["count"] <= 2, forms_built["count"]
    assert elapsed < PAGE_SECONDS, f"{page}: {elapsed:.2f} s"
    assert _state() == before


def test_a_claim_with_many_rows_posted_builds_no_more_than_max_lines(
    manager_client, world, forms_built
):
    data = {**_purchase(world), "lines-TOTAL_FORMS": "2000", "lines-INITIAL_FORMS": "2000"}
    for index in range(80):
        data[f"lines-{index}-item"] = world["item"].pk
        data[f"lines-{index}-quantity"] = "1"
    before = _state()

    response = manager_client.post(reverse("inventory:purchase_order_new"), data)

    assert response.status_code == 200
    assert TOO_MANY_LINES in response.content.decode()
    assert forms_built["count"] <= MAX_LINES + 1
    assert _state() == before


def test_fifty_lines_are_accepted(manager_client, world):
    # The bound refuses more than MAX_LINES, not MAX_LINES itself.
    data = {**_purchase(world), "lines-TOTAL_FORMS": str(MAX_LINES), "lines-INITIAL_FORMS": "0"}
    for index in range(MAX_LINES):
        data[f"lines-{index}-item"] = world["item"].pk
        data[f"lines-{index}-quantity"] = "1"

    response = manager_client.post(reverse("inventory:purchase_order_new"), data)

    assert response.status_code == 302
    assert PurchaseOrder.objects.order_by("-pk").first().lines.count() == MAX_LINES


def test_a_receipt_claiming_more_rows_than_lines_builds_no_more_than_the_bound(
    staff_client, world, manager_user
):
    from inventory.forms.purchasing import ReceiveLineForm
    from inventory.services.purchasing import purchase_order_place

    po = world["po"]
    purchase_order_place(actor=manager_user, order=po)
    line = po.lines.get()
    built = []
    original = ReceiveLineForm.__init__

    def counting(self, *args, **kwargs):
        built.append(1)
        original(self, *args, **kwargs)

    ReceiveLineForm.__init__ = counting
    try:
        response = staff_client.post(
            reverse("inventory:purchase_receive", args=[po.pk]),
            {
                "idempotency_key": "k-3",
                "receipts-TOTAL_FORMS": "2000",
                "receipts-INITIAL_FORMS": "1",
                "receipts-0-line": line.pk,
                "receipts-0-quantity": "1",
            },
        )
    finally:
        ReceiveLineForm.__init__ = original

    assert response.status_code == 200
    assert TOO_MANY_LINES in response.content.decode()
    assert len(built) <= MAX_LINES + 1
    line.refresh_from_db()
    assert line.quantity_received == 0
