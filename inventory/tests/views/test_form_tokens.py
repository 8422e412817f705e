"""A form page's token survives Back: it is read back from the page's address.

The browser side (form-token.js writes ?token= into the address; Back re-fetches the
page) is driven in e2e/test_back_resubmit.py. Here: the views render the token of the
address only when it was signed for the same user, and a replayed new-order form saves
one draft and says which.
"""

import re
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import UserFactory
from inventory.models import AuditEvent, Operation, PurchaseOrder, SalesOrder
from inventory.services.purchasing import purchase_order_create, purchase_order_place
from inventory.services.sales import sales_order_confirm, sales_order_create
from inventory.services.stock import stock_receive
from inventory.tests.concurrency import run_together
from inventory.tests.factories import ItemFactory, StoreFactory, SupplierFactory
from inventory.tests.views.transfer_view_helpers import one_line
from inventory.views.common import ALREADY_RECORDED
from inventory.views.form_tokens import is_users_token, new_token

TOKEN = re.compile(r'name="idempotency_key" value="([^"]*)"')


def rendered_token(response) -> str:
    tokens = TOKEN.findall(response.content.decode())
    assert len(tokens) == 1, tokens
    return tokens[0]


def msgs(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def form_pages(manager, store, item) -> dict:
    """Every page whose form records a document, by name: its address."""
    stock_receive(actor=manager, item=item, store=store, quantity="10")
    sale = sales_order_create(actor=manager, store=store, customer=None, lines=[(item, 2, None)])
    sales_order_confirm(actor=manager, order=sale, idempotency_key="tokens-confirm")
    purchase = purchase_order_create(
        actor=manager, supplier=item.supplier, store=store, lines=[(item, 5, None)]
    )
    purchase_order_place(actor=manager, order=purchase)
    return {
        "quick sale": reverse("inventory:sales_quick"),
        "new sales order": reverse("inventory:sales_new"),
        "shipment": reverse("inventory:sales_ship", args=[sale.pk]),
        "direct purchase": reverse("inventory:purchase_new"),
        "new purchase order": reverse("inventory:purchase_order_new"),
        "receipt": reverse("inventory:purchase_receive", args=[purchase.pk]),
        "transfer": reverse("inventory:transfer_new"),
        "adjustment": f"{reverse('inventory:adjustment_new')}?item={item.pk}",
    }


def with_token(url: str, token: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}token={token}"


def test_a_form_page_renders_the_token_of_its_address(manager_client, manager_user, store, item):
    # given a token the server gave this manager for a form page
    token = new_token(manager_user)

    for name, url in form_pages(manager_user, store, item).items():
        # when the page is fetched again with that token in its address (Back, reload)
        response = manager_client.get(with_token(url, token))

        # then it renders the same token, so submitting again is a replay
        assert response.status_code == 200, name
        assert rendered_token(response) == token, name


def test_a_form_page_without_a_token_gets_a_fresh_one_signed_for_the_user(
    manager_client, manager_user, store, item
):
    for name, url in form_pages(manager_user, store, item).items():
        first = rendered_token(manager_client.get(url))
        second = rendered_token(manager_client.get(url))

        assert is_users_token(manager_user, first), name
        assert first != second, name


@pytest.mark.parametrize(
    "given",
    [
        "another user's",
        "0123456789abcdef0123456789abcdef",  # well formed, unsigned
        "0123456789abcdef0123456789abcdef.00000000000000000000",  # forged signature
        "a\x00b",
        "x" * 10_000,
        "",
    ],
    ids=["other-user", "unsigned", "forged", "nul", "long", "blank"],
)
def test_a_token_not_signed_for_this_user_is_replaced(
    manager_client, manager_user, store, item, given
):
    # given a token that this user was not given (a shared link, a bookmark of someone
    # else's page, a made-up value)
    if given == "another user's":
        given = new_token(UserFactory(role="Manager", username="other-manager"))
    url = reverse("inventory:sales_quick")

    # when a page is asked for with it
    response = manager_client.get(with_token(url, given))
    if "\x00" in given:  # refused before any view, by the NUL middleware
        assert response.status_code == 400
        return

    # then the page is served with a fresh token of this user's, never that one
    assert response.status_code == 200
    token = rendered_token(response)
    assert token != given
    assert is_users_token(manager_user, token)


def test_a_page_opened_before_a_key_rotation_keeps_its_token(
    manager_client, manager_user, settings
):
    # given a token signed with the key in use when the page was opened
    given = new_token(manager_user)
    url = reverse("inventory:sales_quick")

    # when the key is rotated (the old one kept as a fallback) and the page comes back
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-key-" + "n" * 50
    response = manager_client.get(with_token(url, given))

    # then the user is still signed in, and the page keeps its token: sending it again
    # is still a replay
    assert response.status_code == 200
    assert rendered_token(response) == given
    settings.SECRET_KEY_FALLBACKS = []
    assert not is_users_token(manager_user, given)


def sales_draft_post(store, item, key):
    return reverse("inventory:sales_new"), {
        "idempotency_key": key,
        "store": store.pk,
        "customer": "",
        "note": "",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "1",
        "lines-MAX_NUM_FORMS": "1000",
        "lines-0-item": item.pk,
        "lines-0-quantity": "3",
        "lines-0-unit_price": "",
    }


def purchase_draft_post(store, item, key):
    return reverse("inventory:purchase_order_new"), {
        "idempotency_key": key,
        "supplier": item.supplier.pk,
        "store": store.pk,
        "expected_on": "",
        "note": "",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "1000",
        "lines-0-item": item.pk,
        "lines-0-quantity": "3",
        "lines-0-unit_cost": "",
    }


DRAFTS = [
    (sales_draft_post, SalesOrder, "Draft {number} saved. Confirm it to reserve."),
    (purchase_draft_post, PurchaseOrder, "Draft {number} saved."),
]


@pytest.mark.parametrize("post, model, saved", DRAFTS, ids=["sales", "purchase"])
def test_a_new_order_form_submitted_again_saves_one_draft_and_says_which(
    manager_client, store, item, post, model, saved
):
    # given a new-order form that was submitted once
    url, data = post(store, item, "draft-key-1")
    first = manager_client.post(url, data)
    order = model.objects.get()
    assert first.status_code == 302 and first.url == order.get_absolute_url()
    assert msgs(first) == [saved.format(number=order.number)]

    # when the same form is submitted again (Back, then submit)
    again = manager_client.post(url, data)

    # then no second draft, no second audit event; the page of the first, and why
    assert model.objects.count() == 1
    assert order.lines.count() == 1
    assert AuditEvent.objects.filter(action__endswith="order.create").count() == 1
    assert again.status_code == 302 and again.url == order.get_absolute_url()
    assert msgs(again)[-1] == (
        f'This draft {ALREADY_RECORDED} as <a href="{order.get_absolute_url()}" '
        f'class="alert-link">{order.number}</a>; nothing was changed the second time.'
    )


@pytest.mark.parametrize("post, model, saved", DRAFTS, ids=["sales", "purchase"])
def test_a_new_order_form_with_another_token_saves_another_draft(
    manager_client, store, item, post, model, saved
):
    for key in ("draft-a", "draft-b"):
        url, data = post(store, item, key)
        manager_client.post(url, data)

    assert model.objects.count() == 2


@pytest.mark.parametrize("post, model, saved", DRAFTS, ids=["sales", "purchase"])
def test_a_new_order_form_without_a_token_still_saves(
    manager_client, store, item, post, model, saved
):
    # A page rendered before drafts had tokens (or a script) posts none: saved, unguarded.
    url, data = post(store, item, "")

    response = manager_client.post(url, data)

    order = model.objects.get()
    assert msgs(response) == [saved.format(number=order.number)]
    assert Operation.objects.count() == 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("post, model, saved", DRAFTS, ids=["sales", "purchase"])
def test_the_same_new_order_form_posted_twice_at_once_saves_one_draft(post, model, saved):
    # given a manager's new-order form, posted from two tabs at the same moment
    manager = UserFactory(role="Manager", username="draft-racer")
    store = StoreFactory(code="MAIN", name="Main Store")
    item = ItemFactory(sku="SKU-0042", supplier=SupplierFactory(), unit_cost=Decimal("2.00"))
    url, data = post(store, item, "draft-race")

    def submit():
        client = Client()
        client.force_login(manager)
        response = client.post(url, data)
        return response.status_code, msgs(response)

    # when both arrive together
    outcomes = run_together([submit, submit])

    # then one draft; one response says saved, the other that it was already recorded
    assert [o for o in outcomes if isinstance(o, Exception)] == []
    order = model.objects.get()
    assert sorted(status for status, _ in outcomes) == [302, 302]
    texts = sorted(text for _, said in outcomes for text in said)
    assert texts == sorted(
        [
            saved.format(number=order.number),
            f'This draft {ALREADY_RECORDED} as <a href="{order.get_absolute_url()}" '
            f'class="alert-link">{order.number}</a>; nothing was changed the second time.',
        ]
    )


def test_a_page_back_with_a_used_token_says_what_it_recorded(
    manager_client, manager_user, store, other_store, item
):
    # given a quick sale, a transfer and a new draft, each sent with a token of the manager
    stock_receive(actor=manager_user, item=item, store=store, quantity="10")
    sent = {}
    for name, url, data in [
        ("sale", reverse("inventory:sales_quick"), quick_sale_post(store, item)),
        ("transfer", reverse("inventory:transfer_new"), transfer_post(store, other_store, item)),
        ("draft", *sales_draft_post(store, item, "")),
    ]:
        token = new_token(manager_user)
        assert manager_client.post(url, {**data, "idempotency_key": token}).status_code == 302
        sent[name] = (url, token)

    def warning(name):
        url, token = sent[name]
        response = manager_client.get(with_token(url, token))
        assert response.status_code == 200 and rendered_token(response) == token
        return [str(m) for m in response.context["messages"] if m.level_tag == "warning"]

    # when each page comes back with its used token (Back, reload), then it says so and
    # links what was recorded and a fresh form
    sale, draft = SalesOrder.objects.order_by("pk")
    operation = Operation.objects.get(idempotency_key=sent["transfer"][1]).pk
    assert warning("sale") == [
        "This form was already sent and recorded as "
        f'<a href="/sales/{sale.pk}/" class="alert-link">{sale.number}</a>. Sending it again '
        'records nothing; <a href="/sales/quick/" class="alert-link">start a new one</a>.'
    ]
    assert warning("transfer") == [
        "This form was already sent and recorded "
        f'(<a href="/ledger/?operation={operation}" class="alert-link">its movements</a>). '
        'Sending it again records nothing; <a href="/transfers/new/" class="alert-link">'
        "start a new one</a>."
    ]
    assert warning("draft") == [
        "This form was already sent and recorded as "
        f'<a href="/sales/{draft.pk}/" class="alert-link">{draft.number}</a>. Sending it again '
        'records nothing; <a href="/sales/new/" class="alert-link">start a new one</a>.'
    ]


def test_a_page_with_an_unused_token_says_nothing(manager_client, manager_user):
    response = manager_client.get(
        with_token(reverse("inventory:sales_quick"), new_token(manager_user))
    )

    assert list(response.context["messages"]) == []


def quick_sale_post(store, item):
    url, data = sales_draft_post(store, item, "")
    return data


def transfer_post(store, other_store, item):
    return one_line(item, store, other_store, "2")


def test_reading_the_token_back_costs_one_query(manager_client, manager_user):
    # The address's token is looked up once (was it used?); a page without one, none.
    url = reverse("inventory:sales_quick")
    manager_client.get(url)  # warm the session and the content types

    with CaptureQueriesContext(connection) as plain:
        manager_client.get(url)
    with CaptureQueriesContext(connection) as with_unused:
        manager_client.get(with_token(url, new_token(manager_user)))

    assert len(with_unused) == len(plain) + 1
    operation_reads = [q for q in with_unused.captured_queries if "inventory_operation" in q["sql"]]
    assert len(operation_reads) == 1
