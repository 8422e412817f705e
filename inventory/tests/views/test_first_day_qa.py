"""Found by a first-day QA pass on an empty install, in a browser: lists that had nothing
yet said "nothing matches" as if a filter were on, and a count sheet opened without a
store showed the same empty form again, saying nothing."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "says", "links_to"),
    [
        ("/purchases/", "No purchases yet", "/purchases/new/"),
        ("/sales/", "No sales yet", "/sales/quick/"),
        ("/ledger/", "No movements yet", "/purchases/new/"),
    ],
)
def test_an_empty_list_says_what_to_do_next(staff_client, url, says, links_to):
    html = staff_client.get(url).content.decode()

    empty_row = html.split('class="text-muted">', 1)[1].split("</td>", 1)[0]
    assert says in empty_row
    assert f'href="{links_to}' in empty_row
    assert "match" not in empty_row


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("/purchases/?status=DRAFT", "No purchases match."),
        ("/sales/?status=DRAFT", "No sales orders match."),
        ("/ledger/?kind=ISSUE", "No movement matches."),
    ],
)
def test_an_empty_filtered_list_still_says_nothing_matches(staff_client, url, says):
    html = staff_client.get(url).content.decode()

    assert says in html
    assert "yet" not in html.split('class="text-muted">', 1)[1].split("</td>", 1)[0]


def test_a_count_sheet_opened_without_a_store_asks_for_one(manager_client, store):
    response = manager_client.get("/stock/count/?store=&q=&category=&by=lot")

    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    assert shown == ["Choose the store to count, then open the count sheet."]
    assert response.context["store"] is None


def test_the_count_page_opened_from_the_menu_says_nothing_yet(manager_client, store):
    response = manager_client.get("/stock/count/")

    assert [str(m) for m in response.context["messages"]] == []


def _per_store_rows(html) -> str:
    return html.split('data-testid="stock-by-store"', 1)[1].split("</table>", 1)[0]


def test_a_never_stocked_items_page_says_how_to_stock_it(staff_client, item):
    html = _per_store_rows(staff_client.get(f"/items/{item.pk}/").content.decode())

    assert '<td colspan="7" class="text-muted">Never stocked: record its first stock' in html
    assert 'href="/purchases/new/">direct purchase</a>' in html


def test_a_deactivated_never_stocked_item_is_not_offered_a_purchase(staff_client, item):
    item.is_active = False
    item.save(update_fields=["is_active"])

    html = _per_store_rows(staff_client.get(f"/items/{item.pk}/").content.decode())

    assert '<td colspan="7" class="text-muted">Never stocked.</td>' in html
    assert "/purchases/new/" not in html
