"""Store menus and per-store tables sort by code whatever its letter case: "main" sits
between "Annex" and "WH1", not after every upper-case code (found by a QA pass)."""

import re

import pytest

from inventory.services.stock import stock_receive
from inventory.tests.factories import StoreFactory

pytestmark = pytest.mark.django_db

CODES = ["Annex", "main", "WH1"]


@pytest.fixture
def stores(item, manager_user):
    made = [StoreFactory(code=code, name=f"Store {code}") for code in ("WH1", "main", "Annex")]
    for store in made:
        stock_receive(actor=manager_user, item=item, store=store, quantity=1, lot_code="L")
    return made


def _menu(html: str, name: str) -> list[str]:
    select = re.search(rf'<select[^>]*name="{name}".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="\d+"[^>]*>[^<]*?Store (\w+)', select)


@pytest.mark.parametrize(
    ("url", "menu"),
    [
        ("/transfers/new/", "from_store"),
        ("/transfers/new/", "to_store"),
        ("/ledger/", "store"),
        ("/dashboard/", "store"),
        ("/purchases/", "store"),
        ("/stock/", "store"),
        ("/stock/count/", "store"),
    ],
)
def test_a_store_menu_sorts_codes_ignoring_case(manager_client, stores, url, menu):
    html = manager_client.get(url).content.decode()

    assert _menu(html, menu) == CODES


def test_an_items_stores_sort_codes_ignoring_case(manager_client, stores, item):
    html = manager_client.get(item.get_absolute_url()).content.decode()

    shown = re.findall(r"Store (Annex|main|WH1)", html)
    assert list(dict.fromkeys(shown)) == CODES
