"""Found by QA: each list read a bad date its own way (every row, no row, the last 30 days,
no error at all) and the two CSV exports refused it in two forms. Now one way
(inventory.forms.filtering): the error by its field, nothing listed, a clear message; an
export answers 400 with the same page."""

import re

import pytest

from inventory.services.audit import audit_record
from inventory.services.purchasing import purchase_order_create
from inventory.services.sales import sales_order_create
from inventory.services.stock import stock_receive

pytestmark = pytest.mark.django_db

INVALID_DATE = (
    {"date_from": "2026-02-30"},
    "From: Enter a valid date as YYYY-MM-DD, e.g. 2026-12-31.",
)
END_BEFORE_START = (
    {"date_from": "2026-03-05", "date_to": "2026-03-01"},
    "To: The end date is before the start date.",
)
BAD_FILTERS = pytest.mark.parametrize(
    ("params", "problem"), [INVALID_DATE, END_BEFORE_START], ids=["invalid", "reversed"]
)
MESSAGE = "Nothing is shown until the filters are corrected: "
# (url, the context's rows)
LISTS = [
    ("/sales/", "page"),
    ("/purchases/", "orders"),
    ("/ledger/", "page"),
    ("/audit/", "events"),
]


@pytest.fixture
def one_of_each(manager_user, store, item, supplier):
    """A row on every list, so that "nothing listed" means something."""
    stock_receive(actor=manager_user, item=item, store=store, quantity="5")
    sales_order_create(actor=manager_user, store=store, customer=None, lines=[(item, "1")])
    purchase_order_create(
        actor=manager_user, supplier=supplier, store=store, lines=[(item, "1", None)]
    )
    audit_record(actor=manager_user, action="some.event")


def refusal(body: str) -> list[str]:
    return re.findall(r'data-testid="filter-refusal">([^<]*)<', body)


def error_by_field(body: str, field: str, text: str) -> bool:
    """The error sits in the invalid-feedback after the field's own input."""
    start = body.index(f'name="{field}"')
    feedback = re.search(r'class="invalid-feedback[^"]*">(.*?)</div>', body[start:], re.S)
    return feedback is not None and text in feedback.group(1)


@pytest.mark.parametrize(("url", "rows"), LISTS)
def test_every_list_lists_everything_without_filters(manager_client, one_of_each, url, rows):
    response = manager_client.get(url)

    assert response.status_code == 200
    assert len(list(response.context[rows])) >= 1
    assert refusal(response.content.decode()) == []


@BAD_FILTERS
@pytest.mark.parametrize(("url", "rows"), LISTS)
def test_a_list_with_a_bad_date_lists_nothing_and_says_why(
    manager_client, one_of_each, url, rows, params, problem
):
    response = manager_client.get(url, params)

    assert response.status_code == 200
    assert list(response.context[rows]) == []
    body = response.content.decode()
    assert refusal(body) == [MESSAGE + problem]
    field, text = problem.split(": ", 1)
    assert error_by_field(body, "date_to" if field == "To" else "date_from", text)


@BAD_FILTERS
@pytest.mark.parametrize("url", ["/audit/export.csv", "/ledger/export.csv"])
def test_an_export_with_a_bad_date_answers_400_with_the_lists_message(
    manager_client, one_of_each, url, params, problem
):
    response = manager_client.get(url, params)

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert refusal(body) == [MESSAGE + problem]
    # the filter form goes back to the list, not to another export
    list_url = url.replace("export.csv", "")
    assert f'action="{list_url}"' in body


@BAD_FILTERS
def test_the_dashboard_with_a_bad_date_shows_no_figures_and_says_why(
    manager_client, one_of_each, params, problem
):
    response = manager_client.get("/dashboard/", params)

    assert response.status_code == 200
    body = response.content.decode()
    assert refusal(body) == [MESSAGE + problem]
    assert "Showing the last 30 days instead" not in body
    assert 'data-testid="stock-value"' not in body and "chart-data" not in body
    field, text = problem.split(": ", 1)
    assert error_by_field(body, "date_to" if field == "To" else "date_from", text)


@pytest.mark.parametrize("typed", ["01/02/2026", "1.2.2026", "20260201"])
def test_a_date_typed_in_another_format_is_refused_not_guessed(manager_client, typed):
    # A month-first 01/02/2026 was read as 2 January, where a day-first shop means
    # 1 February (found by a QA pass): only what a date box sends is taken.
    response = manager_client.get("/ledger/", {"date_from": typed})

    assert response.context["filter"].form.errors == {
        "date_from": ["Enter a valid date as YYYY-MM-DD, e.g. 2026-12-31."]
    }
