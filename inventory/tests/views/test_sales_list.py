"""Sales screens: who may open them, and the list's filters, pages and query count."""

import pytest
from django.urls import reverse

from inventory.models import SalesOrder
from inventory.services.sales import sales_order_confirm, sales_order_create
from inventory.services.stock import stock_receive
from inventory.tests.factories import CustomerFactory, StoreFactory
from inventory.tests.views.sales_view_helpers import D, make_order, state

pytestmark = pytest.mark.django_db


# --- guards -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["sales_list", "sales_new", "sales_quick"],
)
def test_sales_pages_need_a_role(client, roleless_user, name):
    response = client.get(reverse(f"inventory:{name}"))
    assert response.status_code == 302 and "/login/" in response.url
    client.force_login(roleless_user)
    response = client.get(reverse(f"inventory:{name}"))
    assert response.status_code == 302 and "login" not in response.url


def test_anonymous_post_to_confirm_changes_nothing(client, staff_user, store, item):
    order = make_order(staff_user, store, item)
    before = state()

    response = client.post(
        reverse("inventory:sales_confirm", args=[order.pk]), {"idempotency_key": "k"}
    )

    assert response.status_code == 302 and "/login/" in response.url
    assert state() == before


# --- list -----------------------------------------------------------------------------------


def test_list_filters_by_status_customer_store_and_date(staff_client, staff_user, store, item):
    other = StoreFactory(code="NORTH")
    customer = CustomerFactory(name="Harper")
    stock_receive(actor=staff_user, item=item, store=store, quantity="10")
    walk_in = sales_order_create(actor=staff_user, store=store, customer=None, lines=[(item, "1")])
    harper = sales_order_create(
        actor=staff_user, store=other, customer=customer, lines=[(item, "1")]
    )
    sales_order_confirm(actor=staff_user, order=walk_in, idempotency_key=None)
    url = reverse("inventory:sales_list")

    def numbers(**params):
        response = staff_client.get(url, params)
        assert response.status_code == 200
        return [o.number for o in response.context["page"]]

    assert numbers() == [harper.number, walk_in.number]
    assert numbers(status="CONFIRMED") == [walk_in.number]
    assert numbers(customer=str(customer.pk)) == [harper.number]
    assert numbers(customer="walk-in") == [walk_in.number]
    assert numbers(store=str(other.pk)) == [harper.number]
    assert numbers(date_from="2000-01-01", date_to="2000-01-02") == []
    # a filter that cannot be read lists nothing (never everything), never a 500
    assert numbers(status="NOPE", date_from="yesterday") == []


def test_list_paginates(staff_client, staff_user, store, item):
    for _ in range(27):
        sales_order_create(actor=staff_user, store=store, customer=None, lines=[(item, "1")])

    first = staff_client.get(reverse("inventory:sales_list"))
    second = staff_client.get(
        f"{reverse('inventory:sales_list')}?{first.context['page'].older_query}"
    )

    assert len(first.context["page"]) == 25
    assert len(second.context["page"]) == 2
    numbers = [o.number for o in first.context["page"]] + [o.number for o in second.context["page"]]
    assert numbers == [o.number for o in SalesOrder.objects.order_by("-created_at", "-pk")]


@pytest.mark.parametrize("count", [5, 50])
def test_list_runs_a_constant_number_of_queries(
    staff_client, staff_user, store, item, count, django_assert_num_queries
):
    customers = [CustomerFactory() for _ in range(3)]
    for i in range(count):
        sales_order_create(
            actor=staff_user,
            store=store,
            customer=customers[i % 3] if i % 2 else None,
            lines=[(item, "1"), (item, "2", "3.00")],
        )
    staff_client.get(reverse("inventory:sales_list"))  # warm the session and role caches

    # session, user with its role, page of orders (no count), the stores to filter by
    # (customers are picked by name: none is listed)
    with django_assert_num_queries(4):
        response = staff_client.get(reverse("inventory:sales_list"))

    assert response.status_code == 200
    assert response.context["page"][0].value == D("10.00")
