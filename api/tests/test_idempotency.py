"""Idempotency-Key: one movement per key, replays answer as the first time, misuse is refused."""

import io
import json
from decimal import Decimal

import pytest

from api.models import IdempotentRequest
from api.tests.conftest import ApiClient, client_for
from inventory.models import LedgerEntry, Operation, SalesOrder, StockBalance
from inventory.selectors.stock import stock_available
from inventory.services.stock import stock_receive
from inventory.tests.concurrency import run_together
from inventory.tests.factories import ItemFactory, StoreFactory, UserFactory

QUICK = "/api/v1/sales-orders/quick/"


def sale(item, store, quantity="1"):
    return {"store": store.pk, "lines": [{"item": item.pk, "quantity": quantity}]}


def state(item, store):
    return (
        LedgerEntry.objects.count(),
        Operation.objects.count(),
        SalesOrder.objects.count(),
        stock_available(item=item, store=store),
    )


@pytest.fixture
def stocked(db, manager_user, item, store):
    stock_receive(actor=manager_user, item=item, store=store, quantity=10)
    return item, store


@pytest.mark.django_db
def test_a_stock_post_without_a_key_is_a_400_that_explains_and_changes_nothing(staff_api, stocked):
    item, store = stocked
    before = state(item, store)

    response = staff_api.post(QUICK, sale(item, store))

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == "urn:inventory:problem:idempotency-key-missing"
    assert "Idempotency-Key header" in body["detail"]
    assert state(item, store) == before


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["x" * 65, "has space", "caf\u00e9"])
def test_a_malformed_key_is_refused_before_anything_moves(staff_api, stocked, key):
    item, store = stocked
    before = state(item, store)

    response = staff_api.client.post(
        QUICK,
        json.dumps(sale(item, store)),
        content_type="application/json",
        headers={"Authorization": f"Bearer {staff_api.raw_token}", "Idempotency-Key": key},
    )

    assert response.status_code == 400
    assert response.json()["type"] == "urn:inventory:problem:idempotency-key-invalid"
    assert state(item, store) == before


@pytest.mark.django_db
def test_a_replay_returns_the_first_response_marked_and_moves_nothing_more(staff_api, stocked):
    item, store = stocked
    first = staff_api.post(QUICK, sale(item, store, "2"), key="till-1-0001")
    after_first = state(item, store)

    again = staff_api.post(QUICK, sale(item, store, "2"), key="till-1-0001")

    assert first.status_code == again.status_code == 201
    assert "Idempotent-Replayed" not in first
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert state(item, store) == after_first
    assert after_first[3] == Decimal("8")
    assert LedgerEntry.objects.filter(kind="ISSUE").count() == 1


@pytest.mark.django_db
def test_the_same_body_with_other_key_order_and_spacing_is_still_a_replay(staff_api, stocked):
    item, store = stocked
    staff_api.post(QUICK, sale(item, store), key="k-order")
    reordered = json.dumps({"lines": [{"quantity": "1", "item": item.pk}], "store": store.pk})

    again = staff_api.post(QUICK, reordered, key="k-order")

    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert LedgerEntry.objects.filter(kind="ISSUE").count() == 1


@pytest.mark.django_db
def test_the_same_key_with_a_different_body_is_refused_with_422(staff_api, stocked):
    item, store = stocked
    staff_api.post(QUICK, sale(item, store, "1"), key="k-reused")
    before = state(item, store)

    response = staff_api.post(QUICK, sale(item, store, "3"), key="k-reused")

    assert response.status_code == 422
    body = response.json()
    assert body["type"] == "urn:inventory:problem:idempotency-key-reused"
    assert "k-reused" in body["detail"] and "different request" in body["detail"]
    assert state(item, store) == before


@pytest.mark.django_db
def test_the_same_key_on_another_path_is_refused_too(staff_api, manager_api, stocked):
    item, store = stocked
    staff_api.post(QUICK, sale(item, store), key="k-path")
    before = state(item, store)

    response = staff_api.post("/api/v1/sales-orders/", sale(item, store), key="k-path")

    assert response.status_code == 422
    assert state(item, store) == before


@pytest.mark.django_db
def test_two_users_may_use_the_same_key_without_meeting(staff_api, stocked):
    item, store = stocked
    other = client_for(UserFactory(role="Staff", username="staff2"))

    first = staff_api.post(QUICK, sale(item, store), key="shared-key")
    second = other.post(QUICK, sale(item, store), key="shared-key")

    assert first.status_code == second.status_code == 201
    assert "Idempotent-Replayed" not in second
    assert first.json()["order"]["id"] != second.json()["order"]["id"]
    assert LedgerEntry.objects.filter(kind="ISSUE").count() == 2
    assert stock_available(item=item, store=store) == Decimal("8")


@pytest.mark.django_db
def test_a_refusal_is_stored_and_replayed_as_the_first_answer(staff_api, manager_user, stocked):
    item, store = stocked
    refused = staff_api.post(QUICK, sale(item, store, "50"), key="k-short")
    stock_receive(actor=manager_user, item=item, store=store, quantity=100)
    before = state(item, store)

    again = staff_api.post(QUICK, sale(item, store, "50"), key="k-short")

    assert refused.status_code == again.status_code == 409
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == refused.json()
    assert state(item, store) == before


@pytest.mark.django_db
def test_input_errors_are_not_stored_so_the_corrected_request_may_reuse_the_key(staff_api, stocked):
    item, store = stocked

    bad = staff_api.post(QUICK, {"store": store.pk, "lines": [{"item": item.pk}]}, key="k-fix")
    fixed = staff_api.post(QUICK, sale(item, store), key="k-fix")

    assert bad.status_code == 400
    assert bad.json()["errors"] == {"lines": {"0": {"quantity": ["This field is required."]}}}
    assert fixed.status_code == 201
    assert IdempotentRequest.objects.filter(key="k-fix").count() == 1


@pytest.mark.django_db
def test_the_operation_key_is_the_users_key_namespaced(staff_api, staff_user, stocked):
    item, store = stocked
    staff_api.post(QUICK, sale(item, store), key="k-op")

    operation = Operation.objects.get(kind="SO_QUICK_SALE")
    stored = IdempotentRequest.objects.get(key="k-op")

    assert operation.idempotency_key.startswith("api:")
    assert len(operation.idempotency_key) == 64
    assert (stored.user, stored.status_code, stored.method) == (staff_user, 201, "POST")
    assert stored.path == QUICK


@pytest.mark.django_db(transaction=True)
def test_a_parallel_double_post_and_a_later_replay_make_one_movement():
    # given 10 available and one till that sends the same sale twice at once
    user = UserFactory(role="Staff", username="till")
    item, store = ItemFactory(sku="TWIN-1"), StoreFactory(code="TWIN")
    stock_receive(actor=user, item=item, store=store, quantity=10, lot_code="A")
    raw = client_for(user).raw_token
    body = sale(item, store, "3")

    def post():
        return ApiClient(raw).post(QUICK, body, key="twin-key")

    # when both are sent together, and once more later
    twins = run_together([post, post])
    later = post()

    # then one sale, one issue, and three identical answers (the others marked replayed)
    assert all(not isinstance(r, Exception) for r in twins), twins
    responses = [*twins, later]
    assert [r.status_code for r in responses] == [201, 201, 201]
    assert sum(1 for r in responses if r.get("Idempotent-Replayed") == "true") == 2
    assert len({json.dumps(r.json(), sort_keys=True) for r in responses}) == 1
    assert SalesOrder.objects.count() == 1
    assert LedgerEntry.objects.filter(kind="ISSUE").count() == 1
    assert StockBalance.objects.get(item=item, store=store).on_hand == Decimal("7")


@pytest.mark.django_db
def test_after_the_stored_response_is_purged_the_operation_key_still_makes_one_movement(
    staff_api, stocked
):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    item, store = stocked
    first = staff_api.post(QUICK, sale(item, store), key="k-old")
    IdempotentRequest.objects.update(created_at=timezone.now() - timedelta(days=8))
    call_command("api_purge_idempotency", stdout=io.StringIO())
    assert not IdempotentRequest.objects.exists()

    again = staff_api.post(QUICK, sale(item, store), key="k-old")

    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["order"]["id"] == first.json()["order"]["id"]
    assert LedgerEntry.objects.filter(kind="ISSUE").count() == 1


@pytest.mark.django_db
def test_two_tills_of_one_user_may_use_the_same_key_without_meeting(staff_user, stocked):
    # Found by an integrator's QA pass: keys were the user's, so the second till's sale,
    # sent with the same counter and body, was answered as a replay and never recorded.
    item, store = stocked
    till1, till2 = client_for(staff_user), client_for(staff_user)

    first = till1.post(QUICK, sale(item, store), key="0001")
    second = till2.post(QUICK, sale(item, store), key="0001")
    retried = till2.post(QUICK, sale(item, store), key="0001")

    assert first.status_code == second.status_code == retried.status_code == 201
    assert "Idempotent-Replayed" not in second and retried["Idempotent-Replayed"] == "true"
    assert first.json()["order"]["id"] != second.json()["order"]["id"]
    assert retried.json() == second.json()
    assert LedgerEntry.objects.filter(kind="ISSUE").count() == 2
    assert stock_available(item=item, store=store) == Decimal("8")
    assert IdempotentRequest.objects.filter(key="0001", token__isnull=False).count() == 2
